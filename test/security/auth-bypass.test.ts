// Hole 1 of docs/security.md: no way in without the token. A real `jobyard server` is attacked on both
// sides of its one port (HTTPS, and plain HTTP on loopback) with every encoding of the
// corpus, every method, absolute-form targets, WebSocket upgrades, the cluster proxy and the
// log routes. Without credentials everything but the named public routes answers 401; with
// the token, a target that normalizes to a real path gets that path's own answer (%61pi is
// /api), and one that cannot be normalized gets 400.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer, REPO_ROOT } from '../support/jobyard-server.js';
import { REFUSED, TARGET_CORPUS } from '../../server/serving/request-target-corpus.js';
import { originOf, rawRequest, reasonOf, SIDES, type RawResponse, type Side } from './auth-support.js';

let server: JobyardServer;
let token: string;
const table: string[] = [];

function send(side: Side, target: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return rawRequest({ side, port: server.port, ca: server.caPem, target, ...opts });
}
const bearer = () => ({ Authorization: `Bearer ${token}` });

/** The stored ConfigMaps of default, read with the token. */
async function configMapNames(): Promise<string[]> {
  const res = await send('https', '/api/v1/namespaces/default/configmaps', { headers: bearer() });
  return (JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
}

function expectUnauthorized(res: RawResponse, what: string): void {
  table.push(`${what} → ${res.status}`);
  expect([res.status, reasonOf(res)], `${what}\n${res.head}`).toEqual([401, 'Unauthorized']);
  expect(res.body).not.toContain('s3cr3t');
}

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent'] });
  token = server.token;
  const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, stringData: { password: 's3cr3t' } });
  const made = await send('https', '/api/v1/namespaces/default/secrets', { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json' }, body: secret });
  expect(made.status).toBe(201);
});

afterAll(async () => {
  // The whole table, so a reader sees every case and its answer in the test output.
  console.log(`auth-bypass: ${table.length} requests\n${table.join('\n')}`);
  await server?.stop();
});

describe.each(SIDES)('over %s', (side) => {
  describe('every target of the corpus, without a token', () => {
    it.each(TARGET_CORPUS)('GET $name ($target) → 401', async ({ name, target, expect: normalized }) => {
      const res = await send(side, target);
      if (normalized === '/') {
        // The root is the console's sign-in page: public, and it holds no data.
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        return;
      }
      expectUnauthorized(res, `${side} GET ${target} (${name}) without a token`);
    });
  });

  describe('every target of the corpus, with the token', () => {
    it.each(TARGET_CORPUS)('GET $name ($target) → 400, or the answer of the path it normalizes to', async ({ name, target, expect: normalized }) => {
      const res = await send(side, target, { headers: bearer() });
      table.push(`${side} GET ${target} (${name}) with the token → ${res.status}`);
      if (normalized === REFUSED) {
        expect([res.status, reasonOf(res)], res.head).toEqual([400, 'BadRequest']);
        expect(JSON.parse(res.body).message).toMatch(/^the request target .* is refused \(.+\)$/);
        return;
      }
      const plain = await send(side, normalized, { headers: bearer() });
      expect(res.status, res.head).toBe(plain.status);
      if (res.headers['content-type']?.startsWith('application/json')) expect(JSON.parse(res.body)).toEqual(JSON.parse(plain.body));
    });
  });

  it.each([
    ['GET', undefined, undefined],
    ['POST', 'application/json', undefined],
    ['POST', 'text/plain', 'http://evil.example'],
    ['PUT', 'application/json', undefined],
    ['PATCH', 'application/merge-patch+json', undefined],
    ['DELETE', undefined, undefined],
  ])('%s (body %s, Origin %s) to encoded and refused paths → 401 and nothing written', async (method, contentType, origin) => {
    const body = contentType ? JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bypass-${method.toLowerCase()}` }, data: { a: 'b' } }) : undefined;
    const headers: Record<string, string> = {};
    if (contentType) headers['Content-Type'] = contentType;
    if (origin) headers.Origin = origin;
    for (const target of [
      '/%61pi/v1/namespaces/default/configmaps',
      '/api/v1/namespaces/default/configmaps',
      '/api/v1/namespaces/default/configmaps/bypass',
      '/%61pi/v1/namespaces/default/secrets/token',
      '/api%2Fv1/namespaces/default/configmaps',
      '/assets/%2e%2e/api/v1/namespaces/default/configmaps',
      '/assets/../api/v1/namespaces/default/configmaps',
      '/api/v1/namespaces/default/configmaps;x',
      'http://x/api/v1/namespaces/default/configmaps',
      '/auth/%2e%2e/api/v1/namespaces/default/configmaps',
      '/%63lusters',
    ]) {
      expectUnauthorized(await send(side, target, { method, headers, body }), `${side} ${method} ${target}`);
    }
    // Only the cluster CA every namespace holds (kube-root-ca.crt); nothing the attacks sent.
    expect(await configMapNames()).toEqual(['kube-root-ca.crt']);
    // The secret is still there, unchanged.
    const secret = await send('https', '/api/v1/namespaces/default/secrets/token', { headers: bearer() });
    expect(JSON.parse(secret.body).data.password).toBe(Buffer.from('s3cr3t').toString('base64'));
  });

  it.each([
    ['the plain path', '/api/v1/namespaces/default/pods/p/exec?command=id&stdout=true'],
    ['an encoded path', '/%61pi/v1/namespaces/default/pods/p/exec?command=id&stdout=true'],
    ['a refused path', '/api/v1/namespaces/default/pods/p/../p/exec?command=id&stdout=true'],
    ['an absolute-form target', 'http://x/api/v1/namespaces/default/pods/p/exec?command=id&stdout=true'],
    ['the cluster proxy', '/%63lusters/prod/api/v1/namespaces/default/pods/p/exec?command=id&stdout=true'],
  ])('a WebSocket exec upgrade to %s without a token → 401, never 101', async (_what, target) => {
    const res = await send(side, target, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
        Origin: originOf(side, server.port),
      },
    });
    expectUnauthorized(res, `${side} upgrade ${target}`);
  });

  it.each([
    ['a WebSocket tunnel', { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io' }],
    ['the channel protocol', { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' }],
    ['SPDY', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' }],
  ])('a port-forward upgrade over %s without a token → 401, never 101', async (_what, upgrade) => {
    for (const target of ['/api/v1/namespaces/default/pods/p/portforward?ports=80', '/%61pi/v1/namespaces/default/pods/p/portforward?ports=80']) {
      const res = await send(side, target, { headers: { Connection: 'Upgrade', ...upgrade, Origin: originOf(side, server.port) } });
      expectUnauthorized(res, `${side} port-forward ${target}`);
    }
  });

  it.each([
    '/clusters',
    '/%63lusters',
    '/clusters/local',
    '/clusters/prod/api/v1/secrets',
    '/%63lusters/prod/api/v1/secrets',
    '/apis/logs.jobyard.io/v1/logstores',
    '/apis/logs.jobyard.io/v1/logstores/app/search?query=x',
    '/apis/logs%2Ejobyard.io/v1/logstores/app/search?query=x',
    '/apis/logs.jobyard.io/v1/logstores/app/checkpoints',
    '/openapi/v3',
    '/openapi/v2',
    '/version',
    '/api',
    '/apis',
    '/logs',
    '/nothing-here',
    '/jobs/../api/v1/secrets',
  ])('GET %s without a token → 401', async (target) => {
    expectUnauthorized(await send(side, target), `${side} GET ${target}`);
  });

  it('POST to the log ingest route and to /clusters without a token → 401', async () => {
    for (const target of ['/apis/logs.jobyard.io/v1/logstores/app/ingest', '/%61pis/logs.jobyard.io/v1/logstores/app/ingest', '/clusters']) {
      expectUnauthorized(await send(side, target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }), `${side} POST ${target}`);
    }
  });

  it('a wrong token → 401, even on a public route', async () => {
    for (const target of ['/api/v1/secrets', '/healthz', '/']) {
      expectUnauthorized(await send(side, target, { headers: { Authorization: 'Bearer wrong' } }), `${side} GET ${target} with a wrong token`);
    }
  });

  it('a forged or revoked session cookie → 401', async () => {
    expectUnauthorized(await send(side, '/api/v1/secrets', { headers: { Cookie: 'jobyard_session=forged' } }), `${side} forged cookie`);
    expectUnauthorized(await send(side, '/auth/session', { headers: { Cookie: 'jobyard_session=%zz' } }), `${side} bad cookie`);
  });

  it('CONNECT (authority-form) is never answered with a tunnel', async () => {
    const res = await send(side, `127.0.0.1:${server.port}`, { method: 'CONNECT' });
    expect(res.status === 0 || res.status >= 400, res.head).toBe(true);
  });

  it('OPTIONS * (asterisk-form) → 401', async () => {
    expectUnauthorized(await send(side, '*', { method: 'OPTIONS' }), `${side} OPTIONS *`);
  });

  it('the public routes answer without a token, and hold no data', async () => {
    const asset = readdirSync(join(REPO_ROOT, 'web', 'dist', 'assets'))[0]!;
    for (const target of ['/', '/index.html', `/assets/${asset}`, '/jobs', '/jobs/default/pi', '/secrets', '/settings/clusters', '/login']) {
      const res = await send(side, target);
      table.push(`${side} GET ${target} (public) → ${res.status}`);
      expect(res.status, `${target}\n${res.head}`).toBe(200);
      expect(res.body).not.toContain('s3cr3t');
    }
    for (const target of ['/healthz', '/livez', '/readyz']) {
      const res = await send(side, target);
      expect([res.status, res.body]).toEqual([200, 'ok']);
    }
    // The session probe is public and says who is signed in: nobody.
    expectUnauthorized(await send(side, '/auth/session'), `${side} GET /auth/session`);
  });
});
