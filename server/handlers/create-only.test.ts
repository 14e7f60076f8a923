// The create-only resources (the access reviews) through the whole HTTP path, by inject: no
// socket, in-memory SQLite. The protobuf bodies are the ones kubectl v1.32.4 sent for
// `kubectl auth can-i create jobs`, `kubectl auth can-i get /healthz`, `kubectl auth can-i --list`
// and `kubectl auth whoami`, captured by a recording proxy in front of a jobyard server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { buildApiServer } from '../app.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { allResources } from '../registry/index.js';
import { Authenticator } from '../serving/auth.js';
import { SqliteObjectStore } from '../storage/index.js';

const KUBECTL = {
  canICreateJobs: [
    'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSRAoQCgASABoAIgAqADIAOABC',
    'ABImCiQKB2RlZmF1bHQSBmNyZWF0ZRoFYmF0Y2giACoEam9iczIAOgAaCAgAEgAaACAAGgAiAA==',
  ].join(''),
  canIGetHealthz: [
    'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABC',
    'ABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA==',
  ].join(''),
  canIList: [
    'azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIA',
    'EgkKB2RlZmF1bHQaBBgAIgAaACIA',
  ].join(''),
  whoami: [
    'azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoE',
    'CgASABoAIgA=',
  ].join(''),
};

const TOKEN = 'create-only-test-token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSRR = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const ADMIN_REASON = /^jobyard: the request carries the server's token .*administrator's: user "jobyard-admin" in group "system:masters"/;

const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
const store = new SqliteObjectStore({ path: ':memory:' });
let app: FastifyInstance;

beforeAll(async () => {
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces: byName.get('/namespaces') });
  const nsDef = allResources.find((d) => d.names.resource === 'namespaces')!;
  registry.create(nsDef, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  ({ app } = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  store.close?.();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function request(method: Method, url: string, body?: unknown, contentType = 'application/json') {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = contentType;
  return app.inject({ method, url, payload, headers });
}

const protobuf = (b64: string) => Buffer.from(b64, 'base64');

function ssar(spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec, ...extra };
}

describe('selfsubjectaccessreviews', () => {
  it('answers kubectl auth can-i create jobs (protobuf) with 201, allowed, and the reason', async () => {
    const res = await request('POST', `${SSAR}?fieldManager=kubectl&fieldValidation=Strict`, protobuf(KUBECTL.canICreateJobs), PROTOBUF);
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const out = res.json();
    expect(out).toMatchObject({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'batch', resource: 'jobs' } },
      status: { allowed: true },
    });
    expect(out.status.reason).toMatch(ADMIN_REASON);
    expect(out.status.denied).toBeUndefined();
  });

  it('answers a non-resource request (kubectl auth can-i get /healthz, protobuf)', async () => {
    const res = await request('POST', SSAR, protobuf(KUBECTL.canIGetHealthz), PROTOBUF);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: true } });
  });

  it('answers JSON, every verb and resource included', async () => {
    const res = await request('POST', SSAR, ssar({ resourceAttributes: { verb: '*', group: '*', resource: '*' } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().status.allowed).toBe(true);
  });

  it('refuses both attributes with upstream\'s 422: empty kind and name, the cause at spec.nonResourceAttributes', async () => {
    const res = await request('POST', SSAR, ssar({ resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } }));
    expect(res.statusCode).toBe(422);
    const message = 'spec.nonResourceAttributes: Invalid value: {"path":"/healthz","verb":"get"}: cannot be specified in combination with resourceAttributes';
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `.authorization.k8s.io "" is invalid: ${message}`,
      reason: 'Invalid',
      details: {
        name: '',
        group: 'authorization.k8s.io',
        kind: '',
        causes: [{ reason: 'FieldValueInvalid', message: message.slice('spec.nonResourceAttributes: '.length), field: 'spec.nonResourceAttributes' }],
      },
      code: 422,
    });
  });

  it('refuses neither attribute, and a named review', async () => {
    const neither = await request('POST', SSAR, ssar({}));
    expect(neither.statusCode).toBe(422);
    expect(neither.json().details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified' },
    ]);
    const named = await request('POST', SSAR, ssar({ resourceAttributes: {} }, { metadata: { name: 'mine' } }));
    expect(named.statusCode).toBe(422);
    expect(named.json().details.causes.map((c: { field: string }) => c.field)).toEqual(['metadata']);
  });

  it('drops a namespace sent in metadata, as for any cluster-scoped object', async () => {
    const res = await request('POST', SSAR, ssar({ resourceAttributes: {} }, { metadata: { namespace: 'default' } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().metadata).toEqual({});
  });

  it('honours fieldValidation: Strict refuses an unknown field, Warn answers with a Warning header', async () => {
    const body = ssar({ resourceAttributes: { verb: 'get', resource: 'pods', colour: 'blue' } });
    const strict = await request('POST', `${SSAR}?fieldValidation=Strict`, body);
    expect(strict.statusCode).toBe(400);
    expect(strict.json().message).toBe(
      'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: strict decoding error: unknown field "spec.resourceAttributes.colour"',
    );
    const warn = await request('POST', SSAR, body);
    expect(warn.statusCode).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.resourceAttributes.colour\\""');
    expect(warn.json().spec.resourceAttributes).toEqual({ verb: 'get', resource: 'pods' });
    expect((await request('POST', `${SSAR}?fieldValidation=Loud`, body)).statusCode).toBe(400);
  });

  it('honours dryRun: the same answer (nothing is stored either way), unsupported values refused', async () => {
    const dry = await request('POST', `${SSAR}?dryRun=All`, ssar({ resourceAttributes: { verb: 'delete', resource: 'pods', namespace: 'kube-system' } }));
    expect(dry.statusCode).toBe(201);
    expect(dry.json().status.allowed).toBe(true);
    const bad = await request('POST', `${SSAR}?dryRun=Some`, ssar({ resourceAttributes: {} }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('dryRun: Unsupported value: "Some": supported values: "All"');
  });

  it('refuses a body of another kind', async () => {
    const res = await request('POST', SSAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
    expect(res.statusCode).toBe(400);
  });
});

describe('selfsubjectrulesreviews', () => {
  it('answers kubectl auth can-i --list (protobuf) with every rule, spec left empty as upstream', async () => {
    const res = await request('POST', SSRR, protobuf(KUBECTL.canIList), PROTOBUF);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: {},
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    });
  });

  it('refuses a review without spec.namespace with upstream\'s 400', async () => {
    const res = await request('POST', SSRR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ reason: 'BadRequest', message: 'no namespace on request' });
  });
});

describe('selfsubjectreviews', () => {
  it('answers kubectl auth whoami (protobuf) with the administrator, stamped with the time', async () => {
    const res = await request('POST', SSR, protobuf(KUBECTL.whoami), PROTOBUF);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2026-03-01T10:00:00Z' },
      status: { userInfo: { username: 'jobyard-admin', groups: ['system:masters', 'system:authenticated'] } },
    });
  });

  it('answers a bare JSON body too', async () => {
    const res = await request('POST', SSR, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(res.statusCode).toBe(201);
    expect(res.json().status.userInfo.username).toBe('jobyard-admin');
  });
});

describe('create-only routes', () => {
  it.each([
    ['GET', SSAR],
    ['GET', `${SSAR}?watch=true`],
    ['PUT', SSAR],
    ['PATCH', SSAR],
    ['DELETE', SSAR],
    ['GET', SSR],
    ['DELETE', SSRR],
  ] as [Method, string][])('%s %s: 405 MethodNotAllowed, as upstream\'s create-only route', async (method, url) => {
    const res = await request(method, url, method === 'PUT' || method === 'PATCH' ? {} : undefined, method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    expect(res.statusCode).toBe(405);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
  });

  it.each([
    ['GET', `${SSAR}/some-name`],
    ['POST', `${SSAR}/some-name`],
    ['DELETE', `${SSAR}/some-name`],
    ['PUT', `${SSAR}/some-name/status`],
    ['GET', '/apis/authorization.k8s.io/v1/watch/selfsubjectaccessreviews'],
    ['POST', '/apis/authorization.k8s.io/v1/namespaces/default/selfsubjectaccessreviews'],
  ] as [Method, string][])('%s %s: 404, there is no such route', async (method, url) => {
    const res = await request(method, url, method === 'POST' || method === 'PUT' ? ssar({ resourceAttributes: {} }) : undefined);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('stores nothing: no rows and no new resourceVersion after every review above', async () => {
    const rv = store.currentRv();
    for (const [url, body] of [[SSAR, ssar({ resourceAttributes: {} })], [SSRR, { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace: 'default' } }], [SSR, {}]] as const) {
      expect((await request('POST', url, body)).statusCode).toBe(201);
    }
    expect(store.currentRv()).toBe(rv);
    for (const resource of ['authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews', 'authentication.k8s.io/selfsubjectreviews']) {
      expect(store.list(resource, {}).items).toEqual([]);
    }
  });

  it('asks for authentication like every other route', async () => {
    const res = await app.inject({ method: 'POST', url: SSR, payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('discovery', () => {
  it('lists both groups, and each review with verbs ["create"] only', async () => {
    const groups = (await request('GET', '/apis')).json().groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(['apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'batch', 'networking.k8s.io', 'policy', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'logs.jobyard.io', 'metrics.k8s.io']);
    expect((await request('GET', '/apis/authentication.k8s.io/v1')).json()).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'authentication.k8s.io/v1',
      resources: [{ name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] }],
    });
    expect((await request('GET', '/apis/authorization.k8s.io/v1')).json().resources).toEqual([
      { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
      { name: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview', namespaced: false, kind: 'SelfSubjectRulesReview', verbs: ['create'] },
    ]);
  });
});
