// metrics.k8s.io through the whole HTTP path, by inject (in-memory SQLite), with a node that
// reports fixed figures: what the server makes of them (quantities, selection, 404s, 405s).
// The figures of a real node are in test/e2e-kubectl/portforward-top.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject, Pod } from '../../../api/index.js';
import type { PodUsage, ResourceMetricsProvider, UsageSample } from '../../../api/metrics.js';
import { FakeClock } from '../../../machinery/index.js';
import { buildApiServer } from '../../app.js';
import { Authenticator } from '../../serving/auth.js';
import { SqliteObjectStore } from '../../storage/index.js';
import { SchemaCodec } from '../codec.js';
import { GenericRegistry } from '../generic-registry.js';
import { allResources, namespaces, nodes, pods } from '../index.js';
import { formatNanoCores } from './index.js';

const TOKEN = 'metrics-token';
const store = new SqliteObjectStore({ path: ':memory:' });
const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
let app: FastifyInstance;
const asked: string[][] = [];

const node: ResourceMetricsProvider = {
  async podUsage(list: Pod[]): Promise<PodUsage[]> {
    asked.push(list.map((p) => p.metadata.name ?? ''));
    return list.map((p) => ({
      uid: p.metadata.uid ?? '',
      timestamp: new Date('2026-03-01T09:59:59Z'),
      windowMs: 15_021,
      containers: [{ name: 'main', cpuNanoCores: 123_456_789, memoryWorkingSetBytes: 1308 * 1024 }],
    }));
  },
  async nodeUsage(name: string): Promise<UsageSample | undefined> {
    return name === 'node-a' ? { timestamp: new Date('2026-03-01T09:59:58Z'), windowMs: 1000, cpuNanoCores: 250_000_000, memoryWorkingSetBytes: 3 * 1024 ** 3 } : undefined;
  },
};

beforeAll(async () => {
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces });
  registry.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  for (const name of ['node-a', 'node-b']) registry.create(nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: name } } } as KubeObject);
  const pod = (name: string, labels: Record<string, string>, phase?: string) => {
    registry.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox' }] } } as unknown as KubeObject);
    if (phase) registry.guaranteedUpdate(pods, 'default', name, (o) => void ((o as unknown as Pod).status = { phase: phase as 'Running' }), { subresource: 'status' });
  };
  pod('spin', { app: 'spin' }, 'Running');
  pod('idle', { app: 'idle' }, 'Running');
  pod('waiting', { app: 'spin' });
  ({ app } = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
    resourceMetrics: node,
  }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  store.close?.();
});

const get = (url: string, accept = 'application/json') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}`, accept } });

describe('metrics.k8s.io/v1beta1', () => {
  it('writes CPU as metrics-server does: nanocores as a canonical quantity', () => {
    expect([123_456_789, 5_000_000, 1_000_000_000, 2_500_000_000, 1_000, 0, 0.4].map(formatNanoCores)).toEqual(['123456789n', '5m', '1', '2500m', '1u', '0', '0']);
  });

  it('lists the PodMetrics of running pods, selected by label, with the pod’s labels', async () => {
    const res = await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dspin');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'PodMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          kind: 'PodMetrics',
          apiVersion: 'metrics.k8s.io/v1beta1',
          metadata: { name: 'spin', namespace: 'default', labels: { app: 'spin' }, creationTimestamp: '2026-03-01T10:00:00Z' },
          timestamp: '2026-03-01T09:59:59Z',
          window: '15.021s',
          containers: [{ name: 'main', usage: { cpu: '123456789n', memory: '1308Ki' } }],
        },
      ],
    });
    // The pod that is not running yet was not asked about.
    expect(asked.at(-1)).toEqual(['spin']);
    const all = await get('/apis/metrics.k8s.io/v1beta1/pods');
    expect((all.json() as { items: KubeObject[] }).items.map((m) => m.metadata.name).sort()).toEqual(['idle', 'spin']);
  });

  it('gets one pod’s metrics; a pod without any is NotFound by namespace/name, as metrics-server says', async () => {
    expect((await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/idle')).json()).toMatchObject({ kind: 'PodMetrics', metadata: { name: 'idle' } });
    for (const name of ['waiting', 'nope']) {
      const res = await get(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${name}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: `podmetrics.metrics.k8s.io "default/${name}" not found` });
    }
  });

  it('reports NodeMetrics for the nodes that have figures', async () => {
    const list = (await get('/apis/metrics.k8s.io/v1beta1/nodes')).json() as { kind: string; items: { metadata: { name: string; labels: Record<string, string> }; usage: Record<string, string>; window: string }[] };
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items).toEqual([expect.objectContaining({ kind: 'NodeMetrics', metadata: expect.objectContaining({ name: 'node-a', labels: { zone: 'node-a' } }), window: '1s', usage: { cpu: '250m', memory: '3Gi' } })]);
    const missing = await get('/apis/metrics.k8s.io/v1beta1/nodes/node-b');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'nodemetrics.metrics.k8s.io "node-b" not found' });
  });

  it('serves get and list only, and a Table for kubectl get', async () => {
    const del = await app.inject({ method: 'DELETE', url: '/apis/metrics.k8s.io/v1beta1/nodes/node-a', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(del.statusCode).toBe(405);
    const watch = await get('/apis/metrics.k8s.io/v1beta1/nodes?watch=true');
    expect(watch.statusCode).toBe(405);
    const table = await get('/apis/metrics.k8s.io/v1beta1/nodes', 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.json()).toMatchObject({ kind: 'Table', rows: [{ cells: ['node-a', '2026-03-01T10:00:00Z'] }] });
    const discovery = (await get('/apis/metrics.k8s.io/v1beta1')).json() as { resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[] };
    expect(discovery.resources).toEqual([
      expect.objectContaining({ name: 'nodes', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] }),
      expect.objectContaining({ name: 'pods', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }),
    ]);
  });
});
