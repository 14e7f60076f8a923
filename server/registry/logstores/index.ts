// logs.jobyard.io/v1 logstores (cluster-scoped): the ResourceDefinition the API server serves.
// The lines themselves live in the log service's own store (logs/); this object names a
// logstore, sets its retention and shows its counts (`kubectl get logstores`).
import type { KubeObject } from '../../../api/index.js';
import { LOGS } from '../../../api/schema/index.js';
import { formatBinaryBytes, humanBytes, parseQuantity, quantityValue, translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { logstoreStatusStrategy, logstoreStrategy, type LogstoreObject } from './strategy.js';

export { DEFAULT_MAX_SIZE, DEFAULT_RETENTION_DAYS, setLogstoreDefaults, type LogstoreObject } from './strategy.js';

function maxSizeCell(size: string | undefined): string {
  if (!size) return '<none>';
  try {
    return formatBinaryBytes(quantityValue(parseQuantity(size)));
  } catch {
    return size;
  }
}

/** kubectl get logstores: NAME RETENTION MAX-SIZE LINES SIZE AGE (+ wide: SOURCES, NEWEST). */
export const logstoreTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Retention', 'Lines older than this are removed (spec.retentionDays).'),
    column('Max-Size', 'The oldest lines are removed once the stored lines exceed this (spec.maxSize).'),
    column('Lines', 'Lines stored (status.lines).', { type: 'integer' }),
    column('Size', 'Bytes of the stored lines (status.sizeBytes).'),
    AGE_COLUMN,
    column('Sources', 'Container outputs and files that sent lines (status.sources).', { type: 'integer', priority: 1 }),
    column('Newest', 'Age of the newest stored line (status.newestTime).', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ls = obj as LogstoreObject;
    const days = ls.spec?.retentionDays;
    return [
      ls.metadata.name,
      days === undefined ? '<none>' : `${days}d`,
      maxSizeCell(ls.spec?.maxSize),
      ls.status?.lines ?? 0,
      humanBytes(ls.status?.sizeBytes ?? 0),
      translateTimestampSince(ls.metadata.creationTimestamp, now),
      ls.status?.sources ?? 0,
      ls.status?.newestTime ? translateTimestampSince(ls.status.newestTime, now) : '<none>',
    ];
  },
};

export const logstores: ResourceDefinition<LogstoreObject> = {
  names: {
    group: 'logs.jobyard.io',
    version: 'v1',
    resource: 'logstores',
    singular: 'logstore',
    kind: 'Logstore',
    listKind: 'LogstoreList',
    namespaced: false,
    shortNames: ['ls'],
  },
  strategy: logstoreStrategy,
  status: logstoreStatusStrategy,
  table: logstoreTable,
  schema: { type: 'ref', ref: LOGS + 'Logstore' },
};
