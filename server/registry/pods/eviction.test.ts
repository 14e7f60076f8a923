// pods/eviction through the whole HTTP path (routes, front door, handler, registry) by inject,
// on in-memory SQLite: the PodDisruptionBudget check and decrement, 429 with upstream's message
// and cause, the DisruptionTarget condition, and what discovery and OpenAPI say about it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject, Pod, PodDisruptionBudget } from '../../../api/index.js';
import { FakeClock } from '../../../machinery/index.js';
import { buildApiServer } from '../../app.js';
import { buildOpenAPIProvider } from '../../openapi/provider.js';
import { SchemaCodec } from '../codec.js';
import { GenericRegistry } from '../generic-registry.js';
import { allResources } from '../index.js';
import { Authenticator } from '../../serving/auth.js';
import { SqliteObjectStore } from '../../storage/index.js';

const TOKEN = 'eviction-test-token';
const NS = 'default';
let app: FastifyInstance;

beforeAll(async () => {
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const clock = new FakeClock(new Date('2026-12-07T05:00:00Z'));
  const registry = new GenericRegistry({ store: new SqliteObjectStore({ path: ':memory:' }), clock, codec: new SchemaCodec(), namespaces: byName.get('/namespaces') });
  registry.create(byName.get('/namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KubeObject);
  ({ app } = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    openapi: buildOpenAPIProvider(allResources),
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, contentType = 'application/json') {
  return app.inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
  });
}

const PODS = `/api/v1/namespaces/${NS}/pods`;
const PDBS = `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`;

/** A bound, Running pod (Ready or not) with a finalizer of ours, so that a delete leaves it visible. */
async function runningPod(name: string, labels: Record<string, string>, ready = true): Promise<Pod> {
  const created = await call('POST', PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, finalizers: ['example.com/keep'] },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox:1.36' }] },
  });
  expect(created.statusCode).toBe(201);
  const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  const res = await call('PATCH', `${PODS}/${name}/status`, { status }, 'application/merge-patch+json');
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** A budget with the status the disruption controller would have written. */
async function budget(name: string, app_: string, status: Partial<NonNullable<PodDisruptionBudget['status']>>, observed = true): Promise<void> {
  const created = await call('POST', PDBS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app: app_ } } } });
  expect(created.statusCode).toBe(201);
  const full = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, observedGeneration: observed ? 1 : 0, ...status };
  const res = await call('PATCH', `${PDBS}/${name}/status`, { status: full }, 'application/merge-patch+json');
  expect(res.statusCode).toBe(200);
}

const evict = (name: string, extra: Record<string, unknown> = {}, query = '') =>
  call('POST', `${PODS}/${name}/eviction${query}`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS }, ...extra });

describe('pods/eviction', () => {
  it('is in discovery as policy/v1 Eviction (kubectl drain looks it up there) and in OpenAPI', async () => {
    const list = (await call('GET', '/api/v1')).json();
    expect(list.resources).toContainEqual({ name: 'pods/eviction', singularName: '', namespaced: true, kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' });
    const v3 = (await call('GET', '/openapi/v3/api/v1')).json();
    const post = v3.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post;
    expect(post).toMatchObject({ operationId: 'createCoreV1NamespacedPodEviction', 'x-kubernetes-group-version-kind': { group: 'policy', version: 'v1', kind: 'Eviction' } });
    expect(v3.components.schemas['io.k8s.api.policy.v1.Eviction']['x-kubernetes-group-version-kind']).toEqual([{ group: 'policy', version: 'v1', kind: 'Eviction' }]);
  });

  it('without a budget: marks the pod DisruptionTarget and deletes it with the grace period asked for', async () => {
    await runningPod('free', { app: 'none' });
    const res = await evict('free', { deleteOptions: { gracePeriodSeconds: 7 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const pod: Pod = (await call('GET', `${PODS}/free`)).json();
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(7);
    expect(pod.metadata.deletionTimestamp).toBe('2026-12-07T05:00:07Z');
    expect(pod.status?.conditions).toContainEqual({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
      lastProbeTime: null,
      lastTransitionTime: '2026-12-07T05:00:00Z',
    });
  });

  it("answers 429 with upstream's message and cause when the budget allows no disruption", async () => {
    await runningPod('guarded', { app: 'tight' });
    await budget('tight', 'tight', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 });
    const res = await evict('guarded');
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget tight needs 1 healthy pods and has 1 currently' }] },
      code: 429,
    });
    const pod: Pod = (await call('GET', `${PODS}/guarded`)).json();
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
    expect(pod.status?.conditions?.some((c) => c.type === 'DisruptionTarget')).toBe(false);
  });

  it('answers 429 with Retry-After 10 while the controller has not observed the budget', async () => {
    await runningPod('early', { app: 'fresh' });
    await budget('fresh', 'fresh', { disruptionsAllowed: 3 }, false);
    const res = await evict('early');
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('10');
    expect(res.json().details).toEqual({ retryAfterSeconds: 10, causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget fresh is still being processed by the server.' }] });
  });

  it('takes one disruption from the budget and notes the pod in disruptedPods', async () => {
    await runningPod('one', { app: 'loose' });
    await runningPod('two', { app: 'loose' });
    await budget('loose', 'loose', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    expect((await evict('one')).statusCode).toBe(201);
    const pdb: PodDisruptionBudget = (await call('GET', `${PDBS}/loose`)).json();
    expect(pdb.status).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { one: '2026-12-07T05:00:00Z' } });
    expect(pdb.status?.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2026-12-07T05:00:00Z' },
    ]);
    // The budget is used up: the second pod stays.
    expect((await evict('two')).statusCode).toBe(429);
  });

  it('lets an unready pod go without touching a budget that is met, and ignores budgets for pending and terminal pods', async () => {
    await runningPod('sick', { app: 'met' }, false);
    await budget('met', 'met', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    expect((await evict('sick')).statusCode).toBe(201);
    expect(((await call('GET', `${PDBS}/met`)).json() as PodDisruptionBudget).status?.disruptedPods).toBeUndefined();
    // A finished pod: deleted whatever the budget says.
    await runningPod('done', { app: 'tight' });
    await call('PATCH', `${PODS}/done/status`, { status: { phase: 'Succeeded' } }, 'application/merge-patch+json');
    expect((await evict('done')).statusCode).toBe(201);
    expect(((await call('GET', `${PODS}/done`)).json() as Pod).metadata.deletionTimestamp).toBeDefined();
  });

  it('refuses a pod with two budgets (500), a name that is not the pod (400), and changes nothing on a dry run', async () => {
    // Selected by the budget "tight" (app=tight) and by "by-tier" (tier=x).
    await runningPod('twice', { app: 'tight', tier: 'x' });
    const both = await call('POST', `${PDBS}`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'by-tier' }, spec: { maxUnavailable: 1, selector: { matchLabels: { tier: 'x' } } } });
    expect(both.statusCode).toBe(201);
    const res = await evict('twice');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });

    const badGrace = await evict('twice', { deleteOptions: { gracePeriodSeconds: 'soon' } });
    expect(badGrace.statusCode).toBe(400);
    expect(badGrace.json().message).toBe('json: cannot unmarshal string into Go struct field DeleteOptions.deleteOptions.gracePeriodSeconds of type int64');

    const mismatch = await call('POST', `${PODS}/twice/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().message).toBe('name in URL does not match name in Eviction object');

    await runningPod('dry', { app: 'dry' });
    await budget('dry', 'dry', { disruptionsAllowed: 1, currentHealthy: 1, expectedPods: 1 });
    expect((await evict('dry', {}, '?dryRun=All')).statusCode).toBe(201);
    expect(((await call('GET', `${PODS}/dry`)).json() as Pod).metadata.deletionTimestamp).toBeUndefined();
    expect(((await call('GET', `${PDBS}/dry`)).json() as PodDisruptionBudget).status?.disruptionsAllowed).toBe(1);
    expect((await call('POST', `${PODS}/missing/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'missing' } })).statusCode).toBe(404);
  });

  it('serves PodDisruptionBudgets with kubectl get columns and refuses invalid ones with field paths', async () => {
    const table = (await app.inject({ method: 'GET', url: `${PDBS}/loose`, headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json();
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
    expect(table.rows[0].cells.slice(0, 4)).toEqual(['loose', '1', 'N/A', 0]);
    const bad = await call('POST', PDBS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'bad' }, spec: { minAvailable: '150%' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "150%": must not be greater than 100%', field: 'spec.minAvailable' }]);
  });
});
