import { Col, Row, Typography } from 'antd';
import { formatChineseDate, LIMITS } from '../../../../domain';
import { useEditor } from '../editor-context';
import { DateField, ListIssue, LongTextField } from '../fields';
import { RowTable } from '../RowTable';

/** 七、项目实施进度计划: start/end and the phases table. */
export function ScheduleSection() {
  const { call } = useEditor();
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <DateField path="schedule.start" label="项目起始日期" required width={200} />
        </Col>
        <Col xs={24} md={12}>
          <DateField
            path="schedule.end"
            label="项目结束日期"
            required
            width={200}
            extra={`项目须于 ${formatChineseDate(call.implementationDeadline)}前完成`}
          />
        </Col>
      </Row>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        进度安排
      </Typography.Title>
      <Typography.Paragraph type="secondary">按时间先后填写各阶段的起止年月和目标内容；相邻阶段可以共用一个月份。</Typography.Paragraph>
      <ListIssue path="schedule.phases" />
      <RowTable
        path="schedule.phases"
        testId="phases"
        rowName="个阶段"
        addLabel="添加阶段"
        max={LIMITS.phases}
        newRow={() => ({ from: '', to: '', goal: '' })}
        columns={[
          { title: '起始年月', width: 150, cell: (i) => <DateField hideLabel picker="month" path={`schedule.phases[${i}].from`} label={`第 ${i + 1} 阶段起始年月`} /> },
          { title: '结束年月', width: 150, cell: (i) => <DateField hideLabel picker="month" path={`schedule.phases[${i}].to`} label={`第 ${i + 1} 阶段结束年月`} /> },
          {
            title: '目标内容',
            cell: (i) => <LongTextField hideLabel path={`schedule.phases[${i}].goal`} label={`第 ${i + 1} 阶段目标内容`} max={LIMITS.cell} rows={2} showWords={false} />,
          },
        ]}
      />
    </>
  );
}
