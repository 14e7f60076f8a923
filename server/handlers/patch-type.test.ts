// PATCH's Content-Type, through the real app (inject, in-memory SQLite): the four patch types
// upstream's routes consume, and upstream's 415 naming them for anything else, such as
// application/apply-patch+cbor, which 1.32 serves only behind the CBORServingAndStorage gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '../../api/index.js';
import { FakeClock, StatusError } from '../../machinery/index.js';
import { buildApiServer } from '../app.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { allResources } from '../registry/index.js';
import { Authenticator } from '../serving/auth.js';
import { SqliteObjectStore } from '../storage/index.js';
import { patchTypeOf } from './negotiation.js';

const TOKEN = 'patch-type-test-token';
const URL = '/api/v1/namespaces/default/configmaps/settings';
let app: FastifyInstance;

beforeAll(async () => {
  const def = (resource: string) => allResources.find((d) => d.names.group === '' && d.names.resource === resource)!;
  const registry = new GenericRegistry({ store: new SqliteObjectStore({ path: ':memory:' }), clock: new FakeClock(), codec: new SchemaCodec(), namespaces: def('namespaces') });
  registry.create(def('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  registry.create(def('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } } as KubeObject, { fieldManager: 'creator' });
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

const patch = (contentType: string, payload: Buffer | string) =>
  app.inject({ method: 'PATCH', url: `${URL}?fieldManager=m`, payload, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType } });

const BUILT_IN = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';

describe('PATCH Content-Type', () => {
  it.each([
    ['application/apply-patch+cbor', Buffer.from([0xa1, 0x61, 0x61, 0x61, 0x62])],
    ['application/cbor', Buffer.from([0xa0])],
    ['application/json', '{"data":{"a":"2"}}'],
  ])('answers %s with upstream 415 naming the patch types, and changes nothing', async (contentType, body) => {
    const res = await patch(contentType, body);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'UnsupportedMediaType', code: 415, message: BUILT_IN });
    const cm = (await app.inject({ method: 'GET', url: URL, headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(cm.data).toEqual({ a: '1' });
  });

  it('takes the four patch types (a charset parameter too)', async () => {
    expect((await patch('application/merge-patch+json; charset=utf-8', '{"data":{"b":"1"}}')).statusCode).toBe(200);
    expect((await patch('application/json-patch+json', '[{"op":"add","path":"/data/c","value":"1"}]')).statusCode).toBe(200);
    expect((await patch('application/strategic-merge-patch+json', '{"data":{"d":"1"}}')).statusCode).toBe(200);
    expect((await patch('application/apply-patch+yaml', 'apiVersion: v1\nkind: ConfigMap\ndata: {e: "1"}\n')).statusCode).toBe(200);
  });

  it('names no strategic merge for custom resources, as the CRD handler consumes', () => {
    let err: unknown;
    try {
      patchTypeOf('application/strategic-merge-patch+json', false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({
      code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
    expect(patchTypeOf('application/apply-patch+yaml', false)).toBe('apply');
  });
});
