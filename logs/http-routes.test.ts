import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogIngestBatch, LogRecord } from '../api/index.js';
import { FakeClock, StatusError } from '../machinery/index.js';
import { registerLogRoutes } from './http-routes.js';
import { LogStore } from './log-store.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const BASE = '/apis/logs.jobyard.io/v1/logstores';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { heartbeatMs?: number } = {}): Promise<{ app: FastifyInstance; store: LogStore; clock: FakeClock }> {
  const clock = new FakeClock(new Date(T0));
  const store = new LogStore({ path: ':memory:', clock });
  const app = Fastify();
  // As the API server does: bodies as strings, StatusError as its Status.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof StatusError) return reply.code(err.code).send(err.status);
    return reply.code(500).send({ message: String(err) });
  });
  registerLogRoutes(app, { store, clock, heartbeatMs: opts.heartbeatMs });
  await app.ready();
  cleanups.push(() => store.close(), () => app.close());
  return { app, store, clock };
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

function batch(lines: string[], opts: { id?: string; job?: string; pod?: string; startMs?: number; from?: number; tags?: Record<string, string> } = {}): LogIngestBatch {
  const from = opts.from ?? 0;
  return {
    logstore: 'app',
    source: { id: opts.id ?? 'c1/stdio', namespace: 'default', pod: opts.pod ?? 'pi-1', container: 'main', job: opts.job ?? 'pi', tags: opts.tags ?? { team: 'a' } },
    entries: lines.map((line, i) => ({ time: (T0 + (opts.startMs ?? 0) + i) * 1000, line, stream: 'stdout' as const, end: from + i + 1 })),
    checkpoint: { offset: from + lines.length, cursor: 'c' },
  };
}

describe('log routes', () => {
  it('ingests over HTTP idempotently and answers with the stored checkpoints', async () => {
    const { app, store } = await setup();
    const body = { apiVersion: 'logs.jobyard.io/v1', kind: 'LogIngestRequest', batches: [batch(['a', 'b'])] };
    const first = await app.inject({ method: 'POST', url: `${BASE}/app/ingest`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ apiVersion: 'logs.jobyard.io/v1', kind: 'LogIngestResponse', results: [{ accepted: 2, skipped: 0, checkpoint: { offset: 2, cursor: 'c' } }] });
    const again = await app.inject({ method: 'POST', url: `${BASE}/app/ingest`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(again.json().results[0]).toMatchObject({ accepted: 0, skipped: 2 });
    expect(store.stats()[0].lines).toBe(2);
    const cps = await app.inject({ url: `${BASE}/app/checkpoints?prefix=c1/` });
    expect(cps.json()).toEqual({ apiVersion: 'logs.jobyard.io/v1', kind: 'LogCheckpointList', items: [{ source: 'c1/stdio', offset: 2, cursor: 'c' }] });
  });

  it.each<[string, string, RegExp]>([
    ['a body that is no JSON', '{', /not JSON/],
    ['no batches', '{}', /batches: Required value/],
    ['a batch of another logstore', JSON.stringify({ batches: [{ ...batch(['x']), logstore: 'other' }] }), /must be "app", the logstore of the URL/],
  ])('refuses %s with 400', async (_name, payload, message) => {
    const { app } = await setup();
    const r = await app.inject({ method: 'POST', url: `${BASE}/app/ingest`, payload, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(message);
  });

  it('searches with filters, tags, time and paging', async () => {
    const { app, store } = await setup();
    store.ingest([batch(['pi one', 'pi two', 'pi three']), batch(['report one'], { id: 'c2/stdio', job: 'report', pod: 'rep-1', tags: { team: 'b' } })]);
    const r = await app.inject({ url: `${BASE}/app/search?job=pi&order=oldest&limit=2` });
    expect(r.statusCode).toBe(200);
    const page = r.json();
    expect(page.kind).toBe('LogRecordList');
    expect(page.items.map((x: LogRecord) => x.line)).toEqual(['pi one', 'pi two']);
    const next = await app.inject({ url: `${BASE}/app/search?job=pi&order=oldest&limit=2&continue=${page.metadata.continue}` });
    expect(next.json().items.map((x: LogRecord) => x.line)).toEqual(['pi three']);
    expect(next.json().metadata).toEqual({});
    const tagged = await app.inject({ url: `${BASE}/app/search?tag=team=b` });
    expect(tagged.json().items.map((x: LogRecord) => x.line)).toEqual(['report one']);
    const text = await app.inject({ url: `${BASE}/app/search?q=${encodeURIComponent('one')}&order=oldest` });
    expect(text.json().items.map((x: LogRecord) => x.line)).toEqual(['pi one', 'report one']);
    const timed = await app.inject({ url: `${BASE}/app/search?from=2026-03-01T12:00:00.001Z&to=2026-03-01T12:00:00.002Z` });
    expect(timed.json().items.map((x: LogRecord) => x.line)).toEqual(['pi two']);
  });

  it('reads since as a duration back from now', async () => {
    const { app, store, clock } = await setup();
    store.ingest([batch(['old'], { startMs: 0 }), batch(['new'], { id: 'x', startMs: 600_000 })]);
    clock.set(new Date(T0 + 660_000));
    const r = await app.inject({ url: `${BASE}/app/search?since=5m` });
    expect(r.json().items.map((x: LogRecord) => x.line)).toEqual(['new']);
  });

  it.each<[string, RegExp]>([
    ['since=5 minutes', /not a duration/],
    ['from=yesterday', /must be an RFC 3339 time/],
    ['since=5m&from=2026-03-01T12:00:00Z', /at most one of since or from/],
    ['order=sideways', /supported values: "newest", "oldest"/],
    ['limit=0', /limit: must be an integer from 1 to 5000/],
    ['stream=stdin', /supported values: "stdout", "stderr", "file"/],
    ['tag=novalue', /is not key=value/],
    ['match=hello%20AND', /invalid search expression/],
  ])('refuses %s with 400', async (query, message) => {
    const { app } = await setup();
    const r = await app.inject({ url: `${BASE}/app/search?${query}` });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    expect(r.json().message).toMatch(message);
  });

  it('refuses a logstore name that is no DNS label', async () => {
    const { app } = await setup();
    expect((await app.inject({ url: `${BASE}/Bad_Name/search` })).statusCode).toBe(400);
  });

  it('answers a histogram', async () => {
    const { app, store } = await setup();
    store.ingest([batch(['a', 'b', 'c'])]);
    const r = await app.inject({ url: `${BASE}/app/histogram?from=2026-03-01T12:00:00Z&to=2026-03-01T12:00:02Z&bucketSeconds=1` });
    expect(r.json()).toMatchObject({ kind: 'LogHistogram', total: 3, bucketSeconds: 1, buckets: [{ count: 3 }, { count: 0 }] });
  });

  it('follows: the last lines first, then every new matching line as it is stored', async () => {
    const { app, store } = await setup({ heartbeatMs: 50 });
    store.ingest([batch(['l0', 'l1', 'l2'])]);
    // A real socket: inject cannot read a response that never ends.
    const port = await listen(app);
    const received: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${port}${BASE}/app/search?follow=true&limit=2&job=pi`, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/jsonl/);
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (!line) continue;
            received.push((JSON.parse(line) as LogRecord).line);
            if (received.length === 2) {
              // Stored now: one for the follower, one of another job it must not see.
              store.ingest([batch(['l3', 'l4'], { from: 3 }), batch(['other'], { id: 'c9', job: 'report' })]);
            }
            if (received.length === 4) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
    });
    await done;
    expect(received).toEqual(['l1', 'l2', 'l3', 'l4']);
    // A follower that left is no longer told about new lines.
    await vi.waitFor(() => expect(store.listenerCount).toBe(0));
  });

  it('sends an empty line while a follow stream is idle', async () => {
    const { app } = await setup({ heartbeatMs: 20 });
    const port = await listen(app);
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${port}${BASE}/app/search?follow=true`, (res) => {
        res.once('data', (c: Buffer) => {
          req.destroy();
          resolve(c.toString());
        });
      });
      req.on('error', reject);
    });
    expect(got).toBe('\n');
  });
});
