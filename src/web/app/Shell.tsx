import { Alert, App as AntApp, Button, Layout, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { api } from '../api/client';
import { formatBeijing } from '../../domain';
import { useServerNow } from '../lib/server-clock';
import { Link, useRouter } from './router';
import { useSession } from './session';

/** Page frame: header with navigation, demo-clock banner, main landmark, footer. */
export function Shell({ children }: { children: ReactNode }) {
  const { session, refresh } = useSession();
  const { navigate, path } = useRouter();
  const { message } = AntApp.useApp();
  const user = session?.user ?? null;

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      /* already logged out: fine */
    }
    await refresh();
    message.success('已退出登录');
    navigate('/login');
  };

  const navLink = (to: string, label: string, testId: string) => (
    <Link to={to} data-testid={testId} aria-current={path === to ? 'page' : undefined} className="nav-link">
      {label}
    </Link>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#main" className="skip-link">
        跳到主要内容
      </a>
      <Layout.Header className="app-header" role="banner">
        <Link to="/calls/2023-xhgf" className="app-title">
          申报 · 学会公共服务能力提升项目申报系统
        </Link>
        <nav aria-label="主导航" className="app-nav">
          <Space size="middle" wrap>
            {navLink('/calls/2023-xhgf', '申报通知', 'nav-call')}
            {user && navLink('/dashboard', user.role === 'funder_admin' ? '申报管理' : '我的申报', 'nav-dashboard')}
            {user && navLink('/account', '账户', 'nav-account')}
            {!user && navLink('/login', '登录', 'nav-login')}
            {!user && navLink('/register', '注册', 'nav-register')}
            {user && (
              <span className="nav-user" data-testid="nav-user">
                {user.organisation?.name ?? ''} {user.name}
              </span>
            )}
            {user && (
              <Button size="small" onClick={logout} data-testid="logout">
                退出
              </Button>
            )}
          </Space>
        </nav>
      </Layout.Header>
      {session?.clockSimulated && <SimulatedClockBanner />}
      <Layout.Content id="main" role="main" tabIndex={-1} className="app-main">
        {children}
      </Layout.Content>
      <Layout.Footer role="contentinfo" className="app-footer">
        <Typography.Text type="secondary">所有时间均为北京时间（UTC+8）。中国科协科学技术创新部 · 学会公共服务能力提升项目</Typography.Text>
      </Layout.Footer>
    </Layout>
  );
}

function SimulatedClockBanner() {
  const now = useServerNow();
  return (
    <Alert
      type="warning"
      banner
      data-testid="simulated-clock-banner"
      title={`演示模式：系统时间为模拟时间 ${formatBeijing(now)}，与实际时间不同。`}
    />
  );
}
