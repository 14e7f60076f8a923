import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import { FakeClock, parseLabelSelector } from '../machinery/index.js';
import { type DeepReadonly, deepClone } from './deep-readonly.js';
import { DeletedFinalStateUnknown, Indexer, InformerFactory, Lister, SharedInformer, isTombstone } from './informer.js';
import { RestClientset } from './resource-client.js';
import { FakeScheduler } from './testing/index.js';
import { FakeApiServer, type RecordedRequest, sendJson, statusBody, waitFor } from './testing/fake-api-server.js';

const pod = (name: string, rv: string, labels: Record<string, string> = {}, ns = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, resourceVersion: rv, labels },
  spec: { containers: [{ name: 'c' }] },
});

/** A pods endpoint whose list answer the test sets; watches become OpenStreams. */
class PodsApi {
  items: Pod[] = [];
  rv = '1';
  failLists = 0;
  lists: RecordedRequest[] = [];

  route = (req: RecordedRequest, res: http.ServerResponse): void | 'stream' => {
    if (req.query.get('watch') === 'true') return 'stream';
    this.lists.push(req);
    if (this.failLists > 0) {
      this.failLists--;
      sendJson(res, 500, statusBody(500, 'InternalError', 'etcd is sad'));
      return;
    }
    sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: this.rv }, items: this.items.map((p) => ({ ...p, kind: undefined, apiVersion: undefined })) });
  };
}

type Call = string;

function recordHandlers(inf: SharedInformer<Pod>, calls: Call[]): void {
  inf.addEventHandler({
    add: (p) => calls.push(`add ${p.metadata.name}@${p.metadata.resourceVersion}`),
    update: (o, n) => calls.push(`update ${n.metadata.name} ${o.metadata.resourceVersion}->${n.metadata.resourceVersion}`),
    delete: (p) =>
      calls.push(isTombstone(p) ? `delete-tombstone ${p.key}@${p.obj.metadata.resourceVersion}` : `delete ${p.metadata.name}@${p.metadata.resourceVersion}`),
  });
}

let server: FakeApiServer | undefined;
let ac: AbortController | undefined;
let cs: RestClientset | undefined;

afterEach(async () => {
  ac?.abort();
  cs?.close();
  await server?.close();
  server = undefined;
  ac = undefined;
  cs = undefined;
});

async function start(api: PodsApi, backoff = { initialMs: 800, maxMs: 2000 }) {
  server = await FakeApiServer.start();
  server.on('GET', /^\/api\/v1\/pods$/, api.route);
  cs = new RestClientset({ server: server.url });
  const scheduler = new FakeScheduler(new FakeClock());
  const inf = new SharedInformer<Pod>(cs.pods, { name: 'pods', scheduler, backoff, watchTimeoutSeconds: () => 300 });
  ac = new AbortController();
  return { server, inf, scheduler, signal: ac.signal };
}

describe('SharedInformer with a reflector over HTTP', () => {
  it('lists, then watches from the list resourceVersion, keeping the cache and handlers in step', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5', { app: 'web' }), pod('b', '6')];
    api.rv = '10';
    const { server, inf, signal } = await start(api);
    const calls: Call[] = [];
    recordHandlers(inf, calls);

    void inf.run(signal);
    expect(await inf.waitForSync(signal)).toBe(true);
    const watch = await server.nextStream();
    expect(Object.fromEntries(watch.request.query)).toMatchObject({ watch: 'true', resourceVersion: '10', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    expect(api.lists[0].query.get('limit')).toBe('500');

    watch.send({ type: 'MODIFIED', object: pod('a', '11', { app: 'web', v: '2' }) });
    watch.send({ type: 'ADDED', object: pod('c', '12', { app: 'web' }) });
    watch.send({ type: 'DELETED', object: pod('b', '13') });
    await waitFor(() => calls.length === 5);

    expect(calls).toEqual(['add a@5', 'add b@6', 'update a 5->11', 'add c@12', 'delete b@13']);
    const lister = inf.lister();
    expect(lister.namespace('default').list(parseLabelSelector('app=web')).map((p) => p.metadata.name).sort()).toEqual(['a', 'c']);
    expect(lister.get('default/b')).toBeUndefined();
    expect(lister.list()[0].kind).toBe('Pod'); // list items get their kind back
    expect(inf.lastSyncResourceVersion()).toBe('13');
  });

  it('follows bookmarks, and after a normal end watches again from the last version without relisting', async () => {
    const api = new PodsApi();
    api.rv = '10';
    const { server, inf, signal } = await start(api);
    const calls: Call[] = [];
    recordHandlers(inf, calls);

    void inf.run(signal);
    const first = await server.nextStream();
    first.send({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '20' } } });
    await waitFor(() => inf.lastSyncResourceVersion() === '20');
    first.end();
    const second = await server.nextStream();

    expect(second.request.query.get('resourceVersion')).toBe('20');
    expect(api.lists).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('relists on a 410 ERROR event and reports objects deleted meanwhile as tombstones', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5'), pod('b', '6')];
    api.rv = '10';
    const { server, inf, signal } = await start(api);
    const calls: Call[] = [];
    recordHandlers(inf, calls);

    void inf.run(signal);
    const first = await server.nextStream();
    api.items = [pod('a', '30'), pod('d', '31')];
    api.rv = '40';
    first.send({ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 10 (35)') });
    const second = await server.nextStream();

    expect(api.lists).toHaveLength(2);
    expect(second.request.query.get('resourceVersion')).toBe('40');
    expect(calls).toEqual(['add a@5', 'add b@6', 'update a 5->30', 'add d@31', 'delete-tombstone default/b@6']);
  });

  it('relists when the watch request itself is answered 410 Gone', async () => {
    const api = new PodsApi();
    api.rv = '10';
    server = await FakeApiServer.start();
    let watches = 0;
    server.on('GET', /^\/api\/v1\/pods$/, (req, res) => {
      if (req.query.get('watch') === 'true' && watches++ === 0) {
        sendJson(res, 410, statusBody(410, 'Gone', 'too old'));
        return;
      }
      return api.route(req, res);
    });
    cs = new RestClientset({ server: server.url });
    const inf = new SharedInformer<Pod>(cs.pods, { scheduler: new FakeScheduler() });
    ac = new AbortController();

    void inf.run(ac.signal);
    const stream = await server.nextStream();

    expect(api.lists).toHaveLength(2);
    expect(stream.request.query.get('resourceVersion')).toBe('10');
  });

  it('retries failed lists with a capped exponential backoff, then syncs', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5')];
    api.failLists = 4;
    const { server, inf, scheduler, signal } = await start(api);

    void inf.run(signal);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await waitFor(() => scheduler.pendingDelays().length === 1, 5000, `backoff ${i}`);
      delays.push(scheduler.pendingDelays()[0]);
      expect(inf.hasSynced()).toBe(false);
      scheduler.step(delays[i]);
    }
    await inf.waitForSync(signal);
    await server.nextStream();

    expect(delays).toEqual([800, 1600, 2000, 2000]);
    expect(api.lists).toHaveLength(5);
    expect(inf.lister().list().map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('reconnects a cut watch after a backoff, from the last seen version, without relisting', async () => {
    const api = new PodsApi();
    api.rv = '10';
    const { server, inf, scheduler, signal } = await start(api);

    void inf.run(signal);
    const first = await server.nextStream();
    first.send({ type: 'ADDED', object: pod('a', '11') });
    await waitFor(() => inf.lastSyncResourceVersion() === '11');
    first.destroy();
    await waitFor(() => scheduler.pendingDelays().length === 1, 5000, 'reconnect backoff');
    expect(scheduler.pendingDelays()).toEqual([800]);
    scheduler.step(800);
    const second = await server.nextStream();

    expect(second.request.query.get('resourceVersion')).toBe('11');
    expect(api.lists).toHaveLength(1);
    expect(inf.lister().get('default/a')?.metadata.resourceVersion).toBe('11');
  });

  it('keeps cached objects frozen so shared state cannot be edited by accident', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5')];
    const { inf, signal } = await start(api);
    void inf.run(signal);
    await inf.waitForSync(signal);

    const cached = inf.lister().get('default/a') as DeepReadonly<Pod>;
    expect(() => {
      (cached.metadata as { name: string }).name = 'x';
    }).toThrow(TypeError);
    const copy = deepClone<Pod>(cached);
    copy.metadata.name = 'x';
    expect(inf.lister().get('default/a')?.metadata.name).toBe('a');
  });

  it('replays the cache as adds to a handler registered after sync', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5'), pod('b', '6')];
    const { inf, signal } = await start(api);
    void inf.run(signal);
    await inf.waitForSync(signal);

    const calls: Call[] = [];
    recordHandlers(inf, calls);

    expect(calls.sort()).toEqual(['add a@5', 'add b@6']);
  });
});

describe('Indexer and Lister', () => {
  it('maintains named indexes through adds, updates and deletes', () => {
    const idx = new Indexer<Pod>();
    idx.addIndexers({ byApp: (p) => (p.metadata.labels?.app ? [p.metadata.labels.app] : []) });
    idx.add(pod('a', '1', { app: 'web' }));
    idx.add(pod('b', '2', { app: 'web' }, 'other'));
    idx.add(pod('c', '3', { app: 'db' }));

    expect(idx.byIndex('byApp', 'web').map((p) => p.metadata.name).sort()).toEqual(['a', 'b']);
    idx.update(pod('a', '4', { app: 'db' }));
    expect(idx.byIndex('byApp', 'web').map((p) => p.metadata.name)).toEqual(['b']);
    expect(idx.byIndex('byApp', 'db').map((p) => p.metadata.name).sort()).toEqual(['a', 'c']);
    idx.delete('other/b');
    expect(idx.byIndex('byApp', 'web')).toEqual([]);
    expect(idx.byIndex('namespace', 'default').map((p) => p.metadata.name).sort()).toEqual(['a', 'c']);
    expect(() => idx.byIndex('nope', 'x')).toThrow('index nope does not exist');
  });

  it('lists by namespace and selector, and gets cluster-scoped objects by name', () => {
    const idx = new Indexer<Pod>();
    idx.add(pod('a', '1', { tier: 'x' }));
    idx.add(pod('b', '1', { tier: 'y' }));
    idx.add(pod('c', '1', { tier: 'x' }, 'ns2'));
    idx.add({ metadata: { name: 'node-1', resourceVersion: '1' }, spec: { containers: [] } });
    const lister = new Lister<Pod>(idx);

    expect(lister.list(parseLabelSelector('tier=x')).map((p) => p.metadata.name).sort()).toEqual(['a', 'c']);
    expect(lister.namespace('ns2').list().map((p) => p.metadata.name)).toEqual(['c']);
    expect(lister.namespace('default').get('b')?.metadata.labels).toEqual({ tier: 'y' });
    expect(lister.get('node-1')?.metadata.name).toBe('node-1');
    expect(new DeletedFinalStateUnknown('k', 1).key).toBe('k');
  });
});

describe('InformerFactory', () => {
  it('shares one informer, one list and one watch per resource', async () => {
    const api = new PodsApi();
    api.items = [pod('a', '5')];
    server = await FakeApiServer.start();
    server.on('GET', /^\/api\/v1\/pods$/, api.route);
    cs = new RestClientset({ server: server.url });
    const factory = new InformerFactory(cs, { scheduler: new FakeScheduler() });
    ac = new AbortController();

    const i1 = factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true });
    const i2 = factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true });
    factory.start(ac.signal);
    expect(await factory.waitForCacheSync(ac.signal)).toBe(true);
    await server.nextStream();

    expect(i1).toBe(i2);
    expect(api.lists).toHaveLength(1);
    expect(server.streams).toHaveLength(1);
    expect(i2.lister().list()).toHaveLength(1);
  });

  it('scopes informers to one namespace when asked, and reports no sync when aborted', async () => {
    server = await FakeApiServer.start();
    server.on('GET', /^\/api\/v1\/namespaces\/team\/pods$/, () => 'stream');
    cs = new RestClientset({ server: server.url });
    const factory = new InformerFactory(cs, { namespace: 'team', scheduler: new FakeScheduler() });
    ac = new AbortController();
    factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true });

    const sync = factory.waitForCacheSync(ac.signal);
    ac.abort();

    expect(await sync).toBe(false);
  });
});
