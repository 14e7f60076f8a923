// The kinds jobyard serves read-only and empty (apps/v1 Deployment, ReplicaSet, StatefulSet,
// DaemonSet; core/v1 ReplicationController, PersistentVolume; networking.k8s.io/v1 Ingress),
// through the whole HTTP path (the in-process transport: routes, front door, registry, SQLite):
// discovery lists get, list and watch only; list (with selectors) is empty, get is NotFound,
// a watch opens and stays empty; every write is upstream's 405 MethodNotSupported naming the
// kind and why, and nothing is stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessResponse, InProcessTransport } from '../../api/in-process.js';
import type { KubeObject } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { buildApiServer } from '../../server/app.js';
import { buildOpenAPIProvider } from '../../server/openapi/provider.js';
import { SchemaCodec } from '../../server/registry/codec.js';
import { GenericRegistry } from '../../server/registry/generic-registry.js';
import { allResources } from '../../server/registry/index.js';
import { Authenticator } from '../../server/serving/auth.js';
import { SqliteObjectStore } from '../../server/storage/index.js';

const TOKEN = 'read-only-kinds-test-token';
let dataDir: string;
let store: SqliteObjectStore;
let send: InProcessTransport;
let close: () => Promise<void>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobyard-read-only-'));
  store = new SqliteObjectStore({ path: join(dataDir, 'state.db'), groupCommit: true });
  const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces: byName.get('/namespaces') });
  registry.create(byName.get('/namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  const built = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
    openapi: buildOpenAPIProvider(allResources),
  });
  send = built.inProcess;
  close = async () => {
    await built.app.close();
    store.close();
  };
});

afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; json: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await send({ method, path, headers, ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}) });
  let text = '';
  for await (const chunk of res.body) text += chunk.toString();
  return { code: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

interface Kind {
  group: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
}

const KINDS: Kind[] = [
  { group: '', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'] },
  { group: '', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ['all'] },
  { group: 'apps', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'] },
  { group: 'apps', resource: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'] },
  { group: 'apps', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'] },
  { group: 'apps', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'] },
  { group: 'networking.k8s.io', resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'] },
];

const groupVersion = (k: Kind) => (k.group ? `${k.group}/v1` : 'v1');
const root = (k: Kind) => (k.group ? `/apis/${k.group}/v1` : '/api/v1');
const collection = (k: Kind) => `${root(k)}${k.namespaced ? '/namespaces/default' : ''}/${k.resource}`;
const qualified = (k: Kind) => (k.group ? `${k.resource}.${k.group}` : k.resource);
const object = (k: Kind, name: string) => ({ apiVersion: groupVersion(k), kind: k.kind, metadata: { name, labels: { app: 'x' } }, spec: {} });

/** What the 405 says after upstream's NewMethodNotSupported message. */
const why = (k: Kind) =>
  k.resource === 'persistentvolumes'
    ? 'jobyard runs batch workloads (Jobs, CronJobs, Pods) and does not provision PersistentVolumes yet'
    : k.resource === 'ingresses'
      ? 'jobyard runs batch workloads (Jobs, CronJobs, Pods) and no ingress controller'
      : 'jobyard runs batch workloads (Jobs, CronJobs, Pods)';

function methodNotSupported(k: Kind, action: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${action} is not supported on resources of kind "${qualified(k)}": ${why(k)}`,
    reason: 'MethodNotAllowed',
    details: k.group ? { group: k.group, kind: k.resource } : { kind: k.resource },
    code: 405,
  };
}

describe.each(KINDS.map((k) => [qualified(k), k] as const))('%s, served read-only and empty', (_name, k) => {
  it('is in discovery with get, list and watch only, its short names and categories as upstream', async () => {
    const list = await request('GET', root(k));
    expect(list.code).toBe(200);
    const entries = list.json.resources.filter((r: { name: string }) => r.name === k.resource || r.name.startsWith(`${k.resource}/`));
    expect(entries).toEqual([
      {
        name: k.resource,
        singularName: k.kind.toLowerCase(),
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: ['get', 'list', 'watch'],
        shortNames: k.shortNames,
        ...(k.categories ? { categories: k.categories } : {}),
      },
    ]);
  });

  it('lists nothing, with or without selectors, in a namespace and across all', async () => {
    for (const path of [collection(k), `${collection(k)}?labelSelector=app%3Dx`, `${collection(k)}?fieldSelector=metadata.name%3Dx`, `${root(k)}/${k.resource}`]) {
      const res = await request('GET', path);
      expect(res.code, path).toBe(200);
      expect(res.json).toMatchObject({ kind: `${k.kind}List`, apiVersion: groupVersion(k), items: [] });
      expect(res.json.metadata.resourceVersion).toMatch(/^[0-9]+$/);
    }
    const bad = await request('GET', `${collection(k)}?labelSelector=app%3D%3D%3D`);
    expect(bad.code).toBe(400);
    // Upstream's ReplicaSet and ReplicationController also select on status.replicas; the others do not.
    const replicas = await request('GET', `${collection(k)}?fieldSelector=status.replicas%3D0`);
    if (k.resource === 'replicasets' || k.resource === 'replicationcontrollers') expect([replicas.code, replicas.json.items]).toEqual([200, []]);
    else expect([replicas.code, replicas.json.message]).toEqual([400, 'field label not supported: status.replicas']);
  });

  it('answers get with NotFound', async () => {
    const res = await request('GET', `${collection(k)}/x`);
    expect(res.code).toBe(404);
    expect(res.json).toMatchObject({ reason: 'NotFound', message: `${qualified(k)} "x" not found` });
  });

  it('refuses create, update, patch, delete and deletecollection with 405, and stores nothing', async () => {
    const before = (await request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    const attempts: [string, string, unknown, string?][] = [
      ['create', 'POST', object(k, 'x')],
      ['create', 'POST', object(k, 'x'), 'application/yaml'],
      ['update', 'PUT', object(k, 'x')],
      ['patch', 'PATCH', { metadata: { labels: { b: '1' } } }, 'application/merge-patch+json'],
      ['patch', 'PATCH', { metadata: { labels: { b: '1' } } }, 'application/strategic-merge-patch+json'],
      ['patch', 'PATCH', object(k, 'x'), 'application/apply-patch+yaml'],
      ['delete', 'DELETE', undefined],
      ['deletecollection', 'DELETE', undefined],
    ];
    for (const [action, method, body, contentType] of attempts) {
      const path = action === 'create' || action === 'deletecollection' ? collection(k) : `${collection(k)}/x`;
      for (const query of ['', '?dryRun=All']) {
        const res = await request(method, `${path}${query}`, body, contentType);
        expect([res.code, res.json], `${method} ${path}${query} ${contentType ?? ''}`).toEqual([405, methodNotSupported(k, action)]);
      }
    }
    // Nothing was written: the global resourceVersion did not move, and the store holds none.
    expect((await request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion).toBe(before);
    expect(store.list(k.resource, {}).items).toEqual([]);
  });
});

describe('the OpenAPI documents of the read-only groups', () => {
  it.each(['apis/apps/v1', 'apis/networking.k8s.io/v1'])('%s: read operations only, and the kinds\' schemas', async (path) => {
    const root = await request('GET', '/openapi/v3');
    const url: string = root.json.paths[path].serverRelativeURL;
    const doc = (await request('GET', url)).json;
    const methods = new Set(Object.values(doc.paths as Record<string, Record<string, unknown>>).flatMap((item) => Object.keys(item).filter((k) => k !== 'parameters')));
    expect([...methods]).toEqual(['get']);
    const kinds = path === 'apis/apps/v1' ? ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] : ['Ingress'];
    const prefix = path === 'apis/apps/v1' ? 'io.k8s.api.apps.v1.' : 'io.k8s.api.networking.v1.';
    for (const kind of kinds) {
      expect(doc.components.schemas[prefix + kind].properties).toHaveProperty('spec');
      expect(doc.components.schemas[`${prefix}${kind}List`]).toBeDefined();
    }
  });
});

/** Reads a watch response's events until `until` holds or the stream ends. */
function readEvents(res: InProcessResponse, events: { type: string; object: KubeObject }[], until: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    res.body.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) events.push(JSON.parse(line));
      }
      if (until()) resolve();
    });
    res.body.on('end', resolve);
    res.body.on('error', reject);
  });
}

describe('a watch of a read-only kind', () => {
  it('opens and stays empty while writes to it are refused and other kinds change', async () => {
    const deployments = KINDS.find((k) => k.resource === 'deployments')!;
    const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
    const rv = (await request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    const watch = await send({ method: 'GET', path: `${collection(deployments)}?watch=1&resourceVersion=${rv}`, headers });
    const configMaps = await send({ method: 'GET', path: `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`, headers });
    expect(watch.statusCode).toBe(200);
    const seen: { type: string; object: KubeObject }[] = [];
    const seenConfigMaps: { type: string; object: KubeObject }[] = [];
    // Never resolves by itself: this watch is read until it is closed (which ends it with an error).
    readEvents(watch, seen, () => false).catch(() => undefined);
    const configMapAdded = readEvents(configMaps, seenConfigMaps, () => seenConfigMaps.length > 0);

    expect((await request('POST', collection(deployments), object(deployments, 'web'))).code).toBe(405);
    const made = await request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } });
    expect(made.code).toBe(201);
    // Watchers are told in resourceVersion order: once the ConfigMap's ADDED arrived, any event
    // for a deployment written before it would have arrived too.
    await configMapAdded;
    expect(seenConfigMaps.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after']);
    expect(seen).toEqual([]);
    configMapAdded.catch(() => undefined);
    watch.close();
    configMaps.close();
  });
});
