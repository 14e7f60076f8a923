// /metrics through the whole HTTP path (inject, in-memory SQLite): the token is required, the
// text is Prometheus' exposition format, and the API server's families carry upstream's labels
// (apiserver_request_total by verb, dry_run, group, version, resource, subresource, scope,
// component and code; apiserver_storage_objects by "resource.group").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/index.js';
import { FakeClock } from '../machinery/index.js';
import { buildApiServer, type BuiltApiServer } from './app.js';
import { registerStorageObjects } from './metrics.js';
import { SchemaCodec } from './registry/codec.js';
import { GenericRegistry } from './registry/generic-registry.js';
import { allResources } from './registry/index.js';
import { Authenticator } from './serving/auth.js';
import { SqliteObjectStore } from './storage/index.js';
import { legacyRegistry } from '../machinery/metrics/index.js';

const TOKEN = 'metrics-test-token';
const headers = { authorization: `Bearer ${TOKEN}` };
const store = new SqliteObjectStore({ path: ':memory:' });
let built: BuiltApiServer;

beforeAll(async () => {
  const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec() });
  registry.create(allResources.find((d) => d.names.resource === 'namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  registerStorageObjects(() => store.countObjects());
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

const BASE = { dry_run: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', component: 'apiserver' };

async function requests(labels: Record<string, string>): Promise<number> {
  const got = await legacyRegistry.getSingleMetric('apiserver_request_total')!.get();
  return got.values.find((v) => Object.keys(labels).length + 0 === Object.keys(v.labels).length && Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

async function durations(labels: Record<string, string>): Promise<number> {
  const got = await legacyRegistry.getSingleMetric('apiserver_request_duration_seconds')!.get();
  return (
    got.values.find(
      (v) => (v as { metricName?: string }).metricName === 'apiserver_request_duration_seconds_count' && Object.entries(labels).every(([k, x]) => v.labels[k] === x),
    )?.value ?? 0
  );
}

describe('/metrics', () => {
  it('needs the token', async () => {
    const r = await built.app.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 401 });
  });

  it('answers the Prometheus text format with the API server\'s families', async () => {
    const r = await built.app.inject({ url: '/metrics', headers });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const family of ['apiserver_request_total counter', 'apiserver_request_duration_seconds histogram', 'apiserver_storage_objects gauge']) {
      expect(r.body).toContain(`# TYPE ${family}\n`);
    }
    expect(r.body).toMatch(/^apiserver_storage_objects\{resource="namespaces"\} 1$/m);
  });

  it('counts each resource request with upstream\'s verb, scope and code', async () => {
    const create = { ...BASE, verb: 'POST', scope: 'resource', code: '201' };
    const dryCreate = { ...BASE, verb: 'POST', scope: 'resource', code: '201', dry_run: 'All' };
    const get = { ...BASE, verb: 'GET', scope: 'resource', code: '200' };
    const missing = { ...BASE, verb: 'GET', scope: 'resource', code: '404' };
    const listNs = { ...BASE, verb: 'LIST', scope: 'namespace', code: '200' };
    const listAll = { ...BASE, verb: 'LIST', scope: 'cluster', code: '200' };
    const patch = { ...BASE, verb: 'PATCH', scope: 'resource', code: '200' };
    const probes = [create, dryCreate, get, missing, listNs, listAll, patch];
    const before = await Promise.all(probes.map(requests));
    const durationBefore = await durations({ ...BASE, verb: 'POST', scope: 'resource' });

    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm1' }, data: { a: '1' } });
    const post = (url: string, payload: string) => built.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload });
    expect((await post('/api/v1/namespaces/default/configmaps', body)).statusCode).toBe(201);
    expect((await post('/api/v1/namespaces/default/configmaps?dryRun=All', body.replace('m1', 'm2'))).statusCode).toBe(201);
    expect((await built.app.inject({ url: '/api/v1/namespaces/default/configmaps/m1', headers })).statusCode).toBe(200);
    expect((await built.app.inject({ url: '/api/v1/namespaces/default/configmaps/nope', headers })).statusCode).toBe(404);
    expect((await built.app.inject({ url: '/api/v1/namespaces/default/configmaps', headers })).statusCode).toBe(200);
    expect((await built.app.inject({ url: '/api/v1/configmaps', headers })).statusCode).toBe(200);
    const patched = await built.app.inject({
      method: 'PATCH',
      url: '/api/v1/namespaces/default/configmaps/m1',
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      payload: '{"data":{"b":"2"}}',
    });
    expect(patched.statusCode).toBe(200);

    const after = await Promise.all(probes.map(requests));
    expect(after.map((a, i) => a - before[i]!)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect((await durations({ ...BASE, verb: 'POST', scope: 'resource' })) - durationBefore).toBe(1);
    // The store counts what it holds, dry runs aside.
    const text = (await built.app.inject({ url: '/metrics', headers })).body;
    expect(text).toMatch(/^apiserver_storage_objects\{resource="configmaps"\} 1$/m);
  });

  it('counts the health endpoints by path, as upstream\'s InstrumentHandlerFunc, and nothing for unserved paths', async () => {
    const livez = { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '/livez', scope: '', component: 'apiserver', code: '200' };
    const before = await requests(livez);
    await built.app.inject({ url: '/livez' });
    await built.app.inject({ url: '/apis/nosuch.example.com/v1/things', headers });
    expect((await built.app.inject({ url: '/api/v1/namespaces/default/configmaps/m1/madeup', headers })).statusCode).toBe(404);
    expect((await requests(livez)) - before).toBe(1);
    const got = await legacyRegistry.getSingleMetric('apiserver_request_total')!.get();
    expect(got.values.some((v) => String(v.labels.group).includes('nosuch') || v.labels.subresource === 'madeup')).toBe(false);
  });

  it('a cluster-scoped resource in another group: group, version and plural as labels', async () => {
    const labels = { verb: 'LIST', dry_run: '', group: 'batch', version: 'v1', resource: 'jobs', subresource: '', scope: 'cluster', component: 'apiserver', code: '200' };
    const before = await requests(labels);
    await built.app.inject({ url: '/apis/batch/v1/jobs', headers });
    expect((await requests(labels)) - before).toBe(1);
  });
});
