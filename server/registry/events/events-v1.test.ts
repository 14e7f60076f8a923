// events.k8s.io/v1 Events: one storage with core/v1 events, upstream's field mapping both ways,
// the strict validation of the events API, field selectors under its names, watch, discovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../../api/index.js';
import { FakeClock } from '../../../machinery/index.js';
import { buildApiServer, type BuiltApiServer } from '../../app.js';
import { SchemaCodec } from '../codec.js';
import { GenericRegistry } from '../generic-registry.js';
import { allResources } from '../index.js';
import { Authenticator } from '../../serving/auth.js';
import { SqliteObjectStore } from '../../storage/index.js';
import { eventFromCore, eventToCore, type EventsV1Event } from './events-v1.js';
import type { EventObject } from './strategy.js';

const TOKEN = 'events-v1-test-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const store = new SqliteObjectStore({ path: ':memory:' });
let built: BuiltApiServer;
let registry: GenericRegistry;

beforeAll(async () => {
  const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
  registry = new GenericRegistry({ store, clock, codec: new SchemaCodec() });
  registry.create(allResources.find((d) => d.names.resource === 'namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  built = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  });
});

afterAll(async () => {
  await built.app.close();
  store.close();
});

const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
const CORE = '/api/v1/namespaces/default/events';

const newEvent = (name: string, extra: Partial<EventsV1Event> = {}): EventsV1Event => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name, namespace: 'default' },
  eventTime: '2026-03-01T10:00:00.000000Z',
  reportingController: 'example.com/controller',
  reportingInstance: 'controller-0',
  action: 'Scale',
  reason: 'Scaled',
  regarding: { kind: 'Job', namespace: 'default', name: 'j1', apiVersion: 'batch/v1' },
  note: 'scaled to 3',
  type: 'Normal',
  ...extra,
});

describe('conversion', () => {
  it('maps note, regarding, reportingController and the deprecated fields to core and back', () => {
    const core: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started',
      message: 'Started container main',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-03-01T09:00:00Z',
      lastTimestamp: '2026-03-01T09:05:00Z',
      count: 4,
      type: 'Normal',
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    };
    const v1 = eventFromCore(core);
    expect(v1).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      eventTime: null,
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started',
      note: 'Started container main',
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      deprecatedFirstTimestamp: '2026-03-01T09:00:00Z',
      deprecatedLastTimestamp: '2026-03-01T09:05:00Z',
      deprecatedCount: 4,
      type: 'Normal',
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
    });
    expect(eventToCore(v1)).toEqual(core);
  });
});

describe('events.k8s.io/v1 over the core events storage', () => {
  it('an event created through events.k8s.io reads as a core event, and the reverse', async () => {
    const created = await built.app.inject({ method: 'POST', url: V1, headers, payload: JSON.stringify(newEvent('from-events-api')) });
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'scaled to 3', regarding: { name: 'j1' } });
    const asCore = JSON.parse((await built.app.inject({ url: `${CORE}/from-events-api`, headers })).body);
    expect(asCore).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'scaled to 3', involvedObject: { kind: 'Job', name: 'j1' }, reportingComponent: 'example.com/controller', action: 'Scale' });

    const core = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'from-core-api' }, involvedObject: { kind: 'Pod', name: 'p1', namespace: 'default' }, reason: 'Pulled', message: 'image pulled', count: 2, source: { component: 'kubelet' }, type: 'Normal' };
    expect((await built.app.inject({ method: 'POST', url: CORE, headers, payload: JSON.stringify(core) })).statusCode).toBe(201);
    const asV1 = JSON.parse((await built.app.inject({ url: `${V1}/from-core-api`, headers })).body);
    expect(asV1).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'image pulled', regarding: { name: 'p1' }, deprecatedCount: 2, deprecatedSource: { component: 'kubelet' }, eventTime: null });
    expect(asV1.message).toBeUndefined();

    const list = JSON.parse((await built.app.inject({ url: V1, headers })).body);
    expect(list).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'EventList' });
    expect(list.items.map((e: EventsV1Event) => [e.apiVersion, e.metadata.name])).toEqual([
      ['events.k8s.io/v1', 'from-core-api'],
      ['events.k8s.io/v1', 'from-events-api'],
    ]);
  });

  it('updates and patches through events.k8s.io store the core form', async () => {
    await built.app.inject({ method: 'POST', url: V1, headers, payload: JSON.stringify(newEvent('series')) });
    const patched = await built.app.inject({
      method: 'PATCH',
      url: `${V1}/series`,
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ series: { count: 2, lastObservedTime: '2026-03-01T10:01:00.000000Z' } }),
    });
    expect(patched.statusCode).toBe(200);
    expect(JSON.parse(patched.body).series).toEqual({ count: 2, lastObservedTime: '2026-03-01T10:01:00.000000Z' });
    const stored = store.get('events', 'default', 'series') as EventObject;
    expect(stored).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'scaled to 3', series: { count: 2 } });
    expect((stored as unknown as Record<string, unknown>).note).toBeUndefined();
    // What identifies an event may not change.
    const moved = await built.app.inject({ method: 'PATCH', url: `${V1}/series`, headers: { ...headers, 'content-type': 'application/merge-patch+json' }, payload: '{"reason":"Other"}' });
    expect(moved.statusCode).toBe(422);
    expect(JSON.parse(moved.body).details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "Other": field is immutable', field: 'reason' }]);
  });

  it('refuses what the events API refuses: no eventTime, a bad type, the deprecated fields, a short series; no reportingController with an eventTime', async () => {
    const bad = newEvent('bad', { eventTime: undefined, type: 'Sometimes', deprecatedCount: 3, series: { count: 1, lastObservedTime: '2026-03-01T10:01:00.000000Z' } });
    delete bad.eventTime;
    const r = await built.app.inject({ method: 'POST', url: V1, headers, payload: JSON.stringify(bad) });
    expect(r.statusCode).toBe(422);
    const status = JSON.parse(r.body);
    expect(status.message).toMatch(/^Event.events.k8s.io "bad" is invalid: /);
    expect(status.details.causes.map((c: { field: string }) => c.field).sort()).toEqual(['deprecatedCount', 'eventTime', 'series.count', 'type'].sort());
    // The legacy rules name the events API's field.
    const noController = newEvent('no-controller');
    delete noController.reportingController;
    const r2 = JSON.parse((await built.app.inject({ method: 'POST', url: V1, headers, payload: JSON.stringify(noController) })).body);
    // Required, then the qualified-name rule's two messages for "" (upstream's IsQualifiedName).
    expect(r2.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason])).toEqual([
      ['reportingController', 'FieldValueRequired'],
      ['reportingController', 'FieldValueInvalid'],
      ['reportingController', 'FieldValueInvalid'],
    ]);
  });

  it('field selectors use the events API\'s names', async () => {
    const list = JSON.parse((await built.app.inject({ url: `${V1}?fieldSelector=regarding.name%3Dp1`, headers })).body);
    expect(list.items.map((e: EventsV1Event) => e.metadata.name)).toEqual(['from-core-api']);
    const byController = JSON.parse((await built.app.inject({ url: `${V1}?fieldSelector=reportingController%3Dexample.com%2Fcontroller`, headers })).body);
    expect(byController.items.map((e: EventsV1Event) => e.metadata.name).sort()).toEqual(['from-events-api', 'series']);
    const unknown = await built.app.inject({ url: `${V1}?fieldSelector=involvedObject.name%3Dp1`, headers });
    expect(unknown.statusCode).toBe(400);
  });

  it('a watch through each API sees the other\'s writes in its own form', async () => {
    const eventsV1Def = allResources.find((d) => d.names.group === 'events.k8s.io')!;
    const coreDef = allResources.find((d) => d.names.group === '' && d.names.resource === 'events')!;
    const seenV1: WatchEvent[] = [];
    const seenCore: WatchEvent[] = [];
    const rv = String(store.currentRv());
    const a = registry.watch(eventsV1Def, { namespace: 'default', resourceVersion: rv }, (e) => seenV1.push(e));
    const b = registry.watch(coreDef, { namespace: 'default', resourceVersion: rv }, (e) => seenCore.push(e));
    try {
      registry.create(coreDef, 'default', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'watched' }, involvedObject: { kind: 'Pod', name: 'p2', namespace: 'default' }, message: 'hello' } as KubeObject);
      registry.create(eventsV1Def, 'default', newEvent('watched-2') as KubeObject);
      // Watchers are told after the group's COMMIT.
      await store.committed();
    } finally {
      a.stop();
      b.stop();
    }
    expect(seenV1.map((e) => [e.type, e.object.apiVersion, (e.object as EventsV1Event).note])).toEqual([
      ['ADDED', 'events.k8s.io/v1', 'hello'],
      ['ADDED', 'events.k8s.io/v1', 'scaled to 3'],
    ]);
    expect(seenCore.map((e) => [e.type, e.object.apiVersion, (e.object as EventObject).message])).toEqual([
      ['ADDED', 'v1', 'hello'],
      ['ADDED', 'v1', 'scaled to 3'],
    ]);
  });

  it('discovery lists events.k8s.io/v1 events', async () => {
    const groups = JSON.parse((await built.app.inject({ url: '/apis', headers })).body);
    expect(groups.groups.map((g: { name: string }) => g.name)).toContain('events.k8s.io');
    const resources = JSON.parse((await built.app.inject({ url: '/apis/events.k8s.io/v1', headers })).body);
    expect(resources.resources).toContainEqual(expect.objectContaining({ name: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] }));
  });
});
