// The same API checks through @kubernetes/client-node, the client library JavaScript users
// reach for: create with defaults, list with selectors, the three patch types, conflicts,
// validation errors, watch, delete, and 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
let kc: k8s.KubeConfig;
let batch: k8s.BatchV1Api;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  batch = kc.makeApiClient(k8s.BatchV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await server?.stop();
});

const job = (name: string, labels: Record<string, string> = {}): k8s.V1Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, labels },
  spec: {
    completions: 2,
    parallelism: 2,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'exit 0'] }] } },
  },
});

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; body?: unknown };
    return { code: e.code ?? 0, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the call to fail');
}

describe('@kubernetes/client-node against jobyard', () => {
  it('creates a Job and reads it back with defaults', async () => {
    const created = await batch.createNamespacedJob({ namespace: 'default', body: job('cn-defaults') });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await batch.readNamespacedJob({ name: 'cn-defaults', namespace: 'default' });
    expect(read.spec?.backoffLimit).toBe(6);
    expect(read.spec?.completionMode).toBe('NonIndexed');
    expect(read.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(created.metadata?.uid);
    expect(read.spec?.template.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(read.spec?.template.spec?.terminationGracePeriodSeconds).toBe(30);
  });

  it('lists with label and field selectors', async () => {
    await batch.createNamespacedJob({ namespace: 'default', body: job('cn-sel-a', { team: 'a' }) });
    await batch.createNamespacedJob({ namespace: 'default', body: job('cn-sel-b', { team: 'b' }) });
    const a = await batch.listNamespacedJob({ namespace: 'default', labelSelector: 'team in (a)' });
    expect(a.items.map((j) => j.metadata?.name)).toEqual(['cn-sel-a']);
    const notA = await batch.listNamespacedJob({ namespace: 'default', labelSelector: 'team,team!=a' });
    expect(notA.items.map((j) => j.metadata?.name)).toEqual(['cn-sel-b']);
    const byName = await batch.listJobForAllNamespaces({ fieldSelector: 'metadata.name=cn-sel-b' });
    expect(byName.items.map((j) => j.metadata?.name)).toEqual(['cn-sel-b']);
    const page = await batch.listNamespacedJob({ namespace: 'default', limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.metadata?._continue).toBeTruthy();
    const next = await batch.listNamespacedJob({ namespace: 'default', limit: 1, _continue: page.metadata?._continue });
    expect(next.items[0].metadata?.name).not.toBe(page.items[0].metadata?.name);
  });

  it('patches with merge, strategic merge and JSON patch', async () => {
    await batch.createNamespacedJob({ namespace: 'default', body: job('cn-patch') });
    const opts = (type: string) => k8s.setHeaderOptions('Content-Type', type);
    await batch.patchNamespacedJob({ name: 'cn-patch', namespace: 'default', body: { metadata: { labels: { m: '1' } } } }, opts(k8s.PatchStrategy.MergePatch));
    await batch.patchNamespacedJob({ name: 'cn-patch', namespace: 'default', body: { metadata: { labels: { s: '2' } } } }, opts(k8s.PatchStrategy.StrategicMergePatch));
    await batch.patchNamespacedJob({ name: 'cn-patch', namespace: 'default', body: [{ op: 'replace', path: '/spec/parallelism', value: 1 }] }, opts(k8s.PatchStrategy.JsonPatch));
    const read = await batch.readNamespacedJob({ name: 'cn-patch', namespace: 'default' });
    expect(read.metadata?.labels?.m).toBe('1');
    expect(read.metadata?.labels?.s).toBe('2');
    expect(read.spec?.parallelism).toBe(1);
    // Strategic merge merges containers by name: only the image changes, the command stays.
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'cn-smp' }, spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '1'] }, { name: 'side', image: 'busybox:1.36' }] } },
    });
    await core.patchNamespacedPod(
      { name: 'cn-smp', namespace: 'default', body: { spec: { containers: [{ name: 'side', image: 'busybox:latest' }] } } },
      opts(k8s.PatchStrategy.StrategicMergePatch),
    );
    const pod = await core.readNamespacedPod({ name: 'cn-smp', namespace: 'default' });
    expect(pod.spec?.containers.map((c) => [c.name, c.image, c.command])).toEqual([
      ['main', 'busybox:1.36', ['sleep', '1']],
      ['side', 'busybox:latest', undefined],
    ]);
  });

  it('reports a Conflict for a stale update and Invalid with causes for bad input', async () => {
    const created = await batch.createNamespacedJob({ namespace: 'default', body: job('cn-conflict') });
    await batch.patchNamespacedJob(
      { name: 'cn-conflict', namespace: 'default', body: { metadata: { labels: { touched: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const stale = await apiError(batch.replaceNamespacedJob({ name: 'cn-conflict', namespace: 'default', body: created }));
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const bad = job('cn-invalid');
    bad.spec!.parallelism = -1;
    const invalid = await apiError(batch.createNamespacedJob({ namespace: 'default', body: bad }));
    expect(invalid.code).toBe(422);
    expect(invalid.body.details.causes).toContainEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.parallelism' });
    const missing = await apiError(batch.readNamespacedJob({ name: 'cn-invalid', namespace: 'default' }));
    expect(missing.code).toBe(404);
  });

  it('watches jobs from a resourceVersion', async () => {
    const list = await batch.listNamespacedJob({ namespace: 'default' });
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      '/apis/batch/v1/namespaces/default/jobs',
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, obj: k8s.V1Job) => {
        if (type !== 'BOOKMARK') events.push(`${type} ${obj.metadata?.name}`);
      },
      () => {},
    );
    try {
      await batch.createNamespacedJob({ namespace: 'default', body: job('cn-watch') });
      await batch.deleteNamespacedJob({ name: 'cn-watch', namespace: 'default', propagationPolicy: 'Background' });
      const start = Date.now();
      while (events.length < 2 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual(['ADDED cn-watch', 'DELETED cn-watch']);
    } finally {
      req.abort();
    }
  });

  it('deletes with propagation policies and dry runs', async () => {
    await batch.createNamespacedJob({ namespace: 'default', body: job('cn-orphan') });
    const dry = await batch.deleteNamespacedJob({ name: 'cn-orphan', namespace: 'default', dryRun: 'All' });
    expect(dry).toBeTruthy();
    expect((await batch.readNamespacedJob({ name: 'cn-orphan', namespace: 'default' })).metadata?.deletionTimestamp).toBeUndefined();
    // The API default for batch/v1 Jobs is Orphan: the GC finalizer holds the Job until it has
    // released the pods.
    await batch.deleteNamespacedJob({ name: 'cn-orphan', namespace: 'default' });
    const held = await batch.readNamespacedJob({ name: 'cn-orphan', namespace: 'default' });
    expect(held.metadata?.finalizers).toContain('orphan');
    expect(held.metadata?.deletionTimestamp).toBeTruthy();
    await batch.createNamespacedJob({ namespace: 'default', body: job('cn-fg') });
    await batch.deleteNamespacedJob({ name: 'cn-fg', namespace: 'default', propagationPolicy: 'Foreground' });
    expect((await batch.readNamespacedJob({ name: 'cn-fg', namespace: 'default' })).metadata?.finalizers).toContain('foregroundDeletion');
  });

  it('serves the namespaces that exist from the start and is refused without the token', async () => {
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const anonymous = new k8s.KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: 'c', server: server.url, caData: Buffer.from(server.caPem).toString('base64') }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const denied = await apiError(anonymous.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'default' }));
    expect(denied.code).toBe(401);
  });
});

describe('fieldValidation and dryRun through the raw API', () => {
  it('warns about unknown fields under Warn, drops them silently under Ignore, refuses under Strict', async () => {
    const { apiRequest } = await import('../support/api.js');
    const body = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, extra: { x: 1 } });
    const warn = await apiRequest(server, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { body: body('fv-warn') });
    expect(warn.code).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field \\"extra\\"');
    expect(warn.json().extra).toBeUndefined();
    const ignore = await apiRequest(server, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', { body: body('fv-ignore') });
    expect(ignore.code).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
    const strict = await apiRequest(server, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: body('fv-strict') });
    expect(strict.code).toBe(400);
    expect(strict.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"');
    expect((await apiRequest(server, 'GET', '/api/v1/namespaces/default/configmaps/fv-strict')).code).toBe(404);
  });

  it('answers a dry-run create with the defaulted object and stores nothing', async () => {
    const { apiRequest } = await import('../support/api.js');
    const r = await apiRequest(server, 'POST', '/apis/batch/v1/namespaces/default/jobs?dryRun=All', { body: job('dry-run-job') });
    expect(r.code).toBe(201);
    expect(r.json().spec.backoffLimit).toBe(6);
    expect(r.json().metadata.resourceVersion).toBeUndefined();
    expect((await apiRequest(server, 'GET', '/apis/batch/v1/namespaces/default/jobs/dry-run-job')).code).toBe(404);
  });

  it('serves pods as a table with upstream columns and field selectors on pods and events', async () => {
    const { apiRequest } = await import('../support/api.js');
    const table = await apiRequest(server, 'GET', '/api/v1/namespaces/default/pods', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.json().kind).toBe('Table');
    expect(table.json().columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const pending = await apiRequest(server, 'GET', '/api/v1/pods?fieldSelector=status.phase%3DPending,spec.nodeName%3D');
    expect(pending.code).toBe(200);
    const events = await apiRequest(server, 'GET', '/api/v1/events?fieldSelector=involvedObject.kind%3DJob,involvedObject.name%3Dnone');
    expect(events.code).toBe(200);
    expect(events.json().items).toEqual([]);
    const bad = await apiRequest(server, 'GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    expect(bad.code).toBe(400);
  });
});
