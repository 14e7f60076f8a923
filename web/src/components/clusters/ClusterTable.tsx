// The deploy targets as a table (pure renderer): name, server, version, reachable or why not,
// context, namespace, when added; switch to one, remove an added one. Rows carry data-row-key=<name>.
import { Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import type { ClusterInfo } from '../../lib/k8s/clusters.js';
import { TimeText } from '../common/TimeText.js';

export interface ClusterTableProps {
  clusters: ClusterInfo[] | undefined;
  current: string;
  onUse(name: string): void;
  onRemove(name: string): Promise<void>;
}

export function ClusterTable({ clusters, current, onUse, onRemove }: ClusterTableProps) {
  const { t } = useI18n();
  return (
    <Table<ClusterInfo>
      aria-label={t('clusters.title')}
      size="small"
      rowKey="name"
      loading={clusters === undefined}
      dataSource={clusters ?? []}
      pagination={false}
      columns={[
        {
          title: t('common.name'),
          key: 'name',
          render: (_, c) => (
            <Space size={4} wrap={false} style={{ whiteSpace: 'nowrap' }}>
              <Typography.Text strong data-testid="cluster-name">
                {c.name}
              </Typography.Text>
              {c.local && <Tag color="blue">{t('clusters.builtIn')}</Tag>}
              {c.name === current && <Tag color="green">{t('clusters.current')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('clusters.col.server'),
          key: 'server',
          render: (_, c) => (
            <Typography.Text data-testid="cluster-server" style={{ whiteSpace: 'nowrap', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}>
              {c.server ?? '—'}
            </Typography.Text>
          ),
        },
        { title: t('clusters.col.version'), key: 'version', render: (_, c) => <span data-testid="cluster-version">{c.version ?? '—'}</span> },
        {
          title: t('clusters.col.status'),
          key: 'status',
          render: (_, c) =>
            c.reachable === undefined ? (
              <Tag data-testid="cluster-status" data-reachable="unknown">
                {t('clusters.unknown')}
              </Tag>
            ) : c.reachable ? (
              <Tag color="success" data-testid="cluster-status" data-reachable="true">
                {t('clusters.reachable')}
              </Tag>
            ) : (
              <Space orientation="vertical" size={2}>
                <Tag color="error" data-testid="cluster-status" data-reachable="false">
                  {t('clusters.unreachable')}
                </Tag>
                <Typography.Text type="secondary" data-testid="cluster-message" style={{ fontSize: 12 }}>
                  {c.message}
                </Typography.Text>
              </Space>
            ),
        },
        { title: t('clusters.col.context'), key: 'context', render: (_, c) => <span data-testid="cluster-context">{c.context ?? '—'}</span> },
        { title: t('common.namespace'), key: 'namespace', render: (_, c) => <span data-testid="cluster-namespace">{c.namespace ?? '—'}</span> },
        { title: t('clusters.col.added'), key: 'added', render: (_, c) => (c.local ? <Typography.Text type="secondary">{t('clusters.builtIn')}</Typography.Text> : <TimeText value={c.creationTimestamp} />) },
        {
          title: t('clusters.col.actions'),
          key: 'actions',
          render: (_, c) => (
            <Space>
              <Button size="small" disabled={c.name === current} onClick={() => onUse(c.name)}>
                {t('clusters.use')}
              </Button>
              {!c.local && (
                <Popconfirm
                  title={t('clusters.removeTitle', { name: c.name })}
                  description={t('clusters.removeHelp')}
                  okText={t('common.remove')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => onRemove(c.name)}
                >
                  <Button size="small" danger>
                    {t('common.remove')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}
