// After Create (docs/product.md#created-objects-page): every object the application created, with links; the Job's pods appear live.
// A CronJob has no pods yet (its Jobs start at the scheduled times): it links to the CronJobs page.
import { Button, Result, Space, Table, Tag } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import type { Pod } from '../../../api/core.js';
import { useOptionalClusters } from '../app/cluster.js';
import { useI18n } from '../i18n/i18n.js';
import { useKubeList, useNow } from '../lib/k8s/hooks.js';
import { jobPodSelector } from '../lib/k8s/job-status.js';
import { podStatusText } from '../lib/k8s/pod-status.js';
import { resources } from '../lib/k8s/resources.js';
import { PodStatusTag } from '../components/common/StatusTag.js';
import { TimeText } from '../components/common/TimeText.js';
import type { CreatedRef } from '../components/wizard/JobWizard.js';
import { loadCreated, type CreatedResult } from './created-store.js';

interface Row {
  key: string;
  kind: string;
  name: string;
  namespace?: string;
  link?: string;
  status?: React.ReactNode;
  created?: string;
}

/** The CronJobs page, filtered to the namespace. */
export function cronJobsLink(namespace: string | undefined): string {
  return `/cronjobs?namespace=${encodeURIComponent(namespace ?? '')}`;
}

function linkOf(o: CreatedRef): string | undefined {
  if (o.kind === 'Job') return `/jobs/${o.namespace}/${o.name}`;
  if (o.kind === 'CronJob') return cronJobsLink(o.namespace);
  if (o.kind === 'Pod') return `/pods/${o.namespace}/${o.name}`;
  if (o.kind === 'Secret') return `/secrets?namespace=${encodeURIComponent(o.namespace ?? '')}`;
  if (o.kind === 'ConfigMap') return `/configmaps?namespace=${encodeURIComponent(o.namespace ?? '')}`;
  if (o.kind === 'Namespace') return `/jobs?namespace=${encodeURIComponent(o.name)}`;
  return undefined;
}

export default function JobCreatedPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  useNow(1000);
  const result = (location.state as CreatedResult | null) ?? loadCreated();
  const job = result?.job;
  const cronJob = result?.cronJob;
  // The pods live on the cluster the job was created on (the wizard may deploy elsewhere).
  const clusters = useOptionalClusters();
  const cluster = result?.cluster;
  const client = clusters && cluster ? clusters.clientFor(cluster) : undefined;
  const pods = useKubeList(resources.pods, { namespace: job?.metadata.namespace, labelSelector: job ? jobPodSelector(job) : undefined, enabled: !!job, client });
  /** Links and buttons open the job's cluster. */
  const go = (to: string) => {
    if (clusters && cluster && clusters.current.name !== cluster) clusters.select(cluster);
    navigate(to);
  };
  if (!result || (!job && !cronJob)) {
    return <Result status="info" title={t('created.nothing')} extra={<Link to="/jobs">{t('common.backToList')}</Link>} />;
  }
  const rows: Row[] = [
    ...result.objects.map((o) => ({ key: `${o.kind}/${o.namespace}/${o.name}`, kind: o.kind, name: o.name, namespace: o.namespace, link: linkOf(o) })),
    ...(pods.items ?? []).map((p: Pod) => ({
      key: `Pod/${p.metadata.uid}`,
      kind: 'Pod',
      name: p.metadata.name ?? '',
      namespace: p.metadata.namespace,
      link: `/pods/${p.metadata.namespace}/${p.metadata.name}`,
      status: <PodStatusTag text={podStatusText(p)} />,
      created: p.metadata.creationTimestamp,
    })),
  ];
  const made = (cronJob ?? job)!;
  const detail = cronJob ? cronJobsLink(cronJob.metadata.namespace) : `/jobs/${made.metadata.namespace}/${made.metadata.name}`;
  return (
    <>
      <Result
        status="success"
        title={t('created.title', { name: made.metadata.name ?? '' })}
        subTitle={
          <>
            {cronJob ? t('created.subtitleCron', { schedule: cronJob.spec.schedule }) : t('created.subtitle')}{' '}
            <span data-testid="created-cluster">{t('created.onCluster', { cluster: cluster ?? '' })}</span>
          </>
        }
        extra={
          <Space>
            <Button type="primary" onClick={() => go(detail)}>
              {cronJob ? t('created.viewCronJobs') : t('created.viewDetail')}
            </Button>
            <Button onClick={() => go('/jobs')}>{t('common.backToList')}</Button>
            <Button onClick={() => navigate(cronJob ? '/jobs/create?type=CronJob' : '/jobs/create')}>{t('created.createAnother')}</Button>
          </Space>
        }
      />
      <Table<Row>
        aria-label={t('created.objects')}
        title={() => t('created.objects')}
        rowKey="key"
        pagination={false}
        size="small"
        dataSource={rows}
        columns={[
          { title: t('created.col.kind'), key: 'kind', render: (_, r) => <Tag>{r.kind}</Tag> },
          { title: t('created.col.name'), key: 'name', render: (_, r) =>
            r.link ? (
              <Link to={r.link} onClick={() => clusters && cluster && clusters.current.name !== cluster && clusters.select(cluster)}>
                {r.name}
              </Link>
            ) : (
              r.name
            ),
        },
          { title: t('common.namespace'), key: 'ns', render: (_, r) => r.namespace ?? '—' },
          { title: t('pods.col.status'), key: 'status', render: (_, r) => r.status ?? '' },
          { title: t('pods.col.created'), key: 'created', render: (_, r) => (r.created ? <TimeText value={r.created} /> : '') },
        ]}
      />
    </>
  );
}
