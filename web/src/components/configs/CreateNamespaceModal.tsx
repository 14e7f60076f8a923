// Creates a namespace (the wizard's "create one" next to the namespace select).
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import type { Namespace } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorMessage } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { resources } from '../../lib/k8s/resources.js';

export function CreateNamespaceModal({ open, client, onClose, onCreated }: { open: boolean; client: KubeClient; onClose(): void; onCreated(name: string): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: name.trim() } };
      await client.create(resources.namespaces, ns);
      onCreated(name.trim());
      setName('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('ns.createTitle')} open={open} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !name.trim(), loading: busy }} okText={t('common.create')} destroyOnHidden>
      <Form layout="vertical" component="div">
        <Form.Item label={t('ns.name')} extra={t('ns.nameHelp')} htmlFor="new-namespace">
          <Input id="new-namespace" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
