import { afterEach, describe, expect, it } from 'vitest';
import type { LogIngestBatch, Logstore } from '../api/index.js';
import { FakeClientset, FakeScheduler } from '../client/testing/index.js';
import { FakeClock } from '../machinery/index.js';
import { LogService, LogstoreResource, retentionOf } from './log-service.js';
import { LogStore } from './log-store.js';

const T0 = '2026-03-01T12:00:00Z';

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise<void>((r) => setImmediate(r));
}

function logstore(name: string, spec: Logstore['spec'] = { retentionDays: 7, maxSize: '1Gi' }): Logstore {
  return { apiVersion: 'logs.jobyard.io/v1', kind: 'Logstore', metadata: { name, uid: `uid-${name}` }, spec };
}

function batch(logstore: string, n: number, startMs = 0): LogIngestBatch {
  const t0 = Date.parse(T0);
  return {
    logstore,
    source: { id: `${logstore}/c1`, namespace: 'default', pod: 'p', container: 'c' },
    entries: Array.from({ length: n }, (_, i) => ({ time: (t0 + startMs + i) * 1000, line: `line ${i}`, end: i + 1 })),
    checkpoint: { offset: n },
  };
}

const running: { service: LogService; store: LogStore }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.service.stop();
    r.store.close();
  }
});

async function setup(objects: Logstore[]) {
  const clock = new FakeClock(T0);
  const scheduler = new FakeScheduler(clock);
  const cs = new FakeClientset({ clock });
  for (const o of objects) cs.tracker.add(LogstoreResource, o);
  const store = new LogStore({ path: ':memory:', clock });
  const service = new LogService({ store, client: cs, scheduler, statusIntervalMs: 1000, retentionIntervalMs: 5000 });
  running.push({ service, store });
  service.start();
  await service.informer.waitForSync();
  await settle();
  const get = (name: string) => cs.resource<Logstore>(LogstoreResource).get(name);
  return { clock, scheduler, cs, store, service, get };
}

describe('LogService', () => {
  it('gives the store each Logstore’s retention', async () => {
    const { store } = await setup([logstore('a', { retentionDays: 2, maxSize: '10Mi' }), logstore('b', {})]);
    expect(store.stats().map((s) => [s.name, s.retention])).toEqual([
      ['a', { retentionDays: 2, maxBytes: 10 * 1024 * 1024 }],
      ['b', { retentionDays: 7, maxBytes: 1024 ** 3 }],
    ]);
  });

  it('writes status counts when they change, and only then', async () => {
    const { scheduler, store, get, cs } = await setup([logstore('a')]);
    store.ingest([batch('a', 3)]);
    scheduler.step(1000);
    await settle();
    expect((await get('a')).status).toEqual({
      lines: 3,
      sizeBytes: 18,
      sources: 1,
      oldestTime: '2026-03-01T12:00:00.000000Z',
      newestTime: '2026-03-01T12:00:00.002000Z',
      lastUpdateTime: '2026-03-01T12:00:01Z',
    });
    const writes = cs.actionsFor('update', 'logstores').length;
    await settle();
    scheduler.step(1000);
    await settle();
    expect(cs.actionsFor('update', 'logstores')).toHaveLength(writes);
  });

  it('enforces retention in the background', async () => {
    const { scheduler, store, clock } = await setup([logstore('a', { retentionDays: 1, maxSize: '1Gi' })]);
    store.ingest([batch('a', 5)]);
    clock.set(new Date(Date.parse(T0) + 2 * 86_400_000));
    scheduler.step(5000);
    expect(store.stats()[0].lines).toBe(0);
  });

  it('applies a shortened retention at once', async () => {
    const { scheduler, store, clock, cs, get } = await setup([logstore('a', { retentionDays: 30, maxSize: '1Gi' })]);
    store.ingest([batch('a', 3)]);
    clock.set(new Date(Date.parse(T0) + 10 * 86_400_000));
    scheduler.step(1000); // the first turn: nothing is 30 days old
    expect(store.stats()[0].lines).toBe(3);
    const ls = await get('a');
    await cs.resource<Logstore>(LogstoreResource).update({ ...ls, spec: { retentionDays: 7, maxSize: '1Gi' } });
    await settle();
    scheduler.step(100);
    expect(store.stats()[0].lines).toBe(0);
  });

  it('drops the lines of a deleted Logstore, on the scheduler', async () => {
    const { store, cs, scheduler } = await setup([logstore('a'), logstore('b')]);
    store.ingest([batch('a', 5), batch('b', 2)]);
    await cs.resource<Logstore>(LogstoreResource).delete('a');
    await settle();
    expect(store.stats().map((s) => s.name)).toEqual(['a', 'b']);
    scheduler.fireDue();
    expect(store.stats().map((s) => s.name)).toEqual(['b']);
    expect(store.search({ logstore: 'a' }).items).toEqual([]);
  });

  it('keeps the lines of a Logstore recreated before its drop ran', async () => {
    const { store, cs, scheduler } = await setup([logstore('a')]);
    store.ingest([batch('a', 5)]);
    const client = cs.resource<Logstore>(LogstoreResource);
    await client.delete('a');
    await settle();
    await client.create(logstore('a'));
    await settle();
    scheduler.fireDue();
    expect(store.stats()[0]).toMatchObject({ name: 'a', lines: 5 });
  });

  it('reads retention from the spec, with defaults where it is unset or unreadable', () => {
    expect(retentionOf(logstore('x', { retentionDays: 3, maxSize: '512Mi' }))).toEqual({ retentionDays: 3, maxBytes: 512 * 1024 * 1024 });
    expect(retentionOf(logstore('x', { maxSize: 'bogus' }))).toEqual({ retentionDays: 7, maxBytes: 1024 ** 3 });
  });
});
