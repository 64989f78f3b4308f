import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ORG_TYPE_LABELS } from '../../../domain';
import { ApiError, api } from '../../api/client';
import { useSession } from '../../app/session';
import { MIN_PASSWORD } from './RegisterPage';

/** The account: who is logged in, the organisation, change password. */
export function AccountPage() {
  const { session, refresh } = useSession();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const user = session?.user;
  if (!user) return null;
  const org = user.organisation;

  const onFinish = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(v.currentPassword, v.newPassword);
      form.resetFields();
      await refresh();
      message.success('密码已修改');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError(e.status === 401 ? '当前密码不正确' : e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page-narrow">
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        账户
      </Typography.Title>
      <Card title="账户信息" style={{ marginBottom: 16 }}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label="管理员">{user.name}</Descriptions.Item>
          <Descriptions.Item label="电子邮箱">{user.email}</Descriptions.Item>
          <Descriptions.Item label="手机">{user.mobile}</Descriptions.Item>
          {org && <Descriptions.Item label="申报单位">{org.name}</Descriptions.Item>}
          {org && <Descriptions.Item label="统一社会信用代码">{org.uscc}</Descriptions.Item>}
          {org && <Descriptions.Item label="单位类型">{ORG_TYPE_LABELS[org.type]}</Descriptions.Item>}
          {org && (
            <Descriptions.Item label="核验状态">
              {org.verification === 'verified' ? <Tag color="green">已核验</Tag> : <Tag color="orange">待人工核验</Tag>}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title="修改密码">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
        <Form form={form} layout="vertical" onFinish={onFinish} aria-label="修改密码">
          <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请填写当前密码' }]}>
            <Input.Password autoComplete="current-password" data-testid="password-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label="新密码"
            extra={`至少 ${MIN_PASSWORD} 个字符`}
            rules={[
              { required: true, message: '请填写新密码' },
              { min: MIN_PASSWORD, message: `密码至少 ${MIN_PASSWORD} 个字符` },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入新密码"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-confirm" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
            修改密码
          </Button>
        </Form>
      </Card>
    </div>
  );
}
