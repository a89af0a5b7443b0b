import {
  IdcardOutlined,
  LockOutlined,
  MobileOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api, fieldErrors } from '../api/client.ts';
import type { Role, User } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage } from '../i18n/index.ts';
import { LanguageSwitch } from '../layout/app-layout.tsx';
import { useProblemMessage } from '../lib/use-problem-message.ts';
import { appRoutes, canOpen, homePathFor } from '../routes.tsx';

const RESEND_SECONDS = 60;
const ID_NUMBER = /^\d{17}[\dXx]$/;
const SIX_DIGITS = /^\d{6}$/;

/** After sign-in: back to the page that sent us here if the role may open it, else home. */
function destination(from: unknown, role: Role): string {
  if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) {
    const route = appRoutes.find((r) => from === r.path || from.startsWith(`${r.path}/`));
    if (route && canOpen(route, role)) return from;
  }
  return homePathFor(role);
}

function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const message = useProblemMessage();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={t('login.failed')}
      description={message(error)}
      role="alert"
      data-testid="login-error"
      style={{ marginBottom: 16 }}
    />
  );
}

function StaffForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ username: string; password: string; totp: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string; totp: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.login(values);
      onSignedIn(user);
    } catch (err) {
      setError(err);
      const fields = fieldErrors(err, currentLanguage());
      form.setFields(
        (['username', 'password', 'totp'] as const)
          .filter((f) => fields.has(f))
          .map((f) => ({ name: f, errors: [fields.get(f)!] })),
      );
      form.setFieldValue('totp', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="staff-login">
      <ErrorAlert error={error} />
      <Form.Item
        name="username"
        label={t('login.username')}
        rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('login.passwordRequired') }]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="totp"
        label={
          <span>
            <SafetyOutlined /> {t('login.totp')}
          </span>
        }
        extra={t('login.totpHelp')}
        rules={[{ required: true, pattern: SIX_DIGITS, message: t('login.totpRequired') }]}
      >
        <Input.OTP length={6} inputMode="numeric" autoComplete="one-time-code" data-testid="totp" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="staff-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );
}

function CitizenForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ idNumber: string; code: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = window.setTimeout(() => setCountdown((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [countdown]);

  const applyFieldErrors = (err: unknown) => {
    const fields = fieldErrors(err, currentLanguage());
    form.setFields(
      (['idNumber', 'code'] as const)
        .filter((f) => fields.has(f))
        .map((f) => ({ name: f, errors: [fields.get(f)!] })),
    );
  };

  const sendCode = async () => {
    setError(null);
    let idNumber: string;
    try {
      ({ idNumber } = await form.validateFields(['idNumber']));
    } catch {
      return;
    }
    setSending(true);
    try {
      const res = await api.sendCitizenCode({ idNumber: idNumber.toUpperCase() });
      setSentTo(res.phoneMasked);
      setCountdown(RESEND_SECONDS);
    } catch (err) {
      setError(err);
      applyFieldErrors(err);
    } finally {
      setSending(false);
    }
  };

  const submit = async (values: { idNumber: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.citizenLogin({ idNumber: values.idNumber.toUpperCase(), code: values.code });
      onSignedIn(user);
    } catch (err) {
      setError(err);
      applyFieldErrors(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="citizen-login">
      <ErrorAlert error={error} />
      <Form.Item
        name="idNumber"
        label={t('login.idNumber')}
        rules={[
          { required: true, whitespace: true, message: t('login.idNumberRequired') },
          { pattern: ID_NUMBER, message: t('login.idNumberInvalid') },
        ]}
      >
        <Input prefix={<IdcardOutlined />} maxLength={18} autoComplete="off" inputMode="text" />
      </Form.Item>
      <Form.Item
        label={
          <span>
            <MobileOutlined /> {t('login.smsCode')}
          </span>
        }
        extra={sentTo ? <span data-testid="code-sent">{t('login.codeSent', { phone: sentTo })}</span> : null}
        required
      >
        <Space.Compact block>
          <Form.Item
            name="code"
            noStyle
            rules={[{ required: true, pattern: SIX_DIGITS, message: t('login.smsCodeRequired') }]}
          >
            <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" data-testid="sms-code" />
          </Form.Item>
          <Button
            onClick={() => void sendCode()}
            loading={sending}
            disabled={countdown > 0}
            data-testid="send-code"
          >
            {countdown > 0 ? t('login.resendIn', { seconds: countdown }) : t('login.sendCode')}
          </Button>
        </Space.Compact>
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="citizen-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { user, setUser } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as { from?: unknown } | null)?.from;
  const [tab, setTab] = useState(() => (location.hash === '#citizen' ? 'citizen' : 'staff'));

  if (user === undefined) return <PageSpinner />;
  if (user) return <Navigate to={destination(from, user.role)} replace />;

  const onSignedIn = (signedIn: User) => {
    setUser(signedIn);
    navigate(destination(from, signedIn.role), { replace: true });
  };

  return (
    <main className="login-page">
      <div className="login-top">
        <span className="app-brand">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span className="app-brand-name">
            {t('app.name')} <span className="app-brand-latin">{t('app.nameLatin')}</span>
          </span>
        </span>
        <LanguageSwitch size="small" />
      </div>
      <Card className="login-card">
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'staff', label: t('login.staffTab'), children: <StaffForm onSignedIn={onSignedIn} /> },
            {
              key: 'citizen',
              label: t('login.citizenTab'),
              children: <CitizenForm onSignedIn={onSignedIn} />,
            },
          ]}
        />
      </Card>
      <div className="login-links">
        <Link to="/calculator">{t('login.publicCalculator')}</Link>
      </div>
    </main>
  );
}
