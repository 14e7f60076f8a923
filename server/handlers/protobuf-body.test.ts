// Protobuf request bodies through the whole HTTP path (Fastify's content-type parser,
// parseBody with the resource's schema, the registry), by inject: no socket, in-memory SQLite.
// The bodies are the ones kubectl 1.32 sent for `kubectl create configmap settings ...` and
// `kubectl create job hello --image=busybox -- sh -c 'echo hi'` (see
// machinery/protobuf/kubectl-fixtures.test.ts for how they were captured).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { PROTOBUF_PREFIX } from '../../machinery/protobuf/index.js';
import { WireWriter } from '../../machinery/protobuf/testing/index.js';
import { buildApiServer } from '../app.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { allResources } from '../registry/index.js';
import { Authenticator } from '../serving/auth.js';
import { SqliteObjectStore } from '../storage/index.js';

const CONFIGMAP = [
  'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEkEKGAoIc2V0dGluZ3MSABoAIgAqADIAOABCABINCgVjb2xvchIEYmx1ZRIICgRzaXplEgAa',
  'DAoEYmxvYhIE/wD+ARoAIgA=',
].join('');
const JOB = [
  'azhzAAoPCghiYXRjaC92MRIDSm9iEpEBChUKBWhlbGxvEgAaACIAKgAyADgAQgASbjJsChAKABIAGgAiACoAMgA4AEIAElgSNQoF',
  'aGVsbG8SB2J1c3lib3gaAnNoGgItYxoHZWNobyBoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEA',
  'igEAmgEAwgEAGgggACgAMAA6ABoAIgA=',
].join('');

const TOKEN = 'protobuf-test-token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
let app: FastifyInstance;

beforeAll(async () => {
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({
    store: new SqliteObjectStore({ path: ':memory:' }),
    clock: new FakeClock(),
    codec: new SchemaCodec(),
    namespaces: byName.get('/namespaces'),
  });
  const nsDef = allResources.find((d) => d.names.resource === 'namespaces')!;
  registry.create(nsDef, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  ({ app } = await buildApiServer({
    registry,
    resources: allResources,
    clock: new FakeClock(),
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

function send(method: 'POST' | 'PUT' | 'DELETE', url: string, payload: Buffer | string, contentType = PROTOBUF) {
  return app.inject({
    method,
    url,
    payload,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType, accept: `${PROTOBUF},application/json` },
  });
}

/** A protobuf body around `raw` (runtime.Unknown with typeMeta). */
function envelope(kind: string, apiVersion: string, raw: WireWriter): Buffer {
  const unknown = new WireWriter().message(1, (t) => t.string(1, apiVersion).string(2, kind)).bytes(2, raw.finish());
  return Buffer.from([...PROTOBUF_PREFIX, ...unknown.finish()]);
}

describe('protobuf request bodies', () => {
  it('creates a ConfigMap from the body kubectl create configmap sends, and answers JSON', async () => {
    const res = await send('POST', '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict', Buffer.from(CONFIGMAP, 'base64'));
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const cm = res.json();
    expect(cm).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'settings', namespace: 'default' } });
    expect(cm.data).toEqual({ color: 'blue', size: '' });
    expect(cm.binaryData).toEqual({ blob: '/wD+AQ==' });
    expect(cm.metadata.uid).toEqual(expect.any(String));
  });

  it('creates a Job from the body kubectl create job sends, with the server\'s defaults applied', async () => {
    const res = await send('POST', '/apis/batch/v1/namespaces/default/jobs?fieldManager=kubectl-create&fieldValidation=Strict', Buffer.from(JOB, 'base64'));
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job.metadata.name).toBe('hello');
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'hello', image: 'busybox', command: ['sh', '-c', 'echo hi'] }),
    ]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('updates with a protobuf PUT', async () => {
    const current = (await app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps/settings', headers: { authorization: `Bearer ${TOKEN}` } })).json();
    const raw = new WireWriter()
      .message(1, (m) => m.string(1, 'settings').string(3, 'default').string(6, current.metadata.resourceVersion))
      .message(2, (e) => e.string(1, 'color').string(2, 'green'));
    const res = await send('PUT', '/api/v1/namespaces/default/configmaps/settings', envelope('ConfigMap', 'v1', raw));
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ color: 'green' });
  });

  it('refuses a body of the wrong kind as the JSON path does', async () => {
    const raw = new WireWriter().message(1, (m) => m.string(1, 'x'));
    const res = await send('POST', '/api/v1/namespaces/default/configmaps', envelope('Secret', 'v1', raw));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('answers 400 BadRequest, not 500, to damaged protobuf', async () => {
    const damaged = Buffer.from(CONFIGMAP, 'base64').subarray(0, 40);
    const res = await send('POST', '/api/v1/namespaces/default/configmaps', damaged);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    const noPrefix = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('{"kind":"ConfigMap"}'));
    expect(noPrefix.statusCode).toBe(400);
    expect(noPrefix.json().message).toBe('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  });

  it('takes protobuf DeleteOptions on DELETE', async () => {
    const opts = new WireWriter().varint(1, 0).string(4, 'Background');
    const res = await send('DELETE', '/api/v1/namespaces/default/configmaps/settings', envelope('DeleteOptions', 'meta.k8s.io/v1', opts));
    expect(res.statusCode).toBe(200);
    const gone = await app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps/settings', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(gone.statusCode).toBe(404);
  });

  it('still parses JSON bodies and JSON DELETE options', async () => {
    const created = await send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } }), 'application/json');
    expect(created.statusCode).toBe(201);
    const deleted = await send('DELETE', '/api/v1/namespaces/default/configmaps/plain', JSON.stringify({ propagationPolicy: 'Background' }), 'application/json');
    expect(deleted.statusCode).toBe(200);
  });

  it('answers 415 to protobuf where no schema describes the body (pods/binding)', async () => {
    const res = await send('POST', '/api/v1/namespaces/default/pods/p/binding', envelope('Binding', 'v1', new WireWriter().message(1, (m) => m.string(1, 'p'))));
    expect(res.statusCode).toBe(415);
    expect(res.json().reason).toBe('UnsupportedMediaType');
  });
});
