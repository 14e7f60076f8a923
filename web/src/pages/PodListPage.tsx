import { Space } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { NamespaceSelect, useNamespaceParam } from '../components/common/NamespaceSelect.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { PodTableRenderer } from '../components/pods/PodTable.js';
import { useI18n } from '../i18n/i18n.js';
import { useKubeList, useNow } from '../lib/k8s/hooks.js';
import { resources } from '../lib/k8s/resources.js';

export default function PodListPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [namespace, setNamespace] = useNamespaceParam(params, setParams);
  const pods = useKubeList(resources.pods, { namespace: namespace || undefined });
  const now = useNow(1000);
  return (
    <>
      <PageHeader title={t('pods.title')} />
      <Space style={{ marginBottom: 16 }}>
        <NamespaceSelect value={namespace} onChange={setNamespace} />
      </Space>
      <ErrorAlert error={pods.error} />
      <PodTableRenderer pods={pods.items} now={now} showNamespace />
    </>
  );
}
