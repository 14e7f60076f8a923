import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../machinery/index.js';
import { Authenticator } from './auth.js';
import { frontDoorHook, principalOf, PUBLIC_ROUTE, rewriteRequestUrl } from './front-door.js';

const auth = new Authenticator('the-token');
let app: FastifyInstance;
const seen: string[] = [];

beforeAll(async () => {
  app = Fastify({ rewriteUrl: (req) => rewriteRequestUrl(req) });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof StatusError) return reply.code(err.status.code ?? 500).send(err.status);
    return reply.code(500).send(String(err));
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', frontDoorHook(auth));
  app.get('/open', { config: PUBLIC_ROUTE }, async (req) => ({ public: true, who: principalOf(req.raw)?.kind ?? 'nobody' }));
  app.post('/open', { config: PUBLIC_ROUTE }, async () => ({ ok: true }));
  app.all('/api/*', async (req) => {
    seen.push(req.url);
    return { url: req.url, who: principalOf(req.raw)?.kind };
  });
  await app.ready();
});
afterAll(() => app.close());

const token = { authorization: 'Bearer the-token' };

describe('the front door', () => {
  it('denies by default: a route without PUBLIC_ROUTE needs credentials, one with it does not', async () => {
    expect((await app.inject({ url: '/api/x' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/open' })).json()).toEqual({ public: true, who: 'nobody' });
    expect((await app.inject({ url: '/api/x', headers: token })).json()).toEqual({ url: '/api/x', who: 'token' });
  });

  it('routes and authenticates the one normalized path', async () => {
    expect((await app.inject({ url: '/%61pi/x' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/%61pi/x?q=%61', headers: token })).json()).toEqual({ url: '/api/x?q=%61', who: 'token' });
  });

  it('answers a refused target 401 without credentials and 400 with them', async () => {
    // (light-my-request resolves dot segments itself; the security tier sends them raw.)
    for (const url of ['/api%2Fx', '/api/%252e%252e', '/api/x;y', '/api/%C0%AF']) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
      const res = await app.inject({ url, headers: token });
      expect([res.statusCode, res.json().reason], url).toEqual([400, 'BadRequest']);
    }
    expect(seen.filter((u) => u.includes('%25'))).toEqual([]);
  });

  it('refuses a wrong bearer token even on a public route', async () => {
    expect((await app.inject({ url: '/open', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  });

  it('checks Origin and the body type on public writes (sign-in)', async () => {
    const headers = { host: 'localhost:80', 'content-type': 'application/json' };
    expect((await app.inject({ method: 'POST', url: '/open', headers, payload: '{}' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/open', headers: { ...headers, origin: 'http://localhost' }, payload: '{}' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/open', headers: { ...headers, origin: 'http://localhost', 'content-type': 'text/plain' }, payload: '{}' })).statusCode).toBe(415);
  });

  it('checks Origin, CSRF and the body type on session writes, not on token writes', async () => {
    const { cookie, csrfToken } = auth.newSession();
    const base = { host: 'localhost:80', cookie: `jobyard_session=${cookie}`, 'content-type': 'application/json' };
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/x', headers, payload: '{}' });
    expect((await post({ ...base, origin: 'http://localhost', 'x-csrf-token': csrfToken })).statusCode).toBe(200);
    expect((await post({ ...base, origin: 'http://evil', 'x-csrf-token': csrfToken })).statusCode).toBe(403);
    expect((await post({ ...base, origin: 'http://localhost' })).statusCode).toBe(403);
    expect((await post({ ...base, origin: 'http://localhost', 'x-csrf-token': csrfToken, 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post({ ...token, 'content-type': 'text/plain' })).statusCode).toBe(200);
    auth.endSession(cookie);
    expect((await post({ ...base, origin: 'http://localhost', 'x-csrf-token': csrfToken })).statusCode).toBe(401);
  });
});
