import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { NamespaceSelect, useNamespaceParam } from '../components/common/NamespaceSelect.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { CreateDataObjectModal, SecretTable } from '../components/configs/ConfigObjects.js';
import { CreatePullSecretModal } from '../components/configs/CreatePullSecretModal.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/k8s/api-error.js';
import { useKubeClient, useKubeList } from '../lib/k8s/hooks.js';
import { resources } from '../lib/k8s/resources.js';

export default function SecretListPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useKubeClient();
  const [params, setParams] = useSearchParams();
  const [namespace, setNamespace] = useNamespaceParam(params, setParams);
  const items = useKubeList(resources.secrets, { namespace: namespace || undefined });
  const [open, setOpen] = useState<'opaque' | 'registry'>();
  return (
    <>
      <PageHeader
        title={t('secrets.title')}
        extra={
          <Tooltip title={namespace ? undefined : t('configs.pickNamespace')}>
            <Space>
              <Button type="primary" icon={<PlusOutlined />} disabled={!namespace} onClick={() => setOpen('opaque')}>
                {t('secrets.create')}
              </Button>
              <Button icon={<PlusOutlined />} disabled={!namespace} onClick={() => setOpen('registry')}>
                {t('container.createPullSecret')}
              </Button>
            </Space>
          </Tooltip>
        }
      />
      <Space style={{ marginBottom: 16 }}>
        <NamespaceSelect value={namespace} onChange={setNamespace} />
      </Space>
      <ErrorAlert error={items.error} />
      <SecretTable items={items.items} onDelete={(s) => void client.delete(resources.secrets, s.metadata.namespace, s.metadata.name ?? '').catch((e) => message.error(errorMessage(e)))} />
      <CreateDataObjectModal kind="Secret" open={open === 'opaque'} namespace={namespace} client={client} onClose={() => setOpen(undefined)} />
      <CreatePullSecretModal open={open === 'registry'} namespace={namespace} client={client} onClose={() => setOpen(undefined)} onCreated={() => setOpen(undefined)} />
    </>
  );
}
