// Events of an object and its pods, newest first.
import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Event } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { timeOf } from '../../lib/k8s/duration.js';
import { TimeText } from '../common/TimeText.js';

export const eventTime = (e: Event): string | undefined => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;

export function EventTableRenderer({ events }: { events: Event[] | undefined }) {
  const { t } = useI18n();
  const columns: ColumnsType<Event> = [
    { title: t('events.col.type'), key: 'type', render: (_, e) => <Tag color={e.type === 'Warning' ? 'warning' : 'default'}>{e.type}</Tag> },
    { title: t('events.col.reason'), key: 'reason', render: (_, e) => e.reason },
    { title: t('events.col.object'), key: 'object', render: (_, e) => `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}` },
    { title: t('events.col.message'), key: 'message', render: (_, e) => e.message },
    { title: t('events.col.count'), key: 'count', render: (_, e) => e.count ?? 1 },
    { title: t('events.col.lastSeen'), key: 'last', render: (_, e) => <TimeText value={eventTime(e)} /> },
  ];
  const sorted = (events ?? []).slice().sort((a, b) => (timeOf(eventTime(b)) ?? 0) - (timeOf(eventTime(a)) ?? 0));
  return <Table<Event> rowKey={(e) => e.metadata.uid ?? e.metadata.name ?? ''} columns={columns} dataSource={sorted} loading={events === undefined} size="small" pagination={{ pageSize: 20, hideOnSinglePage: true }} locale={{ emptyText: t('events.empty') }} />;
}
