import { Col, Row } from 'antd';
import { LIMITS } from '../../../../domain';
import { DateField, TextField } from '../fields';

/** 封面 */
export function CoverSection() {
  return (
    <Row gutter={16}>
      <Col xs={24}>
        <TextField path="cover.applicantUnit" label="申报单位" required max={LIMITS.medium} extra="与单位公章名称一致" />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="cover.contactName" label="联系人" required max={LIMITS.short} />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="cover.phone" label="联系电话" required max={LIMITS.short} inputMode="tel" placeholder="010-62178305" extra="固定电话，含区号" />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="cover.mobile" label="手机" required max={LIMITS.short} inputMode="tel" placeholder="13812345678" />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="cover.email" label="电子信箱" required max={LIMITS.short} inputMode="email" placeholder="name@example.cn" />
      </Col>
      <Col xs={24}>
        <TextField path="cover.address" label="通讯地址" required max={LIMITS.medium} />
      </Col>
      <Col xs={24} md={12}>
        <DateField path="cover.applicationDate" label="申请日期" required width={200} />
      </Col>
    </Row>
  );
}
