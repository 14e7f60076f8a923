// Images the cluster's nodes have (each node's status.images: the picker's source), and where
// registry tags will come from. On an added cluster the same list comes through the proxy; a
// kubeconfig that may not list nodes is told apart from other failures.
import { Alert, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { formatBytes } from '../components/wizard/ImagePicker.js';
import { useI18n } from '../i18n/i18n.js';
import { engineImageSource, type ImageInfo } from '../lib/images/image-sources.js';
import { useKubeClient } from '../lib/k8s/hooks.js';
import { ApiError } from '../lib/k8s/api-error.js';
import { LOCAL_CLUSTER_NAME } from '../lib/k8s/clusters.js';
import { useOptionalClusters } from '../app/cluster.js';

export default function ImagesPage() {
  const { t } = useI18n();
  const client = useKubeClient();
  const cluster = useOptionalClusters()?.current.name ?? LOCAL_CLUSTER_NAME;
  const [images, setImages] = useState<ImageInfo[]>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    const abort = new AbortController();
    setImages(undefined);
    setError(undefined);
    engineImageSource(client)
      .list(abort.signal)
      .then(setImages)
      .catch((e: Error) => !abort.signal.aborted && setError(e));
    return () => abort.abort();
  }, [client]);
  return (
    <>
      <PageHeader title={t('images.title')} />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('images.helpCluster', { cluster })} />
      {error instanceof ApiError && error.code === 403 && <Alert type="warning" showIcon role="note" data-testid="images-forbidden" style={{ marginBottom: 16 }} title={t('images.forbidden', { cluster })} />}
      <ErrorAlert error={error} />
      <Table<ImageInfo>
        rowKey="repository"
        loading={images === undefined && !error}
        dataSource={images ?? []}
        size="small"
        locale={{ emptyText: t('image.none') }}
        columns={[
          { title: t('image.repository'), key: 'repo', render: (_, i) => i.repository },
          { title: t('image.tags'), key: 'tags', render: (_, i) => i.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) },
          { title: t('image.size'), key: 'size', render: (_, i) => formatBytes(i.sizeBytes) },
          { title: t('image.source'), key: 'source', render: () => t('images.source.engine') },
        ]}
      />
    </>
  );
}
