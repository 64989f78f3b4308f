import { Col, Row, Typography } from 'antd';
import { LIMITS } from '../../../../domain';
import { useEditor } from '../editor-context';
import { CheckboxField, DateField, TextField } from '../fields';

/** 十、申报单位意见, with the four eligibility declarations (申报要求 3). */
export function EndorsementSection() {
  const { call } = useEditor();
  const labels = ['近三年年检合格，无连续两年基本合格', '未被中国科协通报并限期整改', '承担同类或相关项目，无在非不可抗力条件下验收未通过或未按期结项', '未受到有关管理部门的行政处罚'];
  const keys = ['annualInspectionOk', 'notUnderRectification', 'noFailedAcceptance', 'noAdministrativePenalty'];
  return (
    <>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        申报资格声明
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        根据通知，有下列情形之一的不予受理：{call.ineligibility.join('')} 请逐项确认本单位没有这些情形。
      </Typography.Paragraph>
      {keys.map((k, i) => (
        <CheckboxField key={k} path={`eligibility.${k}`} label={labels[i]}>
          （{i + 1}）本单位{labels[i]}
        </CheckboxField>
      ))}
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        申报单位意见
      </Typography.Title>
      <CheckboxField path="endorsement.agreed" label="同意申报">
        本单位同意申报该项目
      </CheckboxField>
      <CheckboxField path="endorsement.accurate" label="内容准确">
        本单位确认申报书所填写内容准确、真实
      </CheckboxField>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TextField path="endorsement.signatory" label="单位负责人（签名）" required max={LIMITS.short} extra="打印后由该负责人亲笔签字" />
        </Col>
        <Col xs={24} md={12}>
          <DateField path="endorsement.date" label="日期" required width={200} />
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">打印的申报书在此处加盖单位公章。</Typography.Paragraph>
    </>
  );
}
