// Deploy targets: `local` and the clusters added from kubeconfigs, probed when the page opens;
// add one, remove one, or switch the console to one.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useClusters } from '../app/cluster.js';
import { AddClusterModal } from '../components/clusters/AddClusterModal.js';
import { ClusterTable } from '../components/clusters/ClusterTable.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/k8s/api-error.js';
import { LOCAL_CLUSTER_NAME, removeCluster } from '../lib/k8s/clusters.js';

export default function ClustersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { clusters, loaded, error, current, select, refresh, clientFor } = useClusters();
  const [adding, setAdding] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const local = clientFor(LOCAL_CLUSTER_NAME);

  const reprobe = async () => {
    setRefreshing(true);
    try {
      await refresh();
    } finally {
      setRefreshing(false);
    }
  };
  // Opening the page probes every cluster again.
  useEffect(() => {
    void reprobe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <>
      <PageHeader
        title={t('clusters.title')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} loading={refreshing} onClick={() => void reprobe()}>
              {t('clusters.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('clusters.add')}
            </Button>
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t('clusters.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={t('clusters.listFailed')} description={error} />}
      <ClusterTable
        clusters={loaded ? clusters : undefined}
        current={current.name}
        onUse={(name) => {
          select(name);
          message.success(t('clusters.switched', { name }));
        }}
        onRemove={async (name) => {
          try {
            await removeCluster(local, name);
            message.success(t('clusters.removed', { name }));
          } catch (err) {
            message.error(errorMessage(err));
          }
          await refresh();
        }}
      />
      <AddClusterModal
        open={adding}
        client={local}
        onClose={() => setAdding(false)}
        onAdded={(c) => {
          setAdding(false);
          if (c.reachable === false) message.warning(t('clusters.addedUnreachable', { name: c.name, message: c.message ?? '' }));
          else message.success(t('clusters.added', { name: c.name, version: c.version ?? '?' }));
          void refresh();
        }}
      />
    </>
  );
}
