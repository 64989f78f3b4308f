import { FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { Button, Descriptions, Result, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatDeadline } from '../../../domain';
import { api, urls } from '../../api/client';
import type { TApplication, TCall } from '../../api/types';
import { Link } from '../../app/router';
import { beijingDateTime } from '../../lib/format';
import { loadCall } from '../../lib/use-call';

/** After submitting: the 申报编号, the PDF, and what to do next (print, sign, stamp, mail). */
export default function SubmittedPage({ id }: { id: string }) {
  const [app, setApp] = useState<TApplication | null>(null);
  const [call, setCall] = useState<TCall | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.application(id).then(
      async (a) => {
        setApp(a);
        setCall(await loadCall(a.callCode));
      },
      (e: Error) => setError(e.message),
    );
  }, [id]);
  if (error) return <Result status="error" title="无法打开申报书" subTitle={error} />;
  if (!app || !call) return <Skeleton active />;
  const m = call.mailing;
  return (
    <Result
      status="success"
      data-testid="submitted-page"
      title="申报书已提交"
      subTitle={
        <>
          申报编号 <strong data-testid="submitted-number">{app.number}</strong>，提交时间 {beijingDateTime(app.submittedAt, true)}
        </>
      }
      extra={
        <Space wrap>
          <Button type="primary" icon={<FilePdfOutlined />} href={urls.pdf(id)} target="_blank" rel="noopener" data-testid="submitted-pdf">
            下载打印版申报书（PDF）
          </Button>
          <Button icon={<FileWordOutlined />} href={urls.docx(id)} download data-testid="submitted-docx" title="Word 副本仅供内部传阅，打印、签字、盖章请用 PDF">
            下载 Word 副本
          </Button>
          <Link to={`/applications/${id}`}>查看申报书</Link>
          <Link to="/dashboard">返回我的申报</Link>
        </Space>
      }
    >
      <div style={{ maxWidth: 760, margin: '0 auto', textAlign: 'left' }} data-testid="next-steps">
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          接下来
        </Typography.Title>
        <ol>
          <li>
            下载并打印申报书<strong>一式 {m.copies} 份</strong>，由单位负责人签字，加盖单位公章和骑缝章。
          </li>
          <li>
            邮寄至：{m.address}，{m.unit}，{m.contact}（收），电话 {m.phone}，电子邮箱 {m.email}。
          </li>
          <li>纸质申报书上的申报编号和校验码须与系统中的一致；如在提交后撤回修改，请重新打印。</li>
          <li>截止（{formatDeadline(call.window.closes)}）前可撤回修改后重新提交；截止后不能再修改。</li>
        </ol>
        <Descriptions bordered size="small" column={1} title="邮寄信息">
          <Descriptions.Item label="收件单位">{m.unit}</Descriptions.Item>
          <Descriptions.Item label="地址">{m.address}</Descriptions.Item>
          <Descriptions.Item label="联系人">{m.contact}</Descriptions.Item>
          <Descriptions.Item label="电话">{m.phone}</Descriptions.Item>
          <Descriptions.Item label="电子邮箱">{m.email}</Descriptions.Item>
        </Descriptions>
      </div>
    </Result>
  );
}
