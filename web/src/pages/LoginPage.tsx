// Sign in with the API token the server printed (or follow the printed sign-in link).
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../app/session.js';
import { useI18n, type Language } from '../i18n/i18n.js';
import { errorMessage, isUnauthorized } from '../lib/k8s/api-error.js';

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(token.trim());
    } catch (err) {
      setError(isUnauthorized(err) ? t('login.wrongToken') : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7fa' }}>
      <Card style={{ width: 420 }} title={<Typography.Title level={3} style={{ margin: 0 }}>jobyard</Typography.Title>} extra={
        <Select<Language> aria-label={t('shell.language')} size="small" value={lang} onChange={setLang} options={[{ value: 'en', label: 'English' }, { value: 'zh', label: '简体中文' }]} />
      }>
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('login.intro')}</Typography.Paragraph>
          {session.expiredNotice && <Alert type="info" showIcon title={t('login.expired')} />}
          {session.error && <Alert type="warning" showIcon title={t('login.unreachable', { error: session.error })} />}
          {error && <Alert type="error" showIcon title={error} role="alert" />}
          <Form layout="vertical" onFinish={() => void submit()}>
            <Form.Item label={t('login.token')} extra={t('login.tokenHelp')}>
              <Input.Password autoFocus value={token} onChange={(e) => setToken(e.target.value)} autoComplete="current-password" aria-label={t('login.token')} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} disabled={token.trim() === ''}>
              {t('login.signIn')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
