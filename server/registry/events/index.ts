// core/v1 events: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { NAME_COLUMN, column } from '../table.js';
import { eventStrategy, type EventObject } from './strategy.js';

export type { EventObject } from './strategy.js';

/** The selectable fields of an event's object reference, under `prefix` (involvedObject, or events.k8s.io's regarding). */
export function eventReferenceFields(prefix: string, e: EventObject): Record<string, string> {
  const io = e.involvedObject ?? {};
  return {
    [`${prefix}.kind`]: io.kind ?? '',
    [`${prefix}.namespace`]: io.namespace ?? '',
    [`${prefix}.name`]: io.name ?? '',
    [`${prefix}.uid`]: io.uid ?? '',
    [`${prefix}.apiVersion`]: io.apiVersion ?? '',
    [`${prefix}.resourceVersion`]: io.resourceVersion ?? '',
    [`${prefix}.fieldPath`]: io.fieldPath ?? '',
  };
}

/** Upstream event ToSelectableFields ("reportingComponent" is the core/v1 name). */
export function eventSelectableFields(obj: KubeObject): Record<string, string> {
  const e = obj as EventObject;
  return {
    ...eventReferenceFields('involvedObject', e),
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component || e.reportingComponent || '',
    type: e.type ?? '',
  };
}

function eventSource(e: EventObject): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** kubectl get events: LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME). */
export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'The object that this event is about.'),
    column('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', { priority: 1 }),
    column('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    column('Count', 'The number of times this event has occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const e = obj as EventObject;
    const first = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
    let last = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = translateTimestampSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1; // singleton events of the new API have no count
    const io = e.involvedObject ?? {};
    const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), first, count, e.metadata.name];
  },
};

export const events: ResourceDefinition<EventObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    listKind: 'EventList',
    namespaced: true,
    shortNames: ['ev'],
  },
  strategy: eventStrategy,
  selectableFields: eventSelectableFields,
  table: eventTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Event' },
};
