// /livez, /readyz and /healthz through the whole HTTP path (inject, in-memory SQLite): the answers
// upstream's apiserver gives (healthz.go handleRootHealth): "ok", ?verbose, ?exclude, a failing
// check withheld on the public root and explained on its own token-only path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { buildApiServer, type BuiltApiServer } from '../app.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { allResources } from '../registry/index.js';
import { Authenticator } from '../serving/auth.js';
import { SqliteObjectStore } from '../storage/index.js';
import { rootHealth, type HealthCheck } from './healthz.js';

const TOKEN = 'healthz-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

async function build(): Promise<{ built: BuiltApiServer; store: SqliteObjectStore }> {
  const store = new SqliteObjectStore({ path: ':memory:' });
  const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec() });
  registry.create(allResources.find((d) => d.names.resource === 'namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  const built = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  });
  return { built, store };
}

describe('health endpoints of a healthy server', () => {
  let built: BuiltApiServer;
  let store: SqliteObjectStore;
  beforeAll(async () => {
    ({ built, store } = await build());
  });
  afterAll(async () => {
    await built.app.close();
    store.close();
  });

  it.each(['/livez', '/readyz', '/healthz'])('%s answers ok to anyone, as text', async (url) => {
    const r = await built.app.inject({ url });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('ok');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('HEAD of a root answers 200 without a body, as probes send it', async () => {
    const r = await built.app.inject({ method: 'HEAD', url: '/readyz' });
    expect([r.statusCode, r.body]).toEqual([200, '']);
  });

  it('?verbose lists every check, as upstream names them', async () => {
    expect((await built.app.inject({ url: '/livez?verbose' })).body).toBe('[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\nlivez check passed\n');
    expect((await built.app.inject({ url: '/readyz?verbose=1' })).body).toBe(
      '[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    expect((await built.app.inject({ url: '/healthz?verbose' })).body).toBe('[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\nhealthz check passed\n');
  });

  it('?exclude skips a check, and names those that match none', async () => {
    const r = await built.app.inject({ url: '/readyz?verbose&exclude=etcd&exclude=nosuch&exclude=alsonot' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(
      '[+]ping ok\n[+]etcd excluded: ok\n[+]poststarthook/bootstrap-controller ok\n[+]shutdown ok\n' +
        'warn: some health checks cannot be excluded: no matches for "alsonot","nosuch"\nreadyz check passed\n',
    );
  });

  it('a single check needs the token (upstream: outside system:public-info-viewer), then answers ok', async () => {
    expect((await built.app.inject({ url: '/livez/ping' })).statusCode).toBe(401);
    expect((await built.app.inject({ url: '/readyz/etcd' })).statusCode).toBe(401);
    const r = await built.app.inject({ url: '/readyz/poststarthook/bootstrap-controller', headers: auth });
    expect([r.statusCode, r.body]).toEqual([200, 'ok']);
    const unknown = await built.app.inject({ url: '/livez/nosuch', headers: auth });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('a wrong token is 401 on the public roots too', async () => {
    expect((await built.app.inject({ url: '/livez', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });
});

describe('health endpoints when a check fails', () => {
  it('a closed store fails etcd: 500 with the reason withheld on the root, given on /<endpoint>/etcd', async () => {
    const { built, store } = await build();
    try {
      store.close();
      const root = await built.app.inject({ url: '/livez' });
      expect(root.statusCode).toBe(500);
      expect(root.body).toBe('[+]ping ok\n[-]etcd failed: reason withheld\n[+]poststarthook/bootstrap-controller ok\nlivez check failed\n');
      // Excluding the failing check makes the answer ok again.
      expect((await built.app.inject({ url: '/livez?exclude=etcd' })).body).toBe('ok');
      const single = await built.app.inject({ url: '/livez/etcd', headers: auth });
      expect(single.statusCode).toBe(500);
      expect(single.body).toMatch(/^internal server error: .*database connection is not open\n$/);
    } finally {
      await built.app.close();
    }
  });

  it('after startShutdown readyz fails its shutdown check while livez stays ok', async () => {
    const { built, store } = await build();
    try {
      built.startShutdown();
      const r = await built.app.inject({ url: '/readyz?verbose' });
      expect(r.statusCode).toBe(500);
      expect(r.body).toContain('[-]shutdown failed: reason withheld\nreadyz check failed\n');
      expect((await built.app.inject({ url: '/livez' })).body).toBe('ok');
      expect((await built.app.inject({ url: '/readyz/shutdown', headers: auth })).body).toBe('internal server error: process is shutting down\n');
    } finally {
      await built.app.close();
      store.close();
    }
  });
});

describe('rootHealth', () => {
  const failing: HealthCheck = {
    name: 'disk',
    check() {
      throw new Error('full');
    },
  };
  it('reports every failed check with its reason for the log, and ignores verbose on failure', () => {
    const r = rootHealth('readyz', [{ name: 'ping', check() {} }, failing], {});
    expect(r).toEqual({ code: 500, body: '[+]ping ok\n[-]disk failed: reason withheld\nreadyz check failed\n', failed: ['disk: full'] });
  });
});
