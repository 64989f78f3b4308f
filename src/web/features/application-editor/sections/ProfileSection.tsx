import { Col, Row } from 'antd';
import { LIMITS } from '../../../../domain';
import { LongTextField, TextField } from '../fields';

/** 三、申报单位情况 */
export function ProfileSection() {
  return (
    <Row gutter={16}>
      <Col xs={24}>
        <TextField path="applicantProfile.name" label="单位名称" required max={LIMITS.medium} />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="applicantProfile.supervisor" label="上级主管单位" required max={LIMITS.medium} />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="applicantProfile.headName" label="负责人姓名" required max={LIMITS.short} />
      </Col>
      <Col xs={24} md={12}>
        <TextField path="applicantProfile.nature" label="单位性质" required max={LIMITS.short} placeholder="例如：社会团体" />
      </Col>
      <Col xs={24}>
        <LongTextField path="applicantProfile.profile" label="单位简介" required max={LIMITS.longText} rows={6} />
      </Col>
    </Row>
  );
}
