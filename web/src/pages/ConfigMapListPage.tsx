import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { NamespaceSelect, useNamespaceParam } from '../components/common/NamespaceSelect.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { ConfigMapTable, CreateDataObjectModal } from '../components/configs/ConfigObjects.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/k8s/api-error.js';
import { useKubeClient, useKubeList } from '../lib/k8s/hooks.js';
import { resources } from '../lib/k8s/resources.js';

export default function ConfigMapListPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useKubeClient();
  const [params, setParams] = useSearchParams();
  const [namespace, setNamespace] = useNamespaceParam(params, setParams);
  const items = useKubeList(resources.configmaps, { namespace: namespace || undefined });
  const [open, setOpen] = useState(false);
  return (
    <>
      <PageHeader
        title={t('configs.title')}
        extra={
          <Tooltip title={namespace ? undefined : t('configs.pickNamespace')}>
            <Button type="primary" icon={<PlusOutlined />} disabled={!namespace} onClick={() => setOpen(true)}>
              {t('common.create')}
            </Button>
          </Tooltip>
        }
      />
      <Space style={{ marginBottom: 16 }}>
        <NamespaceSelect value={namespace} onChange={setNamespace} />
      </Space>
      <ErrorAlert error={items.error} />
      <ConfigMapTable items={items.items} onDelete={(c) => void client.delete(resources.configmaps, c.metadata.namespace, c.metadata.name ?? '').catch((e) => message.error(errorMessage(e)))} />
      <CreateDataObjectModal kind="ConfigMap" open={open} namespace={namespace} client={client} onClose={() => setOpen(false)} />
    </>
  );
}
