// Hole 2 of docs/security.md: the console's cookie. A session may write only from the console's own
// origin (Origin, Sec-Fetch-Site), with its CSRF header and a JSON/YAML body; sign-in cannot
// be driven from another page; sign-out revokes the session on the server (a copied cookie
// is dead); sessions survive a restart and a kill -9, and die with a rotated token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { originOf, rawRequest, reasonOf, SIDES, type RawResponse, type Side } from './auth-support.js';

const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-auth-cookie-'));
let server: JobyardServer;

function send(side: Side, target: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return rawRequest({ side, port: server.port, ca: server.caPem, target, ...opts });
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(side: Side): Promise<Session> {
  const res = await send(side, '/auth/login', {
    method: 'POST',
    headers: { Origin: originOf(side, server.port), 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: server.token }),
  });
  expect(res.status, res.head).toBe(200);
  const cookie = /jobyard_session=([^;]+)/.exec(res.headers['set-cookie'] ?? '')![1]!;
  return { cookie: `jobyard_session=${cookie}`, csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken };
}

let n = 0;
function configMap(): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${++n}` }, data: { k: 'v' } });
}

async function names(): Promise<string[]> {
  const res = await send('https', '/api/v1/namespaces/default/configmaps', { headers: { Authorization: `Bearer ${server.token}` } });
  return (JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
}

beforeAll(async () => {
  server = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(SIDES)('over %s', (side) => {
  let s: Session;
  const own = () => originOf(side, server.port);
  const write = (headers: Record<string, string>, body = configMap()) =>
    send(side, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { Cookie: s.cookie, ...headers }, body });

  beforeAll(async () => {
    s = await signIn(side);
  });

  it.each([
    ['a foreign Origin', 403, { Origin: 'http://evil.example', 'Content-Type': 'application/json' }],
    ['another port of the same host (same-site)', 403, { Origin: 'http://127.0.0.1:1', 'Content-Type': 'application/json' }],
    ['the other scheme of the same port', 403, { Origin: side === 'https' ? 'http://127.0.0.1:PORT' : 'https://127.0.0.1:PORT', 'Content-Type': 'application/json' }],
    ['Origin: null', 403, { Origin: 'null', 'Content-Type': 'application/json' }],
    ['Sec-Fetch-Site: cross-site', 403, { Origin: 'OWN', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' }],
    ['Sec-Fetch-Site: same-site', 403, { Origin: 'OWN', 'Sec-Fetch-Site': 'same-site', 'Content-Type': 'application/json' }],
    ['no Origin and no Sec-Fetch-Site', 403, { 'Content-Type': 'application/json' }],
    ['no CSRF header', 403, { Origin: 'OWN', 'Content-Type': 'application/json', 'X-CSRF-Token': '' }],
    ['a wrong CSRF header', 403, { Origin: 'OWN', 'Content-Type': 'application/json', 'X-CSRF-Token': 'wrong' }],
    ['text/plain', 415, { Origin: 'OWN', 'Content-Type': 'text/plain' }],
    ['text/plain from a foreign Origin', 403, { Origin: 'http://evil.example', 'Content-Type': 'text/plain' }],
    ['a form (application/x-www-form-urlencoded)', 415, { Origin: 'OWN', 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['multipart/form-data', 415, { Origin: 'OWN', 'Content-Type': 'multipart/form-data; boundary=x' }],
    ['no Content-Type', 415, { Origin: 'OWN' }],
  ])('a cookie write with %s → %i, nothing written', async (_what, status, headers) => {
    const h: Record<string, string> = { 'X-CSRF-Token': s.csrf };
    for (const [k, v] of Object.entries(headers)) h[k] = v === 'OWN' ? own() : v.replace('PORT', String(server.port));
    if (h['X-CSRF-Token'] === '') delete h['X-CSRF-Token'];
    const before = await names();
    const res = await write(h);
    expect([res.status, reasonOf(res)], res.head + res.body).toEqual([status, status === 403 ? 'Forbidden' : 'UnsupportedMediaType']);
    expect(await names()).toEqual(before);
  });

  it('a same-origin JSON write with the CSRF header → 201 (also without Origin when Sec-Fetch-Site says same-origin)', async () => {
    const ok = await write({ Origin: own(), 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' });
    expect(ok.status, ok.body).toBe(201);
    const noOrigin = await write({ 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json; charset=utf-8' });
    expect(noOrigin.status, noOrigin.body).toBe(201);
    const patch = await send(side, `/api/v1/namespaces/default/configmaps/${JSON.parse(ok.body).metadata.name}`, {
      method: 'PATCH',
      headers: { Cookie: s.cookie, Origin: own(), 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/merge-patch+json' },
      body: '{"data":{"k":"w"}}',
    });
    expect(patch.status, patch.body).toBe(200);
    // Reads need no Origin: SameSite and CORS keep their answers from other pages.
    expect((await send(side, '/api/v1/namespaces/default/configmaps', { headers: { Cookie: s.cookie } })).status).toBe(200);
  });

  it('a cookie WebSocket exec upgrade from a foreign Origin or another site → 403, never 101', async () => {
    const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' };
    const target = '/api/v1/namespaces/default/pods/p/exec?command=id&stdout=true';
    const attempts: Record<string, string>[] = [{ Origin: 'http://evil.example' }, { Origin: 'http://127.0.0.1:1' }, { Origin: own(), 'Sec-Fetch-Site': 'cross-site' }, {}];
    for (const extra of attempts) {
      const res = await send(side, target, { headers: { Cookie: s.cookie, ...upgrade, ...extra } });
      expect([res.status, reasonOf(res)], JSON.stringify(extra) + res.head).toEqual([403, 'Forbidden']);
    }
    // From the console's own origin it gets past the front door (no such pod here).
    const own404 = await send(side, target, { headers: { Cookie: s.cookie, ...upgrade, Origin: own() } });
    expect(own404.status, own404.head).toBe(404);
  });

  it('sign-in cannot be driven from another page (login CSRF)', async () => {
    const body = JSON.stringify({ token: server.token });
    for (const [what, headers, status] of [
      ['foreign Origin', { Origin: 'http://evil.example', 'Content-Type': 'application/json' }, 403],
      ['cross-site', { Origin: own(), 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' }, 403],
      ['no Origin', { 'Content-Type': 'application/json' }, 403],
      ['text/plain', { Origin: own(), 'Content-Type': 'text/plain' }, 415],
      ['a form', { Origin: own(), 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
    ] as const) {
      const res = await send(side, '/auth/login', { method: 'POST', headers, body });
      expect([res.status, res.headers['set-cookie']], `${what}: ${res.body}`).toEqual([status, undefined]);
    }
    const link = await send(side, `/auth/login?token=${encodeURIComponent(server.token)}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect([link.status, link.headers['set-cookie']]).toEqual([403, undefined]);
    const typed = await send(side, `/auth/login?token=${encodeURIComponent(server.token)}`, { headers: { 'Sec-Fetch-Site': 'none' } });
    expect(typed.status).toBe(303);
    expect(typed.headers['set-cookie']).toMatch(/^jobyard_session=/);
  });

  it('sign-out revokes the session on the server: the copied cookie then gets 401', async () => {
    const mine = await signIn(side);
    const copy = mine.cookie;
    expect((await send(side, '/api/v1/secrets', { headers: { Cookie: copy } })).status).toBe(200);
    // Not from another page (logout CSRF) ...
    const foreign = await send(side, '/auth/logout', { method: 'POST', headers: { Cookie: copy, Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await send(side, '/api/v1/secrets', { headers: { Cookie: copy } })).status).toBe(200);
    // ... but from the console.
    const out = await send(side, '/auth/logout', { method: 'POST', headers: { Cookie: copy, Origin: own(), 'X-CSRF-Token': mine.csrf } });
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']).toMatch(/^jobyard_session=;.*Max-Age=0/);
    for (const target of ['/api/v1/secrets', '/auth/session']) {
      const res = await send(side, target, { headers: { Cookie: copy } });
      expect([res.status, reasonOf(res)], target).toEqual([401, 'Unauthorized']);
    }
    const writeAfter = await send(side, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { Cookie: copy, Origin: own(), 'X-CSRF-Token': mine.csrf, 'Content-Type': 'application/json' },
      body: configMap(),
    });
    expect(writeAfter.status).toBe(401);
  });

  it('the session cookie is HttpOnly, SameSite=Strict, 12 hours, and Secure over HTTPS', async () => {
    const res = await send(side, '/auth/login', {
      method: 'POST',
      headers: { Origin: own(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: server.token }),
    });
    const cookie = res.headers['set-cookie'] ?? '';
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=43200/);
    expect(cookie.includes('; Secure')).toBe(side === 'https');
  });
});

describe('sessions live in the store', () => {
  it('survive kill -9 and a restart, and die when the token is rotated', async () => {
    const s = await signIn('http');
    await server.kill9();
    server = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
    const after = await send('http', '/auth/session', { headers: { Cookie: s.cookie } });
    expect(after.status, after.body).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ authenticated: true, csrfToken: s.csrf });
    expect((await send('https', '/api/v1/secrets', { headers: { Cookie: s.cookie } })).status).toBe(200);

    await server.stop({ keepContainers: true });
    writeFileSync(join(dataDir, 'token'), 'a-rotated-token-of-enough-length-0123456789\n', { mode: 0o600 });
    server = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
    const rotated = await send('http', '/api/v1/secrets', { headers: { Cookie: s.cookie } });
    expect([rotated.status, reasonOf(rotated)]).toEqual([401, 'Unauthorized']);
  });
});
