// ConfigMaps and Secrets, as far as the wizard needs them: list, create, delete; secret values
// stay hidden until a person asks for one.
import { DeleteOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ConfigMap, Secret } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorMessage } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { resources } from '../../lib/k8s/resources.js';
import { KeyValueEditor, type KeyValueRow } from '../common/KeyValueEditor.js';
import { TimeText } from '../common/TimeText.js';
import { base64, fromBase64 } from './CreatePullSecretModal.js';

/** One secret value: dots until shown; decoded as UTF-8 text. */
export function SecretValue({ data }: { data: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  let text = '';
  if (shown) {
    try {
      text = fromBase64(data);
    } catch {
      text = data;
    }
  }
  return (
    <span>
      <Typography.Text code data-testid="secret-value">
        {shown ? text : '••••••••'}
      </Typography.Text>
      <Button size="small" type="link" icon={shown ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={() => setShown(!shown)}>
        {shown ? t('secrets.hide') : t('secrets.show')}
      </Button>
    </span>
  );
}

export function ConfigMapTable({ items, onDelete }: { items: ConfigMap[] | undefined; onDelete(c: ConfigMap): void }) {
  const { t } = useI18n();
  return (
    <Table<ConfigMap>
      rowKey={(c) => c.metadata.uid ?? `${c.metadata.namespace}/${c.metadata.name}`}
      loading={items === undefined}
      dataSource={items ?? []}
      size="small"
      locale={{ emptyText: t('configs.empty') }}
      expandable={{
        expandedRowRender: (c) => (
          <Table size="small" pagination={false} rowKey="k" dataSource={Object.entries(c.data ?? {}).map(([k, v]) => ({ k, v }))} columns={[{ title: t('common.key'), dataIndex: 'k' }, { title: t('common.value'), dataIndex: 'v', render: (v: string) => <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text> }]} />
        ),
      }}
      columns={[
        { title: t('common.name'), key: 'name', render: (_, c) => c.metadata.name },
        { title: t('common.namespace'), key: 'ns', render: (_, c) => c.metadata.namespace },
        { title: t('configs.keys'), key: 'keys', render: (_, c) => Object.keys({ ...c.data, ...c.binaryData }).map((k) => <Tag key={k}>{k}</Tag>) },
        { title: t('pods.col.created'), key: 'created', render: (_, c) => <TimeText value={c.metadata.creationTimestamp} /> },
        {
          title: '',
          key: 'actions',
          render: (_, c) => (
            <Popconfirm title={t('configs.deleteConfirm', { name: c.metadata.name ?? '' })} onConfirm={() => onDelete(c)}>
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('actions.delete')} />
            </Popconfirm>
          ),
        },
      ]}
    />
  );
}

export function SecretTable({ items, onDelete }: { items: Secret[] | undefined; onDelete(s: Secret): void }) {
  const { t } = useI18n();
  return (
    <Table<Secret>
      rowKey={(s) => s.metadata.uid ?? `${s.metadata.namespace}/${s.metadata.name}`}
      loading={items === undefined}
      dataSource={items ?? []}
      size="small"
      locale={{ emptyText: t('secrets.empty') }}
      expandable={{
        expandedRowRender: (s) => (
          <Table size="small" pagination={false} rowKey="k" dataSource={Object.entries(s.data ?? {}).map(([k, v]) => ({ k, v }))} columns={[{ title: t('common.key'), dataIndex: 'k' }, { title: t('common.value'), dataIndex: 'v', render: (v: string) => <SecretValue data={v} /> }]} />
        ),
      }}
      columns={[
        { title: t('common.name'), key: 'name', render: (_, s) => s.metadata.name },
        { title: t('common.namespace'), key: 'ns', render: (_, s) => s.metadata.namespace },
        { title: t('secrets.type'), key: 'type', render: (_, s) => s.type ?? 'Opaque' },
        { title: t('configs.keys'), key: 'keys', render: (_, s) => Object.keys(s.data ?? {}).map((k) => <Tag key={k}>{k}</Tag>) },
        { title: t('pods.col.created'), key: 'created', render: (_, s) => <TimeText value={s.metadata.creationTimestamp} /> },
        {
          title: '',
          key: 'actions',
          render: (_, s) => (
            <Popconfirm title={t('configs.deleteConfirm', { name: s.metadata.name ?? '' })} onConfirm={() => onDelete(s)}>
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('actions.delete')} />
            </Popconfirm>
          ),
        },
      ]}
    />
  );
}

/** Creates a ConfigMap or an Opaque Secret from key/value rows. */
export function CreateDataObjectModal({ kind, open, namespace, client, onClose }: { kind: 'ConfigMap' | 'Secret'; open: boolean; namespace: string; client: KubeClient; onClose(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [rows, setRows] = useState<KeyValueRow[]>([{ key: '', value: '' }]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const entries = rows.filter((r) => r.key.trim() !== '');
      if (kind === 'ConfigMap') {
        await client.create(resources.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name.trim(), namespace }, data: Object.fromEntries(entries.map((r) => [r.key.trim(), r.value])) });
      } else {
        await client.create(resources.secrets, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: name.trim(), namespace }, data: Object.fromEntries(entries.map((r) => [r.key.trim(), base64(r.value)])) });
      }
      setName('');
      setRows([{ key: '', value: '' }]);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={kind === 'ConfigMap' ? t('configs.createTitle', { namespace }) : t('secrets.createTitle', { namespace })} open={open} onCancel={onClose} onOk={() => void submit()} okText={t('common.create')} okButtonProps={{ disabled: !name.trim(), loading: busy }} destroyOnHidden>
      <Form layout="vertical" component="div">
        <Form.Item label={t('common.name')} htmlFor="data-name">
          <Input id="data-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('configs.data')} extra={kind === 'Secret' ? t('secrets.dataHelp') : undefined}>
          <KeyValueEditor value={rows} onChange={setRows} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
