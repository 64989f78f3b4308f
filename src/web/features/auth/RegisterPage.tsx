import { Alert, App as AntApp, Button, Card, Form, Input, Radio, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { checkUscc, nameTextProblem, ORG_TYPE_LABELS, ORG_TYPES, type TOrgType } from '../../../domain';
import { ApiError, api } from '../../api/client';
import { Link, useRouter } from '../../app/router';
import { useSession } from '../../app/session';

interface RegisterForm {
  orgName: string;
  uscc: string;
  orgType: TOrgType;
  adminName: string;
  email: string;
  mobile: string;
  password: string;
}

/** Form field for each server problem path. */
const PROBLEM_FIELD: Record<string, keyof RegisterForm> = {
  'organisation.name': 'orgName',
  'organisation.uscc': 'uscc',
  'organisation.type': 'orgType',
  'admin.name': 'adminName',
  'admin.email': 'email',
  'admin.mobile': 'mobile',
  'admin.password': 'password',
};

export const MIN_PASSWORD = 10;

/** Register an organisation and its one administrator. */
/** The server's rule for registered names (domain nameTextProblem), checked as the user types. */
const nameRule = (label: string) => ({
  validator: (_: unknown, v: string | undefined) => {
    const p = v ? nameTextProblem(v.trim()) : null;
    return p ? Promise.reject(new Error(`${label}${p}`)) : Promise.resolve();
  },
});

/**
 * /register for someone already logged in: each 申报单位 registers one administrator account
 * (notice 四.1), so registering another one starts with logging out; say so instead of
 * showing a form.
 */
export function RegisterWhileLoggedIn() {
  const { session } = useSession();
  const user = session?.user;
  const who = [user?.organisation?.name, user?.name].filter(Boolean).join(' ');
  return (
    <Result
      status="info"
      title="您已登录"
      subTitle={`当前账号：${who}。每个申报单位只注册一个管理员账号；要为另一个申报单位注册，请先退出登录。`}
      extra={<Link to="/dashboard">{user?.role === 'funder_admin' ? '进入申报管理' : '进入我的申报'}</Link>}
      data-testid="register-logged-in"
    />
  );
}

export function RegisterPage() {
  const [form] = Form.useForm<RegisterForm>();
  const uscc = Form.useWatch('uscc', form) ?? '';
  const { refresh } = useSession();
  const { navigate } = useRouter();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [offerManual, setOfferManual] = useState(false);

  const check = uscc ? checkUscc(uscc) : null;

  const send = async (values: RegisterForm, pendingVerification: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.register({
        organisation: { name: values.orgName.trim(), uscc: checkUscc(values.uscc).code, type: values.orgType },
        admin: { name: values.adminName.trim(), email: values.email.trim(), mobile: values.mobile.trim(), password: values.password },
        ...(pendingVerification ? { pendingVerification: true } : {}),
      });
      await refresh();
      message.success(pendingVerification ? '注册成功。统一社会信用代码将由工作人员人工核验。' : '注册成功');
      navigate('/dashboard');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'organisation_exists')
        setError('该统一社会信用代码已经注册。每个申报单位只能注册一个管理员账号，请使用本单位已有的管理员账号登录；如不清楚账号，请联系本单位管理员。');
      else if (e.code === 'email_exists') setError('该电子邮箱已被其他账号使用，请换一个邮箱，或直接登录。');
      else setError(e.message);
      if (e.body.problems?.length) {
        form.setFields(
          e.body.problems
            .filter((p) => PROBLEM_FIELD[p.path])
            .map((p) => ({ name: PROBLEM_FIELD[p.path], errors: [p.message] })),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const onFinish = (values: RegisterForm) => {
    if (!checkUscc(values.uscc).valid) {
      setOfferManual(true);
      return;
    }
    void send(values, false);
  };

  return (
    <div className="page-narrow">
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          注册申报单位
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          每个申报单位只可注册一个管理员账号，由该账号统一管理本单位的全部申报项目。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="register-error" />}
        <Form<RegisterForm>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{ orgType: 'national-society' }}
          aria-label="注册申报单位"
          requiredMark
        >
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 16, fontWeight: 600 }}>申报单位</legend>
            <Form.Item name="orgName" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }, nameRule('单位名称')]}>
              <Input maxLength={200} autoComplete="organization" data-testid="register-org-name" />
            </Form.Item>
            <Form.Item
              name="uscc"
              label="统一社会信用代码"
              rules={[{ required: true, whitespace: true, message: '请填写统一社会信用代码' }]}
              // the live check of a typed code (a warning: a legacy code may go to manual
              // verification); while empty, `help` and the status are left to the rules, so
              // that the required message shows in red, and the format help stays below it
              validateStatus={check ? (check.valid ? 'success' : 'warning') : undefined}
              help={check ? (check.valid ? '代码格式与校验位正确' : check.message) : undefined}
              extra="18 位，见登记证书或营业执照；全国学会的代码以 51 开头"
              hasFeedback={!!check}
            >
              <Input maxLength={24} data-testid="register-uscc" style={{ fontFamily: 'monospace' }} onChange={() => setOfferManual(false)} />
            </Form.Item>
            <Form.Item name="orgType" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
              <Radio.Group data-testid="register-org-type">
                <Space orientation="vertical">
                  {ORG_TYPES.map((t) => (
                    <Radio key={t} value={t} data-testid={`register-org-type-${t}`}>
                      {ORG_TYPE_LABELS[t]}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
          </fieldset>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 16, fontWeight: 600 }}>管理员</legend>
            <Form.Item name="adminName" label="管理员姓名" rules={[{ required: true, whitespace: true, message: '请填写管理员姓名' }, nameRule('管理员姓名')]}>
              <Input maxLength={100} autoComplete="name" data-testid="register-admin-name" />
            </Form.Item>
            <Form.Item
              name="email"
              label="电子邮箱"
              rules={[
                { required: true, message: '请填写电子邮箱' },
                { type: 'email', message: '电子邮箱格式不正确，例如 name@example.cn' },
              ]}
            >
              <Input maxLength={100} autoComplete="email" inputMode="email" data-testid="register-email" />
            </Form.Item>
            <Form.Item
              name="mobile"
              label="手机"
              rules={[
                { required: true, message: '请填写手机号码' },
                { pattern: /^1[3-9]\d{9}$/, message: '应为 11 位手机号码，以 13–19 开头，例如 13812345678' },
              ]}
            >
              <Input maxLength={11} autoComplete="tel" inputMode="tel" data-testid="register-mobile" />
            </Form.Item>
            <Form.Item
              name="password"
              label="密码"
              extra={`至少 ${MIN_PASSWORD} 个字符`}
              rules={[
                { required: true, message: '请设置密码' },
                { min: MIN_PASSWORD, message: `密码至少 ${MIN_PASSWORD} 个字符` },
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="register-password" visibilityToggle />
            </Form.Item>
          </fieldset>
          {offerManual && check && !check.valid && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={`统一社会信用代码未通过校验：${check.message}`}
              description="如确认代码与登记证书一致，可以提交人工核验；核验通过前，工作人员会与您联系。"
              action={
                <Button
                  danger
                  loading={busy}
                  data-testid="register-manual-verification"
                  onClick={() => form.validateFields().then((v) => send(v, true), () => undefined)}
                >
                  代码核验未通过，仍要提交人工核验
                </Button>
              }
            />
          )}
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="register-submit">
            注册
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16 }}>
          已有账号？<Link to="/login">登录</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
