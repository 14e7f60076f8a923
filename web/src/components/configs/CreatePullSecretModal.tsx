// Creates an image pull secret (kubernetes.io/dockerconfigjson) for a private registry.
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import type { Secret } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorMessage } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { resources } from '../../lib/k8s/resources.js';

/** Base64 of a UTF-8 string (btoa alone only takes Latin-1). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Text of base64 data (UTF-8). */
export function fromBase64(data: string): string {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** The Secret `kubectl create secret docker-registry` makes. */
export function dockerRegistrySecret(namespace: string, name: string, server: string, username: string, password: string, email = ''): Secret {
  const auth = base64(`${username}:${password}`);
  const config = { auths: { [server]: { username, password, ...(email ? { email } : {}), auth } } };
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': base64(JSON.stringify(config)) } };
}

export function CreatePullSecretModal({ open, namespace, client, onClose, onCreated }: { open: boolean; namespace: string; client: KubeClient; onClose(): void; onCreated(name: string): void }) {
  const { t } = useI18n();
  const [v, setV] = useState({ name: '', server: '', username: '', password: '', email: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.create(resources.secrets, dockerRegistrySecret(namespace, v.name.trim(), v.server.trim(), v.username, v.password, v.email.trim()));
      onCreated(v.name.trim());
      setV({ name: '', server: '', username: '', password: '', email: '' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof v, label: string, help?: string, password = false) => (
    <Form.Item label={label} extra={help} htmlFor={`ps-${key}`}>
      {password ? (
        <Input.Password id={`ps-${key}`} value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })} autoComplete="new-password" />
      ) : (
        <Input id={`ps-${key}`} value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })} />
      )}
    </Form.Item>
  );
  return (
    <Modal
      title={t('pullSecret.createTitle', { namespace })}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ disabled: !v.name.trim() || !v.server.trim() || !v.username, loading: busy }}
      okText={t('common.create')}
      destroyOnHidden
    >
      <Form layout="vertical" component="div">
        {field('name', t('pullSecret.name'), t('pullSecret.nameHelp'))}
        {field('server', t('pullSecret.server'), t('pullSecret.serverHelp'))}
        {field('username', t('pullSecret.username'))}
        {field('password', t('pullSecret.password'), undefined, true)}
        {field('email', t('pullSecret.email'))}
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
