import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { Link, useRouter } from '../../app/router';
import { useSession } from '../../app/session';

/** Log in with e-mail or 统一社会信用代码, then go back where the visitor came from. */
export function LoginPage() {
  const { refresh, expired } = useSession();
  const { navigate, search } = useRouter();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = search.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';

  const onFinish = async (v: { login: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.login(v.login.trim(), v.password);
      await refresh();
      message.success('登录成功');
      navigate(safeNext, { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError(e.status === 401 ? '账号或密码不正确' : e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page-narrow">
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          登录
        </Typography.Title>
        {(expired || next) && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title="登录已过期或尚未登录。重新登录后，未保存的修改会自动恢复。" />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={onFinish} aria-label="登录">
          <Form.Item name="login" label="电子邮箱或统一社会信用代码" rules={[{ required: true, whitespace: true, message: '请填写电子邮箱或统一社会信用代码' }]}>
            <Input autoComplete="username" data-testid="login-name" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请填写密码' }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登录
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16 }}>
          还没有账号？<Link to="/register">注册申报单位</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
