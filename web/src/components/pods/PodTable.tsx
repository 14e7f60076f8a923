// Pods of a Job (or a namespace): status as kubectl prints it, readiness, restarts, exit code, times.
import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import type { Pod } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { humanDuration } from '../../../../machinery/human-readable.js';
import { timeOf } from '../../lib/k8s/duration.js';
import { podContainerFailure, podReadyText, podRestarts, podStatusText } from '../../lib/k8s/pod-status.js';
import { PodStatusTag } from '../common/StatusTag.js';
import { TimeText } from '../common/TimeText.js';

/** When the pod's last container finished, if every container did. */
export function podFinishedAt(pod: Pod): string | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length === 0 || !statuses.every((c) => c.state?.terminated)) return undefined;
  return statuses.map((c) => c.state?.terminated?.finishedAt ?? '').sort().at(-1) || undefined;
}

/** Exit code of a finished pod's first non-zero container, else 0 when all exited, else ''. */
export function podExitCode(pod: Pod): string {
  const f = podContainerFailure(pod);
  if (f && !f.previous) return String(f.exitCode);
  return podFinishedAt(pod) ? '0' : '';
}

export function PodTableRenderer({ pods, now, showNamespace = false, onLogs }: { pods: Pod[] | undefined; now: number; showNamespace?: boolean; onLogs?(pod: string): void }) {
  const { t } = useI18n();
  const columns: ColumnsType<Pod> = [
    { title: t('pods.col.name'), key: 'name', render: (_, p) => <Link to={`/pods/${p.metadata.namespace}/${p.metadata.name}`}>{p.metadata.name}</Link> },
    ...(showNamespace ? [{ title: t('common.namespace'), key: 'ns', render: (_: unknown, p: Pod) => p.metadata.namespace }] : []),
    { title: t('pods.col.status'), key: 'status', render: (_, p) => <PodStatusTag text={podStatusText(p)} /> },
    { title: t('pods.col.ready'), key: 'ready', render: (_, p) => podReadyText(p) },
    { title: t('pods.col.restarts'), key: 'restarts', render: (_, p) => podRestarts(p) },
    { title: t('pods.col.exitCode'), key: 'exit', render: (_, p) => podExitCode(p) },
    { title: t('pods.col.node'), key: 'node', render: (_, p) => p.spec.nodeName ?? '' },
    { title: t('pods.col.ip'), key: 'ip', render: (_, p) => p.status?.podIP ?? '' },
    { title: t('pods.col.created'), key: 'created', render: (_, p) => <TimeText value={p.metadata.creationTimestamp} /> },
    { title: t('pods.col.finished'), key: 'finished', render: (_, p) => <TimeText value={podFinishedAt(p)} /> },
    {
      title: t('pods.col.age'),
      key: 'age',
      render: (_, p) => {
        const c = timeOf(p.metadata.creationTimestamp);
        return c === undefined ? '' : humanDuration(now - c);
      },
    },
    ...(onLogs
      ? [
          {
            title: '',
            key: 'actions',
            render: (_: unknown, p: Pod) => (
              <Typography.Link onClick={() => onLogs(p.metadata.name ?? '')}>{t('pods.logs')}</Typography.Link>
            ),
          },
        ]
      : []),
  ];
  const sorted = (pods ?? []).slice().sort((a, b) => (timeOf(a.metadata.creationTimestamp) ?? 0) - (timeOf(b.metadata.creationTimestamp) ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return (
    <Table<Pod>
      rowKey={(p) => p.metadata.uid ?? p.metadata.name ?? ''}
      columns={columns}
      dataSource={sorted}
      loading={pods === undefined}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      size="small"
      locale={{ emptyText: t('pods.empty') }}
    />
  );
}
