import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatDeadline, windowState } from '../../../domain';
import { api } from '../../api/client';
import type { TApplicationSummary, TCall, TCallSummary } from '../../api/types';
import { Link, useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { StatusTag } from '../../components/StatusTag';
import { beijingDateTime, timeLeft } from '../../lib/format';
import { useServerNow } from '../../lib/server-clock';
import { loadCall, subProgrammeText, useCall } from '../../lib/use-call';
import { ExportButtons } from './ExportButtons';
import { NewApplicationDialog } from './NewApplicationDialog';
import { OrganisationSearch } from './OrganisationSearch';
import { useApplicationList } from './use-application-list';

/** The organisation's applications and the open calls. */
export function DashboardPage() {
  const { session } = useSession();
  const { navigate } = useRouter();
  const { apps, error: listError, organisation, setOrganisation } = useApplicationList(session?.user?.role === 'funder_admin');
  const [calls, setCalls] = useState<TCallSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [newFor, setNewFor] = useState<TCall | null>(null);
  const now = useServerNow(1000);
  const mainCall = useCall(calls[0]?.code);

  useEffect(() => {
    api.calls().then(setCalls, (e: Error) => setError(e.message));
  }, []);

  const user = session?.user;
  if (!user) return null;
  const openCalls = calls.filter((c) => c.state === 'open');
  // staff see what was submitted to them; screening and review screens come with later releases
  const staff = user.role === 'funder_admin';

  return (
    <div data-testid="dashboard">
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {staff ? '已提交的申报书（项目管理员）' : `我的申报 · ${user.organisation?.name ?? ''}`}
      </Typography.Title>
      {staff && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="staff-notice"
          title="项目管理员可以查看各单位已提交的申报书及其 PDF，并在申报批次处导出申报汇总（Excel）或下载全部申报书 PDF（压缩包）；申报单位的草稿不对项目管理员显示。形式审查、专家评审等功能将在后续版本提供。"
        />
      )}
      {user.organisation?.verification === 'pending' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="本单位的统一社会信用代码正在人工核验中；可以填写申报书，核验结果会通知管理员。" />
      )}
      {(error ?? listError) && <Alert type="error" showIcon title={error ?? listError} style={{ marginBottom: 16 }} />}

      <Card title="申报批次" style={{ marginBottom: 16 }}>
        {calls.length === 0 && <Empty description="暂无申报批次" />}
        {calls.map((c) => (
          <div key={c.code} className="call-row" data-testid={`call-${c.code}`} style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center', justifyContent: 'space-between', padding: '8px 0' }}>
            <div>
              <Link to={`/calls/${c.code}`}>{c.title}</Link>{' '}
              <Tag color={c.state === 'open' ? 'green' : c.state === 'closed' ? 'red' : 'default'}>
                {c.state === 'open' ? '正在申报' : c.state === 'closed' ? '已截止' : '尚未开始'}
              </Tag>
              <div>
                <Typography.Text type="secondary">
                  截止：{formatDeadline(c.window.closes)}
                  {c.state === 'open' && ` · 还剩 ${timeLeft(c.window.closes, now).text}`}
                </Typography.Text>
              </div>
            </div>
            {staff && <ExportButtons callCode={c.code} callTitle={c.title} />}
            {c.state === 'open' && !staff && (
              <Button type="primary" data-testid="new-application" onClick={() => loadCall(c.code).then(setNewFor)}>
                新建申报
              </Button>
            )}
          </div>
        ))}
        {calls.length > 0 && openCalls.length === 0 && <Typography.Text type="secondary">当前没有正在申报的批次。</Typography.Text>}
      </Card>

      <Card title={staff ? '各单位已提交的申报书' : '本单位的申报书'}>
        {staff && <OrganisationSearch value={organisation} found={apps?.length ?? null} onSearch={setOrganisation} />}
        <Table<TApplicationSummary>
          // a new filter starts on its first page
          key={organisation}
          data-testid="applications-table"
          loading={apps === null}
          rowKey="id"
          dataSource={apps ?? []}
          // staff may list thousands: pages of 50 keep the page quick (a society has a handful)
          pagination={apps && apps.length > 50 ? { pageSize: 50, showSizeChanger: true, showTotal: (n) => `共 ${n} 份` } : false}
          locale={{
            emptyText: organisation ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的申报书" data-testid="no-matching-applications" />
            ) : staff ? (
              '尚无已提交的申报书。'
            ) : (
              '尚无申报书。点击“新建申报”开始填写。'
            ),
          }}
          scroll={{ x: true }}
          columns={[
            // 申报编号, status tags and times stay on one line (at 1366 px they wrapped): the
            // project name takes what is left
            { title: '申报编号', dataIndex: 'number', className: 'nowrap', render: (n: string | null) => n ?? <Typography.Text type="secondary">提交后生成</Typography.Text> },
            ...(staff
              ? [
                  // a long name wraps like the project name (an ellipsis would fix the table's layout)
                  { title: '申报单位', dataIndex: 'organisationName', render: (n: string, r: TApplicationSummary) => <span data-testid={`organisation-${r.id}`}>{n}</span> },
                ]
              : []),
            {
              title: '项目名称',
              dataIndex: 'projectName',
              render: (n: string | null, r) => (
                <Link to={`/applications/${r.id}`} data-testid={`open-application-${r.id}`}>
                  {n?.trim() || '（未填写项目名称）'}
                </Link>
              ),
            },
            { title: '申报专项', dataIndex: 'subProgrammes', render: (s: string[]) => subProgrammeText(mainCall, s) },
            {
              title: '状态',
              dataIndex: 'status',
              className: 'nowrap',
              render: (_, r) => {
                const call = calls.find((c) => c.code === r.callCode);
                return <StatusTag status={r.status} number={r.number} closed={!!call && windowState(now, call.window) === 'closed'} testId={`status-${r.id}`} />;
              },
            },
            staff
              ? { title: '提交时间（北京时间）', dataIndex: 'submittedAt', className: 'nowrap', render: (t: string | null) => (t ? beijingDateTime(t, false, false) : '—') }
              : { title: '最后保存（北京时间）', dataIndex: 'updatedAt', className: 'nowrap', render: (t: string) => beijingDateTime(t, false, false) },
            {
              title: '检查',
              className: 'nowrap',
              render: (_, r) => (
                <Space size={4}>
                  {/* as the editor's header shows the draft when it is opened (unfilledCount) */}
                  {r.errorCount > r.unfilledCount && (
                    <Tag color="red" data-testid={`check-errors-${r.id}`}>
                      {r.errorCount - r.unfilledCount} 个错误
                    </Tag>
                  )}
                  {r.unfilledCount > 0 && <Tag data-testid={`check-unfilled-${r.id}`}>{r.unfilledCount} 项未填写</Tag>}
                  {r.errorCount === 0 && <Tag color="green">无错误</Tag>}
                  {r.warningCount > 0 && (
                    <Tag color="orange" data-testid={`check-warnings-${r.id}`}>
                      {r.warningCount} 个警告
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: '操作', render: (_, r) => <Button onClick={() => navigate(`/applications/${r.id}`)}>打开</Button> },
          ]}
        />
      </Card>
      {newFor && (
        <NewApplicationDialog
          call={newFor}
          user={user}
          open
          onClose={() => setNewFor(null)}
          onCreated={(id) => {
            setNewFor(null);
            navigate(`/applications/${id}`);
          }}
        />
      )}
    </div>
  );
}
