import { Alert, Button, Card, Col, Descriptions, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatChineseDate, formatDeadline } from '../../../domain';
import { api } from '../../api/client';
import type { TCall } from '../../api/types';
import { useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { Countdown } from './Countdown';

const { Title, Paragraph, Text } = Typography;

const STATE_TAG: Record<TCall['state'], { color: string; text: string }> = {
  before: { color: 'default', text: '尚未开始' },
  open: { color: 'green', text: '正在申报' },
  closed: { color: 'red', text: '已截止' },
};

/** The public call page (home): the notice as data, with a live countdown. */
export function CallPage({ code }: { code: string }) {
  const [call, setCall] = useState<TCall | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { session } = useSession();
  const { navigate } = useRouter();

  useEffect(() => {
    let alive = true;
    api.call(code).then(
      (c) => alive && setCall(c),
      (e: Error) => alive && setError(e.message),
    );
    return () => {
      alive = false;
    };
  }, [code]);

  if (error) return <Result status="404" title="未找到该申报通知" subTitle={error} />;
  if (!call) return <Skeleton active />;

  const tag = STATE_TAG[call.state];
  return (
    <article className="notice" data-testid="call-page" aria-labelledby="call-title">
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={16}>
          <Title level={1} id="call-title" style={{ fontSize: 26 }}>
            {call.noticeTitle}
          </Title>
          <Space wrap>
            <Tag color={tag.color} data-testid="call-state">
              {tag.text}
            </Tag>
            <Text type="secondary">
              {call.issuer} · {formatChineseDate(call.noticeDate)}
            </Text>
          </Space>
          <Paragraph style={{ marginTop: 16 }}>{call.summary}</Paragraph>

          <Title level={2}>一、申报内容</Title>
          {call.subProgrammes.map((sp) => (
            <section key={sp.code} aria-labelledby={`sp-${sp.code}`} data-testid={`subprogramme-${sp.code}`}>
              <Title level={3} id={`sp-${sp.code}`} style={{ fontSize: 18 }}>
                {sp.ordinal}
                {sp.name}
              </Title>
              <Paragraph>
                <Text strong>1. 项目内容。</Text>
                {sp.content}
              </Paragraph>
              <Paragraph>
                <Text strong>2. 考核指标。</Text>
              </Paragraph>
              <ol>
                {sp.indicators.map((t, i) => (
                  <li key={i}>{t}</li>
                ))}
              </ol>
              {sp.platformNote && <Paragraph>{sp.platformNote}</Paragraph>}
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label="申报主体">{sp.applicantText}</Descriptions.Item>
                <Descriptions.Item label="支持数量">{sp.quotaText}</Descriptions.Item>
                <Descriptions.Item label="指导经费">{sp.fundingText}</Descriptions.Item>
              </Descriptions>
            </section>
          ))}

          <Title level={2}>二、申报主体</Title>
          <Paragraph>{call.applicants}</Paragraph>

          <Title level={2}>三、申报要求</Title>
          <ol>
            {call.requirements.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
            <li>
              有下列情形之一的，不予受理：
              <ol>
                {call.ineligibility.map((t, i) => (
                  <li key={i}>{t}</li>
                ))}
              </ol>
            </li>
          </ol>

          <Title level={2}>四、申报程序</Title>
          <Paragraph>
            申报时间：{formatChineseDate(call.window.opens)}至{formatChineseDate(call.window.closes)}（截止于 {formatDeadline(call.window.closes)}）。
            项目实施期限：{formatChineseDate(call.implementationDeadline)}前完成。
          </Paragraph>
          <ol>
            {call.procedure.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ol>

          <Title level={2}>五、联系方式</Title>
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => r.role + r.phone}
            dataSource={call.contacts}
            columns={[
              { title: '事项', dataIndex: 'role' },
              { title: '联系人 / 单位', render: (_, r) => [r.name, r.unit].filter(Boolean).join('，') || '—' },
              { title: '电话', dataIndex: 'phone' },
            ]}
          />
          <Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
            纸质材料邮寄地址
          </Title>
          <Descriptions size="small" column={1} bordered data-testid="call-mailing">
            <Descriptions.Item label="收件单位">{call.mailing.unit}</Descriptions.Item>
            <Descriptions.Item label="地址">{call.mailing.address}</Descriptions.Item>
            <Descriptions.Item label="联系人">{call.mailing.contact}</Descriptions.Item>
            <Descriptions.Item label="电话">{call.mailing.phone}</Descriptions.Item>
            <Descriptions.Item label="电子邮箱">{call.mailing.email}</Descriptions.Item>
            <Descriptions.Item label="份数">纸质申报书一式 {call.mailing.copies} 份</Descriptions.Item>
          </Descriptions>
          {call.cc && <Paragraph style={{ marginTop: 16 }}>抄送：{call.cc}</Paragraph>}
        </Col>
        <Col xs={24} lg={8}>
          <Card title="申报时间" style={{ position: 'sticky', top: 16 }}>
            <Countdown window={call.window} />
            <Descriptions size="small" column={1} style={{ marginTop: 16 }}>
              {/* the deadline is the countdown's own line just above */}
              <Descriptions.Item label="开始">{formatChineseDate(call.window.opens)}</Descriptions.Item>
              <Descriptions.Item label="实施期限">{formatChineseDate(call.implementationDeadline)}前</Descriptions.Item>
            </Descriptions>
            {call.state === 'closed' && <Alert type="info" showIcon style={{ marginTop: 12 }} title="本批次申报已截止，系统不再接受新的申报或修改。" />}
            <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
              {session?.user ? (
                <Button type="primary" block onClick={() => navigate('/dashboard')} data-testid="call-goto-dashboard">
                  {session.user.role === 'funder_admin' ? '进入申报管理' : '进入我的申报'}
                </Button>
              ) : (
                // after the deadline a society only logs in (to read and print what it submitted)
                <>
                  <Button type={call.state === 'closed' ? 'default' : 'primary'} block onClick={() => navigate('/register')} data-testid="call-register">
                    注册申报单位
                  </Button>
                  <Button type={call.state === 'closed' ? 'primary' : 'default'} block onClick={() => navigate('/login')} data-testid="call-login">
                    登录
                  </Button>
                </>
              )}
            </Space>
          </Card>
        </Col>
      </Row>
    </article>
  );
}
