import { Col, Row, Typography } from 'antd';
import { LIMITS, ORG_TYPE_LABELS, PARTNER_TYPES } from '../../../../domain';
import { ListIssue, SelectField, TextField } from '../fields';
import { RowTable } from '../RowTable';

/** 二、项目联系人: 单位负责人, 项目负责人, 参与单位. */
export function ContactsSection() {
  return (
    <>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        单位负责人
      </Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TextField path="contacts.unitHead.name" label="姓名" required max={LIMITS.short} />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.unitHead.title" label="职务/职称" required max={LIMITS.short} />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.unitHead.mobile" label="手机" required max={LIMITS.short} inputMode="tel" />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.unitHead.email" label="电子邮箱" required max={LIMITS.short} inputMode="email" />
        </Col>
      </Row>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        项目负责人
      </Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.name" label="姓名" required max={LIMITS.short} />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.title" label="职务/职称" required max={LIMITS.short} />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.mobile" label="手机" required max={LIMITS.short} inputMode="tel" />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.email" label="电子邮箱" required max={LIMITS.short} inputMode="email" />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.unitPhone" label="单位电话" required max={LIMITS.short} inputMode="tel" placeholder="010-62178305" />
        </Col>
        <Col xs={24} md={12}>
          <TextField path="contacts.projectLead.fax" label="传真（选填）" max={LIMITS.short} inputMode="tel" />
        </Col>
      </Row>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        参与单位
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        可以不填。企业科协、园区科协牵头申报团体标准专项时，参与单位中至少应有一个全国学会、协会、研究会。
      </Typography.Paragraph>
      <ListIssue path="contacts.partnerUnits" />
      <RowTable
        path="contacts.partnerUnits"
        testId="partners"
        rowName="个参与单位"
        addLabel="添加参与单位"
        max={LIMITS.partnerUnits}
        newRow={() => ({ name: '', head: '', phone: '', orgType: null })}
        columns={[
          { title: '单位名称', cell: (i) => <TextField hideLabel path={`contacts.partnerUnits[${i}].name`} label={`第 ${i + 1} 个参与单位名称`} max={LIMITS.medium} /> },
          { title: '单位负责人', cell: (i) => <TextField hideLabel path={`contacts.partnerUnits[${i}].head`} label={`第 ${i + 1} 个参与单位负责人`} max={LIMITS.short} /> },
          { title: '联系电话', cell: (i) => <TextField hideLabel path={`contacts.partnerUnits[${i}].phone`} label={`第 ${i + 1} 个参与单位联系电话`} max={LIMITS.short} /> },
          {
            title: '单位类型',
            width: 220,
            cell: (i) => (
              <SelectField
                hideLabel
                path={`contacts.partnerUnits[${i}].orgType`}
                label={`第 ${i + 1} 个参与单位类型`}
                options={PARTNER_TYPES.map((t) => ({ value: t, label: ORG_TYPE_LABELS[t] }))}
              />
            ),
          },
        ]}
      />
    </>
  );
}
