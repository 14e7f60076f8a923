// Every route reads its query parameters as upstream's apiserver does (machinery/query-params.ts):
// the values below are the ones Python's kubernetes client (True/False), kubectl and
// @kubernetes/client-node (true/false) send. Through the whole HTTP path by inject: no socket,
// in-memory SQLite, a node that records the options it is handed. Last, the methods no route of
// a path takes (405), which upstream's router refuses before any parameter is read.
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject, Pod } from '../../api/index.js';
import type { PodLogOptions, PodLogProvider } from '../../api/core-streams.js';
import { FakeClock } from '../../machinery/index.js';
import { buildApiServer } from '../app.js';
import { SchemaCodec } from '../registry/codec.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { allResources } from '../registry/index.js';
import { podAttachOptions, podExecOptions } from '../registry/pods/streams.js';
import { Authenticator } from '../serving/auth.js';
import { SqliteObjectStore } from '../storage/index.js';

const TOKEN = 'query-params-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const CM = '/api/v1/namespaces/default/configmaps';
const POD_LOG = '/api/v1/namespaces/default/pods/p/log';

const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
const store = new SqliteObjectStore({ path: ':memory:' });
const logRequests: PodLogOptions[] = [];
const podLogs: PodLogProvider = {
  async streamLogs(_pod, options) {
    logRequests.push(options);
    return new PassThrough().end('a line\n');
  },
};
let app: FastifyInstance;

beforeAll(async () => {
  const def = (resource: string) => allResources.find((d) => d.names.resource === resource && d.names.group === '')!;
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces: def('namespaces') });
  registry.create(def('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  registry.create(def('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: '1' } } as KubeObject);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'busybox:latest' }] } };
  registry.create(def('pods'), 'default', pod as unknown as KubeObject);
  ({ app } = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
    podLogs,
    bookmarkIntervalSeconds: 0.05,
  }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  store.close();
});

/** Reads a streamed answer's lines until `enough` says so (or the stream ends), then hangs up. */
async function readLines(url: string, enough: (lines: string[]) => boolean): Promise<{ statusCode: number; contentType: string; lines: string[]; ended: boolean }> {
  const res = await app.inject({ method: 'GET', url, headers: AUTH, payloadAsStream: true });
  const body: Readable = res.stream();
  const lines: string[] = [];
  let rest = '';
  let ended = false;
  await new Promise<void>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      if (enough(lines)) resolve();
    });
    body.on('end', () => {
      ended = true;
      resolve();
    });
    body.on('error', reject);
  });
  res.raw.res.destroy();
  return { statusCode: res.statusCode, contentType: String(res.headers['content-type']), lines, ended };
}

const types = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { type: string }).type);

describe('watch', () => {
  it.each(['True', 'true', '1', '', 'yes'])('watch=%j is a watch: the stream starts with the existing object, ADDED', async (value) => {
    const r = await readLines(`${CM}?watch=${value}`, (lines) => lines.length >= 1);
    expect(r.statusCode).toBe(200);
    expect(r.lines.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(r.lines[0]!)).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'one' } } });
  });

  it('a bare ?watch (no value) is a watch too', async () => {
    const r = await readLines(`${CM}?watch`, (lines) => lines.length >= 1);
    expect(types(r.lines)[0]).toBe('ADDED');
  });

  it.each(['False', 'false', 'FALSE', '0'])('watch=%j is a list', async (value) => {
    const r = await app.inject({ url: `${CM}?watch=${value}`, headers: AUTH });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'ConfigMapList', items: [{ metadata: { name: 'one' } }] });
  });

  it('of a repeated watch parameter the first counts', async () => {
    expect((await app.inject({ url: `${CM}?watch=false&watch=true`, headers: AUTH })).json()).toMatchObject({ kind: 'ConfigMapList' });
    const r = await readLines(`${CM}?watch=True&watch=false`, (lines) => lines.length >= 1);
    expect(types(r.lines)[0]).toBe('ADDED');
  });

  it('watch=True on an object’s path watches that object', async () => {
    const r = await readLines(`${CM}/one?watch=True`, (lines) => lines.length >= 1);
    expect(JSON.parse(r.lines[0]!)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'one' } } });
  });

  it('sendInitialEvents=True with allowWatchBookmarks=True ends the initial events with the annotated BOOKMARK', async () => {
    const r = await readLines(`${CM}?watch=True&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=True`, (lines) =>
      lines.some((l) => l.includes('k8s.io/initial-events-end')),
    );
    expect(types(r.lines).slice(0, 2)).toEqual(['ADDED', 'BOOKMARK']);
    expect(JSON.parse(r.lines[1]!)).toMatchObject({ object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('allowWatchBookmarks=True gets the periodic BOOKMARKs', async () => {
    const r = await readLines(`${CM}?watch=True&allowWatchBookmarks=True`, (lines) => lines.filter((l) => l.includes('"BOOKMARK"')).length >= 2);
    expect(types(r.lines)[0]).toBe('ADDED');
    expect(types(r.lines).filter((t) => t === 'BOOKMARK').length).toBeGreaterThanOrEqual(2);
  });

  it('timeoutSeconds=1 ends the watch', async () => {
    const r = await readLines(`${CM}?watch=True&timeoutSeconds=1`, () => false);
    expect(r.ended).toBe(true);
    expect(types(r.lines)).toEqual(['ADDED']);
  });
});

describe('integers: a bad one is 400 with strconv’s message, before anything is streamed', () => {
  it.each([
    [`${CM}?limit=abc`, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    [`${CM}?limit=`, 'strconv.ParseInt: parsing "": invalid syntax'],
    [`${CM}?limit=1e3`, 'strconv.ParseInt: parsing "1e3": invalid syntax'],
    [`${CM}?limit=9223372036854775808`, 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
    [`${CM}?watch=True&timeoutSeconds=soon`, 'strconv.ParseInt: parsing "soon": invalid syntax'],
    [`${POD_LOG}?tailLines=ten`, 'strconv.ParseInt: parsing "ten": invalid syntax'],
    [`${POD_LOG}?sinceSeconds=1.5`, 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    [`${POD_LOG}?limitBytes=1k`, 'strconv.ParseInt: parsing "1k": invalid syntax'],
  ])('%s', async (url, message) => {
    const r = await app.inject({ url, headers: AUTH });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
  });

  it('gracePeriodSeconds on a delete', async () => {
    const r = await app.inject({ method: 'DELETE', url: `${CM}/one?gracePeriodSeconds=now`, headers: AUTH });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('strconv.ParseInt: parsing "now": invalid syntax');
  });

  it('limit=%2B1 is 1 (Go accepts the sign; a bare + is a space in a query, refused); of a repeated limit the first counts', async () => {
    expect((await app.inject({ url: `${CM}?limit=%2B1`, headers: AUTH })).json().items).toHaveLength(1);
    expect((await app.inject({ url: `${CM}?limit=+1`, headers: AUTH })).json().message).toBe('strconv.ParseInt: parsing " 1": invalid syntax');
    expect((await app.inject({ url: `${CM}?limit=1&limit=abc`, headers: AUTH })).statusCode).toBe(200);
  });
});

describe('pods/log flags', () => {
  it.each([
    ['follow=True&previous=True&timestamps=True', { follow: true, previous: true, timestamps: true }],
    ['follow=true&previous=1&timestamps=', { follow: true, previous: true, timestamps: true }],
    ['follow=False&previous=false&timestamps=0', { follow: false, previous: false, timestamps: false }],
    ['', { follow: false, previous: false, timestamps: false }],
    ['follow=FALSE&follow=true&tailLines=3&tailLines=x', { follow: false, tailLines: 3 }],
  ])('%j', async (query, expected) => {
    logRequests.length = 0;
    const r = await app.inject({ url: `${POD_LOG}?${query}`, headers: AUTH });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('a line\n');
    expect(logRequests).toHaveLength(1);
    expect(logRequests[0]).toMatchObject({ container: 'main', ...expected });
  });
});

describe('exec and attach flags', () => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'busybox' }] }, status: { phase: 'Running' } } as unknown as Pod;

  it('Python’s client: stdout=True&stderr=True&stdin=False&tty=False', () => {
    expect(podExecOptions(pod, { command: ['sh', '-c', 'date'], stdout: 'True', stderr: 'True', stdin: 'False', tty: 'False' })).toEqual({
      container: 'main',
      command: ['sh', '-c', 'date'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('kubectl’s: stdin=true&stdout=true&tty=true (stderr folds into the terminal)', () => {
    expect(podExecOptions(pod, { command: 'sh', stdin: 'true', stdout: 'true', stderr: 'true', tty: 'true' })).toMatchObject({ stdin: true, stdout: true, stderr: false, tty: true });
  });

  it('1/0, empty values and repeated flags, as upstream decodes them', () => {
    expect(podAttachOptions(pod, { stdout: '1', stdin: '0', tty: '' })).toMatchObject({ stdout: true, stdin: false, tty: true });
    expect(podAttachOptions(pod, { stdout: ['true', 'false'], stdin: ['0', '1'] })).toMatchObject({ stdout: true, stdin: false });
    expect(podAttachOptions(pod, { stdout: 'True', container: ['main', 'other'] })).toMatchObject({ container: 'main' });
  });

  it('all of stdin, stdout and stderr False is refused', () => {
    expect(() => podExecOptions(pod, { command: 'date', stdout: 'False', stderr: 'False', stdin: 'False' })).toThrow('you must specify at least one of stdin, stdout, stderr');
  });
});

describe('methods no route of the path takes: 405, as upstream', () => {
  it.each([
    ['PUT', CM],
    ['PATCH', CM],
    ['POST', '/api/v1/configmaps'],
    ['PUT', '/api/v1/configmaps'],
    ['DELETE', '/api/v1/configmaps'],
    ['POST', `${CM}/one`],
  ])('%s %s', async (method, url) => {
    const r = await app.inject({
      method: method as 'PUT',
      url,
      headers: { ...AUTH, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
      payload: method === 'DELETE' ? undefined : JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } }),
    });
    expect(r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server does not allow this method on the requested resource',
      reason: 'MethodNotAllowed',
      code: 405,
    });
  });

  it('an object of a namespaced resource outside a namespace is no path at all: 404', async () => {
    const r = await app.inject({ url: '/api/v1/configmaps/one', headers: AUTH });
    expect(r.statusCode).toBe(404);
    expect(r.json().message).toBe('the server could not find the requested resource');
  });
});
