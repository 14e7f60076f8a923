// The logstores (logs.jobyard.io/v1 Logstore): retention, counts, and a link to search each.
import { Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Logstore } from '../../../../api/logs.js';
import { useI18n } from '../../i18n/i18n.js';
import { useKubeList } from '../../lib/k8s/hooks.js';
import { ErrorAlert } from '../common/ErrorAlert.js';
import { PageHeader } from '../common/PageHeader.js';
import { TimeText } from '../common/TimeText.js';
import { humanBytes } from '../../../../machinery/human-readable.js';
import { logstoresResource } from './log-service.js';
import { LogServiceGate } from './LogServiceGate.js';

export function LogstoreTableRenderer({ items }: { items: Logstore[] | undefined }) {
  const { t } = useI18n();
  return (
    <Table<Logstore>
      size="small"
      rowKey={(l) => l.metadata.name ?? ''}
      loading={items === undefined}
      dataSource={items ?? []}
      pagination={false}
      locale={{ emptyText: t('logstores.empty') }}
      columns={[
        { title: t('common.name'), key: 'name', render: (_, l) => <Link to={`/logstores/${encodeURIComponent(l.metadata.name ?? '')}`}>{l.metadata.name}</Link> },
        { title: t('logstores.col.retention'), key: 'retention', render: (_, l) => (l.spec?.retentionDays !== undefined ? t('logstores.days', { days: l.spec.retentionDays }) : '—') },
        { title: t('logstores.col.maxSize'), key: 'maxSize', render: (_, l) => l.spec?.maxSize ?? '—' },
        { title: t('logstores.col.lines'), key: 'lines', align: 'right', render: (_, l) => (l.status?.lines ?? 0).toLocaleString() },
        { title: t('logstores.col.size'), key: 'size', align: 'right', render: (_, l) => humanBytes(l.status?.sizeBytes ?? 0) },
        { title: t('logstores.col.newest'), key: 'newest', render: (_, l) => <TimeText value={l.status?.newestTime} /> },
        { title: t('jobs.col.created'), key: 'created', render: (_, l) => <TimeText value={l.metadata.creationTimestamp} /> },
      ]}
    />
  );
}

function LogstoreList() {
  const list = useKubeList(logstoresResource);
  const items = list.items ? [...list.items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')) : undefined;
  return (
    <>
      <ErrorAlert error={list.error} />
      <LogstoreTableRenderer items={items} />
    </>
  );
}

export default function LogstoresPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('logstores.title')} />
      <Typography.Paragraph type="secondary">
        {t('logstores.intro')} <Tag>aliyun_logs_&lt;logstore&gt;=stdout</Tag>
        <Tag>aliyun_logs_&lt;logstore&gt;=/var/log/app/*.log</Tag>
        <Tag>aliyun_logs_&lt;logstore&gt;_tags=k=v</Tag>
      </Typography.Paragraph>
      <LogServiceGate>
        <LogstoreList />
      </LogServiceGate>
    </>
  );
}
