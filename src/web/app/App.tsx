import { Result, Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { CallPage } from '../features/call/CallPage';
import { LoginPage } from '../features/auth/LoginPage';
import { RegisterPage, RegisterWhileLoggedIn } from '../features/auth/RegisterPage';
import { AccountPage } from '../features/auth/AccountPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { Link, matchPath, useRouter } from './router';
import { useSession } from './session';
import { Shell } from './Shell';

const EditorPage = lazy(() => import('../features/application-editor/EditorPage'));
const SubmittedPage = lazy(() => import('../features/application-editor/SubmittedPage'));

const DEFAULT_CALL = '2023-xhgf';

/** Route table. Pages that need a login send the visitor to /login?next=… */
export function App() {
  const { path } = useRouter();
  const { session, loading, error, expired, lastUser } = useSession();

  if (loading) return <Spin fullscreen description="正在加载…" />;
  if (!session)
    return (
      <Result status="warning" title="无法连接申报系统服务器" subTitle={error ?? '请稍后刷新页面重试。'} data-testid="server-unreachable" />
    );

  const needUser = (node: ReactNode) => (session.user ? node : <RedirectToLogin />);
  let page: ReactNode;
  let m: Record<string, string> | null;
  if (path === '/' || path === '') page = <CallPage code={DEFAULT_CALL} />;
  else if ((m = matchPath('/calls/:code', path))) page = <CallPage code={m.code} />;
  else if (path === '/login') page = <LoginPage />;
  else if (path === '/register') page = session.user ? <RegisterWhileLoggedIn /> : <RegisterPage />;
  else if (path === '/account') page = needUser(<AccountPage />);
  else if (path === '/dashboard') page = needUser(<DashboardPage />);
  else if ((m = matchPath('/applications/:id/submitted', path))) page = needUser(<SubmittedPage id={m.id} />);
  // An open editor stays on screen when the login expires: the text must not vanish.
  else if ((m = matchPath('/applications/:id', path)))
    page = session.user || (expired && lastUser) ? <EditorPage key={m.id} id={m.id} /> : <RedirectToLogin />;
  else
    page = (
      <Result status="404" title="页面不存在" extra={<Link to="/">返回申报通知</Link>} />
    );

  return (
    <Shell>
      <Suspense fallback={<Spin description="正在加载…" />}>{page}</Suspense>
    </Shell>
  );
}

function RedirectToLogin() {
  const { path, search } = useRouter();
  const next = encodeURIComponent(path + (search.toString() ? `?${search}` : ''));
  return (
    <Result
      status="403"
      title="请先登录"
      subTitle="此页面需要登录申报单位管理员账号。"
      extra={
        <Link to={`/login?next=${next}`} data-testid="goto-login">
          去登录
        </Link>
      }
    />
  );
}
