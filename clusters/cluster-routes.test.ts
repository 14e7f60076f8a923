// The /clusters routes on a Fastify app, with a real HTTP server on loopback playing the
// cluster's API server (plain http with insecure-skip-tls-verify, which the store allows).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { StatusError } from '../machinery/index.js';
import { registerClusterRoutes } from './cluster-routes.js';
import { ClusterStore } from './cluster-store.js';

const CLUSTER_TOKEN = 'the-clusters-own-token';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function kubeconfigFor(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'up', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: CLUSTER_TOKEN } }],
    contexts: [{ name: 'ctx', context: { cluster: 'up', user: 'u' } }],
    'current-context': 'ctx',
  });
}

describe('cluster routes', () => {
  let dir: string;
  let upstream: http.Server;
  let upstreamUrl: string;
  let seen: Seen[];
  let app: FastifyInstance;
  let base: string;
  let watchClosed: Promise<void>;
  let onWatchClosed: () => void;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobyard-cluster-routes-'));
    seen = [];
    watchClosed = new Promise((r) => (onWatchClosed = r));
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.headers.authorization !== `Bearer ${CLUSTER_TOKEN}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
        } else if (req.url === '/version') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.31.4"}');
        } else if (req.url?.includes('watch=true')) {
          // A watch: one event now, one later, open until the client leaves.
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
          res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
          const t = setTimeout(() => res.write('{"type":"ADDED","object":{"metadata":{"name":"b"}}}\n'), 50);
          res.on('close', () => {
            clearTimeout(t);
            onWatchClosed();
          });
        } else if (req.method === 'POST') {
          res.writeHead(422, { 'content-type': 'application/json', warning: '299 - "from the cluster"' }).end(JSON.stringify({ kind: 'Status', code: 422, echoed: body }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'JobList', items: [] }));
        }
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    app = Fastify();
    // As the API server does: bodies as strings, StatusErrors as Status.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof StatusError) return reply.code(err.status.code ?? 500).send(err.status);
      return reply.code(500).send({ message: String(err) });
    });
    registerClusterRoutes(app, { store: new ClusterStore(join(dir, 'clusters')), local: () => ({ server: 'https://127.0.0.1:6443', version: 'v1.32.0-jobyard' }), probeTimeoutMs: 1000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    app.server.closeAllConnections();
    await app.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const add = (name: string, server = upstreamUrl) =>
    fetch(`${base}/clusters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, kubeconfig: kubeconfigFor(server) }) });

  it('lists local first, then added clusters with the result of their probe', async () => {
    expect((await add('up')).status).toBe(201);
    expect((await add('down', 'http://127.0.0.1:1')).status).toBe(201);
    const list = (await (await fetch(`${base}/clusters`)).json()) as { items: { metadata: { name: string }; spec: { server: string; local?: boolean }; status: { reachable: boolean; version?: string; message?: string } }[] };
    expect(list.items.map((c) => [c.metadata.name, c.spec.server, c.status.reachable, c.status.version ?? c.status.message])).toEqual([
      ['local', 'https://127.0.0.1:6443', true, 'v1.32.0-jobyard'],
      ['down', 'http://127.0.0.1:1', false, 'cluster "down" is unreachable: connect ECONNREFUSED 127.0.0.1:1'],
      ['up', upstreamUrl, true, 'v1.31.4'],
    ]);
    expect(JSON.stringify(list)).not.toContain(CLUSTER_TOKEN);
  });

  it('proxies a request with the cluster’s credentials and none of the caller’s', async () => {
    await add('up');
    seen.length = 0;
    const r = await fetch(`${base}/clusters/up/apis/batch/v1/namespaces/default/jobs?labelSelector=app%3Dx&limit=5`, {
      headers: { authorization: 'Bearer callers-token', cookie: 'jobyard_session=abc', 'x-csrf-token': 'csrf', 'impersonate-user': 'admin', accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ kind: 'JobList', items: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/apis/batch/v1/namespaces/default/jobs?labelSelector=app%3Dx&limit=5');
    expect(seen[0].headers.authorization).toBe(`Bearer ${CLUSTER_TOKEN}`);
    expect(seen[0].headers.accept).toBe('application/json;as=Table;g=meta.k8s.io;v=v1');
    for (const h of ['cookie', 'x-csrf-token', 'impersonate-user']) expect(seen[0].headers[h]).toBeUndefined();
  });

  it('passes a body on as sent and the cluster’s answer back unchanged (status, headers, body)', async () => {
    await add('up');
    const body = '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"x"}}';
    const r = await fetch(`${base}/clusters/up/apis/batch/v1/namespaces/default/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(422);
    expect(r.headers.get('warning')).toBe('299 - "from the cluster"');
    expect(await r.json()).toEqual({ kind: 'Status', code: 422, echoed: body });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body, headers: { 'content-type': 'application/json' } });
  });

  it('streams a watch as the cluster sends it, and closes the cluster’s side when the caller leaves', async () => {
    await add('up');
    const abort = new AbortController();
    const r = await fetch(`${base}/clusters/up/api/v1/pods?watch=true`, { signal: abort.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
    const reader = r.body!.getReader();
    let text = '';
    while (text.split('\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { object: { metadata: { name: string } } }).object.metadata.name)).toEqual(['a', 'b']);
    abort.abort();
    await watchClosed;
  });

  it('answers with a Status: 404 for a cluster not added, 400 for local, 503 when the cluster is down', async () => {
    const notAdded = await fetch(`${base}/clusters/nope/api/v1/pods`);
    expect([notAdded.status, ((await notAdded.json()) as { message: string }).message]).toEqual([404, 'clusters.clusters.jobyard.io "nope" not found']);
    const local = await fetch(`${base}/clusters/local/api/v1/pods`);
    expect([local.status, ((await local.json()) as { message: string }).message]).toEqual([400, 'cluster "local" is this server: send the request to /api/v1/pods directly']);
    await add('up');
    for (const path of ['/clusters/up/api/%2e%2e/secret', '/clusters/up/api/v1/./pods']) {
      const climb = await new Promise<{ code: number; body: string }>((resolve, reject) => {
        // fetch would resolve the dot segments itself; send the path as written.
        http.get({ host: '127.0.0.1', port: new URL(base).port, path }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
      expect([climb.code, (JSON.parse(climb.body) as { message: string }).message]).toEqual([400, 'the path may not contain "." or ".." segments']);
    }
    expect(seen.filter((s) => s.url !== '/version')).toEqual([]);
    await add('down', 'http://127.0.0.1:1');
    const down = await fetch(`${base}/clusters/down/api/v1/pods`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', message: 'cluster "down" is unreachable: connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('removes an added cluster but never local; a bad body is a 400', async () => {
    await add('up');
    expect((await fetch(`${base}/clusters/local`, { method: 'DELETE' })).status).toBe(422);
    expect((await fetch(`${base}/clusters/up`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${base}/clusters/up`)).status).toBe(404);
    const bad = await fetch(`${base}/clusters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'name=x' });
    expect(bad.status).toBe(400);
  });
});
