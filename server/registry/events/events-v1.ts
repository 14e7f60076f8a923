// events.k8s.io/v1 Event, served from the core/v1 events' storage as upstream serves both from
// one (pkg/apis/events/v1 conversion, pkg/apis/core/validation ValidateEventCreate/Update with
// the events.k8s.io request version: strict on top of the legacy rules).
import type { KubeObject, ObjectMeta, ObjectReference } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import type { ResourceDefinition, StorageConversion, TableConvertor } from '../resource.js';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { eventReferenceFields, eventTable } from './index.js';
import { type EventObject, validateEvent } from './strategy.js';

/** The events.k8s.io/v1 wire form. */
export interface EventsV1Event extends KubeObject {
  metadata: ObjectMeta;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type?: string;
  deprecatedSource?: EventObject['source'];
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

const EVENTS_API_VERSION = 'events.k8s.io/v1';

/** Copies `from[a]` to `to[b]` when set. */
function copy(to: Record<string, unknown>, b: string, from: Record<string, unknown>, a: string): void {
  const v = from[a];
  if (v !== undefined && v !== null && v !== '') to[b] = v;
}

/** The field names of the two forms, events.k8s.io's first (upstream Convert_v1_Event_To_core_Event). */
const FIELD_MAP: [events: string, core: string][] = [
  ['series', 'series'],
  ['reportingController', 'reportingComponent'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['regarding', 'involvedObject'],
  ['related', 'related'],
  ['note', 'message'],
  ['type', 'type'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

export function eventToCore(e: EventsV1Event): EventObject {
  const from = e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata };
  copy(out, 'eventTime', from, 'eventTime');
  for (const [ev, core] of FIELD_MAP) copy(out, core, from, ev);
  // core/v1's involvedObject is not optional.
  out.involvedObject ??= {};
  return out as unknown as EventObject;
}

export function eventFromCore(e: EventObject): EventsV1Event {
  const from = e as unknown as Record<string, unknown>;
  // eventTime has no omitempty upstream: a core event without one reads "eventTime": null.
  const out: Record<string, unknown> = { apiVersion: EVENTS_API_VERSION, kind: 'Event', metadata: e.metadata, eventTime: e.eventTime ?? null };
  for (const [ev, core] of FIELD_MAP) copy(out, ev, from, core);
  if (out.deprecatedSource && Object.keys(out.deprecatedSource as object).length === 0) delete out.deprecatedSource;
  if (out.regarding && Object.keys(out.regarding as object).length === 0) delete out.regarding;
  return out as unknown as EventsV1Event;
}

/** Upstream's legacy rules name core fields, but reportingController in this version. */
function renameReporting(errs: FieldError[]): FieldError[] {
  return errs.map((e) => (e.field === 'reportingComponent' ? { ...e, field: 'reportingController' } : e));
}

function validateSeries(e: EventsV1Event): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(fieldErrors.required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1: the legacy rules, then the strict ones. */
export function validateEventsV1(e: EventsV1Event): FieldError[] {
  const core = eventToCore(e);
  const errs = renameReporting(validateEvent(core));
  errs.push(...validateObjectMeta(e.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }));
  errs.push(...validateSeries(e));
  if (!e.eventTime) errs.push(fieldErrors.required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(fieldErrors.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(fieldErrors.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(fieldErrors.invalid('deprecatedCount', '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push(fieldErrors.invalid('deprecatedSource', '', 'needs to be unset'));
  return dedupe(errs);
}

/** ValidateEventUpdate for events.k8s.io/v1: what identifies the event is immutable. */
export function validateEventsV1Update(e: EventsV1Event, old: EventsV1Event): FieldError[] {
  const errs = renameReporting(validateEvent(eventToCore(e)));
  errs.push(...validateObjectMetaUpdate(e.metadata, old.metadata));
  if (JSON.stringify(e.series ?? null) !== JSON.stringify(old.series ?? null)) errs.push(...validateSeries(e));
  const immutable: [keyof EventsV1Event, string][] = [
    ['regarding', 'involvedObject'],
    ['reason', 'reason'],
    ['type', 'type'],
    ['reportingController', 'reportingController'],
    ['reportingInstance', 'reportingInstance'],
    ['action', 'action'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'],
    ['deprecatedLastTimestamp', 'lastTimestamp'],
    ['deprecatedCount', 'count'],
    ['deprecatedSource', 'source'],
    ['related', 'related'],
    ['eventTime', 'eventTime'],
  ];
  for (const [field, path] of immutable) errs.push(...validateImmutableField(normal(e[field]), normal(old[field]), new FieldPath(path)));
  return dedupe(errs);
}

/** Absent, null and "" are one value to Go's zero-valued fields. */
function normal(v: unknown): unknown {
  return v === undefined || v === null || v === '' ? undefined : v;
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** events.k8s.io's field selectors, read from the stored core form (upstream's field label conversion). */
function selectableFields(obj: KubeObject): Record<string, string> {
  const e = obj as EventObject;
  return {
    ...eventReferenceFields('regarding', e),
    reason: e.reason ?? '',
    reportingController: e.reportingComponent ?? '',
    type: e.type ?? '',
  };
}

/** The same columns as core/v1 events (upstream prints both from the internal type). */
const table: TableConvertor = {
  columns: eventTable.columns,
  cells: (obj, now) => eventTable.cells(eventToCore(obj as EventsV1Event), now),
};

const storedAsCoreEvents: StorageConversion = {
  resource: 'events',
  apiVersion: 'v1',
  kind: 'Event',
  toStorage: (obj) => eventToCore(obj as EventsV1Event),
  fromStorage: (obj) => eventFromCore(obj as EventObject),
};

export const eventsV1: ResourceDefinition<EventsV1Event> = {
  names: {
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    listKind: 'EventList',
    namespaced: true,
    shortNames: ['ev'],
  },
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateEventsV1,
    validateUpdate: validateEventsV1Update,
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  selectableFields,
  table,
  schema: { type: 'ref', ref: 'io.k8s.api.events.v1.Event' },
  storedAs: storedAsCoreEvents,
};
