import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { KubeClient } from './client.js';
import { FakeFetch, jsonResponse, statusResponse } from './fake-fetch.js';
import { reconnectDelayMs, startListWatch, type ListWatchState } from './list-watch.js';
import { resources } from './resources.js';

const pod = (name: string, rv: string) => ({ metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv }, spec: { containers: [] } });
const podList = (rv: string, ...items: unknown[]) => jsonResponse({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });

function setup() {
  const fake = new FakeFetch();
  const client = new KubeClient({ baseUrl: '', fetch: fake.fetch });
  const states: ListWatchState<never>[] = [];
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const names = () => states.at(-1)?.list?.items.map((p) => (p as { metadata: { name: string } }).metadata.name);
  return { fake, client, states, sleeps, sleep, names };
}

describe('startListWatch', () => {
  it('lists, then watches from the list’s resourceVersion and applies events', async () => {
    const { fake, client, states, sleep, names } = setup();
    fake.on((r) => (r.url.searchParams.get('watch') ? undefined : podList('10', pod('a', '5'))));
    const stop = startListWatch(client, resources.pods, { namespace: 'default', labelSelector: 'app=x', sleep }, (s) => states.push(s as never));
    await fake.until(() => fake.watches.length === 1, 'watch');
    const w = fake.watches[0].request.url;
    expect(w.pathname).toBe('/api/v1/namespaces/default/pods');
    expect(Object.fromEntries(w.searchParams)).toEqual({ watch: '1', resourceVersion: '10', allowWatchBookmarks: 'true', labelSelector: 'app=x' });
    expect(fake.requests[0].url.searchParams.get('labelSelector')).toBe('app=x');
    expect(names()).toEqual(['a']);
    fake.watches[0].send({ type: 'ADDED', object: pod('b', '11') });
    await fake.until(() => names()?.length === 2, 'b added');
    fake.watches[0].send({ type: 'DELETED', object: pod('a', '12') });
    await fake.until(() => names()?.length === 1, 'a deleted');
    expect(names()).toEqual(['b']);
    expect(states.at(-1)?.list?.resourceVersion).toBe('12');
    stop();
    await fake.until(() => fake.watches[0].closed, 'watch closed');
  });

  it('relists when the watch answers with an ERROR event of code 410', async () => {
    const { fake, client, states, sleep, names } = setup();
    let lists = 0;
    fake.on((r) => {
      if (r.url.searchParams.get('watch')) return undefined;
      lists++;
      return lists === 1 ? podList('10', pod('a', '5')) : podList('30', pod('c', '29'));
    });
    const stop = startListWatch(client, resources.pods, { sleep }, (s) => states.push(s as never));
    await fake.until(() => fake.watches.length === 1);
    fake.watches[0].send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 10 (25)' } });
    await fake.until(() => fake.watches.length === 2, 'second watch');
    expect(lists).toBe(2);
    expect(fake.watches[1].request.url.searchParams.get('resourceVersion')).toBe('30');
    expect(names()).toEqual(['c']);
    expect(states.every((s) => !s.error)).toBe(true);
    stop();
  });

  it('relists when the watch request itself answers 410 Gone', async () => {
    const { fake, client, sleep, names, states } = setup();
    let lists = 0;
    let watches = 0;
    fake.on((r) => {
      if (!r.url.searchParams.get('watch')) {
        lists++;
        return podList(String(lists * 10), pod(`p${lists}`, '1'));
      }
      watches++;
      return watches === 1 ? statusResponse(410, 'Expired', 'too old') : undefined;
    });
    const stop = startListWatch(client, resources.pods, { sleep }, (s) => states.push(s as never));
    await fake.until(() => fake.watches.length === 1);
    expect(lists).toBe(2);
    expect(names()).toEqual(['p2']);
    stop();
  });

  it('keeps the last list and reconnects with growing delays when the server fails, resuming from the same resourceVersion', async () => {
    const { fake, client, states, sleeps, sleep, names } = setup();
    let watches = 0;
    fake.on((r) => {
      if (!r.url.searchParams.get('watch')) return podList('10', pod('a', '5'));
      watches++;
      return watches <= 3 ? statusResponse(500, 'InternalError', 'boom') : undefined;
    });
    const stop = startListWatch(client, resources.pods, { sleep, baseDelayMs: 100, maxDelayMs: 1000 }, (s) => states.push(s as never));
    await fake.until(() => fake.watches.length === 1);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(states.some((s) => s.error instanceof ApiError && s.error.code === 500)).toBe(true);
    expect(names()).toEqual(['a']);
    expect(fake.watches[0].request.url.searchParams.get('resourceVersion')).toBe('10');
    // The first event after a failure clears the error.
    fake.watches[0].send({ type: 'ADDED', object: pod('b', '11') });
    await fake.until(() => names()?.length === 2);
    expect(states.at(-1)?.error).toBeUndefined();
    stop();
  });

  it('watches again from the last resourceVersion when the server ends the stream', async () => {
    const { fake, client, sleep } = setup();
    fake.on((r) => (r.url.searchParams.get('watch') ? undefined : podList('10')));
    const stop = startListWatch(client, resources.pods, { sleep }, () => undefined);
    await fake.until(() => fake.watches.length === 1);
    fake.watches[0].send({ type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '15' } } });
    fake.watches[0].end();
    await fake.until(() => fake.watches.length === 2);
    expect(fake.watches[1].request.url.searchParams.get('resourceVersion')).toBe('15');
    stop();
  });

  it('stops on 401: the session is gone', async () => {
    const { fake, client, states, sleep } = setup();
    fake.on(() => statusResponse(401, 'Unauthorized'));
    startListWatch(client, resources.pods, { sleep }, (s) => states.push(s as never));
    await fake.until(() => states.length === 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.requests).toHaveLength(1);
    expect((states[0].error as ApiError).code).toBe(401);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 10].map((a) => reconnectDelayMs(a, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
