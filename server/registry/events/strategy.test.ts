import { describe, expect, it } from 'vitest';
import { create } from '../testing/strategy-sequence.js';
import { events } from './index.js';
import type { EventObject } from './strategy.js';

const NOW = new Date('2026-01-01T00:10:00Z');
const event = (extra: Partial<EventObject> = {}) => ({
  metadata: { name: 'pi.17a2b3c4d5e6f7a8', namespace: 'default' },
  involvedObject: { kind: 'Job', namespace: 'default', name: 'pi', uid: 'u1', apiVersion: 'batch/v1' },
  reason: 'SuccessfulCreate',
  message: 'Created pod: pi-abcde',
  source: { component: 'job-controller' },
  firstTimestamp: '2026-01-01T00:05:00Z',
  lastTimestamp: '2026-01-01T00:08:00Z',
  count: 2,
  type: 'Normal',
  ...extra,
});

describe('Event validation', () => {
  it('accepts a job-controller event whose name has dots', () => {
    expect(create(events, event()).errors).toEqual([]);
  });

  it('requires involvedObject', () => {
    expect(create(events, { ...event(), involvedObject: undefined }).messages).toEqual(['involvedObject: Required value']);
  });

  it('requires the involved object in the event namespace', () => {
    expect(create(events, event({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } })).messages).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  it('accepts events about cluster-scoped objects in default', () => {
    expect(create(events, event({ involvedObject: { kind: 'Node', name: 'node-1' } })).errors).toEqual([]);
  });

  it('requires the reporting fields on events with eventTime', () => {
    expect(create(events, event({ eventTime: '2026-01-01T00:05:00.000000Z', reason: '' })).messages).toEqual([
      'reportingComponent: Required value',
      // Upstream checks the (empty) name as a qualified name as well.
      'reportingComponent: Invalid value: "": name part must be non-empty',
      `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
  });

  it('only needs a name that fits a URL', () => {
    expect(create(events, { ...event(), metadata: { name: 'a/b' } }).messages).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });

  it('creates on PUT', () => {
    expect(events.strategy.allowCreateOnUpdate).toBe(true);
  });
});

describe('Event table and fields', () => {
  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE and the wide cells', () => {
    expect(events.table!.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(events.table!.cells(create(events, event()).obj, NOW)).toEqual([
      '2m',
      'Normal',
      'SuccessfulCreate',
      'job/pi',
      '',
      'job-controller',
      'Created pod: pi-abcde',
      '5m',
      2,
      'pi.17a2b3c4d5e6f7a8',
    ]);
  });

  it('falls back to eventTime, count 1 and the reporting controller', () => {
    const e = create(
      events,
      event({
        firstTimestamp: null,
        lastTimestamp: null,
        count: undefined,
        source: undefined,
        eventTime: '2026-01-01T00:09:30.000000Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-1',
        action: 'Pulling',
        involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', fieldPath: 'spec.containers{c}' },
      }),
    ).obj;
    const cells = events.table!.cells(e, NOW);
    expect(cells.slice(0, 6)).toEqual(['30s', 'Normal', 'SuccessfulCreate', 'pod/p', 'spec.containers{c}', 'kubelet, node-1']);
    expect(cells[8]).toBe(1);
  });

  it('selects on the involved object, reason, source and type', () => {
    expect(events.selectableFields!(create(events, event()).obj)).toEqual({
      'involvedObject.kind': 'Job',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'pi',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': 'batch/v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': '',
      reason: 'SuccessfulCreate',
      reportingComponent: '',
      source: 'job-controller',
      type: 'Normal',
    });
    expect(Object.keys(events.selectableFields!({ metadata: {} }))).toHaveLength(11);
  });
});
