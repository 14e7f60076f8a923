// A cluster's name as the pickers show it: an unreachable one is marked, and says why on hover.
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { ClusterInfo } from '../../lib/k8s/clusters.js';

export function ClusterLabel({ cluster }: { cluster: ClusterInfo }) {
  const { t } = useI18n();
  const down = cluster.reachable === false;
  return (
    <span
      data-cluster={cluster.name}
      data-reachable={cluster.reachable === undefined ? 'unknown' : String(cluster.reachable)}
      title={down ? (cluster.message ?? t('clusters.unreachable')) : cluster.server}
    >
      {cluster.name}
      {down && (
        <Tag color="error" style={{ marginInlineStart: 6, marginInlineEnd: 0 }}>
          {t('clusters.unreachable')}
        </Tag>
      )}
    </span>
  );
}

/** Select options for clusters (value: the name; label: the marked name). */
export function clusterOptions(clusters: readonly ClusterInfo[]): { value: string; label: ReactNode }[] {
  return clusters.map((c) => ({ value: c.name, label: <ClusterLabel cluster={c} /> }));
}
