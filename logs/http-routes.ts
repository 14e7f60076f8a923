// The log service's HTTP endpoints, registered on the API server's Fastify app (through
// buildApiServer's `extraRoutes`, so the server's authentication applies), beside the
// Logstore resource the API server itself serves:
//
//   GET  /apis/logs.jobyard.io/v1/logstores/{name}/search       a page of lines (LogRecordList);
//        with follow=true, a stream of JSON lines: the last `limit` lines, then new ones
//   GET  /apis/logs.jobyard.io/v1/logstores/{name}/histogram    counts per time bucket (LogHistogram)
//   POST /apis/logs.jobyard.io/v1/logstores/{name}/ingest       batches of lines (LogIngestRequest),
//        for collectors of other processes (the in-process agent writes to the store directly)
//   GET  /apis/logs.jobyard.io/v1/logstores/{name}/checkpoints  where readers resume (LogCheckpointList)
//
// Search parameters: q (plain words), match (raw FTS5), namespace, job, pod, container,
// stream, path, tag=k=v (repeatable), since (10m, 2h, 7d) or from/to (RFC 3339), order
// (newest|oldest), limit, continue.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  LOGS_API_VERSION,
  type LogCheckpointList,
  type LogIngestRequest,
  type LogIngestResponse,
  type LogRecordList,
  type LogStreamKind,
} from '../api/index.js';
import { badRequest, type Clock, isDNS1123Label, realClock } from '../machinery/index.js';
import { DEFAULT_SEARCH_LIMIT, type LogQuery, MAX_SEARCH_LIMIT } from './log-query.js';
import type { LogStore } from './log-store.js';
import { dateToMicros, parseDurationMs, rfc3339ToMicros } from './log-time.js';
import { MAX_NESTING_DEPTH, checkJson } from '../machinery/body-scan.js';
import { type QueryValues, parseInt64, queryBool, queryString, queryValues } from '../machinery/query-params.js';

export const LOGSTORES_PATH = '/apis/logs.jobyard.io/v1/logstores';

export interface LogRoutesDeps {
  store: LogStore;
  clock?: Clock;
  /** Empty lines sent on an idle follow stream, so proxies keep it open. @defaultValue 15 s */
  heartbeatMs?: number;
  /** Largest ingest body. @defaultValue 64 MiB */
  ingestBodyLimitBytes?: number;
}

type Query = QueryValues;
// Parameters are read as the API server reads its own (the first of a repeated one; a boolean
// false only for false/0), so one client's `True` means here what it means there.
const one = queryString;
const all = queryValues;

function intParam(query: Query, key: string, min: number, max: number): number | undefined {
  const v = one(query, key);
  if (v === undefined) return undefined;
  let n: number | undefined;
  try {
    n = parseInt64(v);
  } catch {
    n = undefined; // strconv's message names no parameter: this one does
  }
  if (n === undefined || n < min || n > max) throw badRequest(`${key}: must be an integer from ${min} to ${max}`);
  return n;
}

function timeParam(query: Query, key: string): number | undefined {
  const v = one(query, key);
  if (!v) return undefined;
  const t = rfc3339ToMicros(v);
  if (t === undefined) throw badRequest(`${key}: must be an RFC 3339 time, e.g. 2026-01-01T00:00:00Z`);
  return t;
}

const STREAMS: LogStreamKind[] = ['stdout', 'stderr', 'file'];

/** The LogQuery of a request's parameters. */
export function parseLogQuery(logstore: string, query: Query, now: Date): LogQuery {
  const q: LogQuery = { logstore };
  const text = one(query, 'q');
  if (text) q.text = text;
  const match = one(query, 'match');
  if (match) q.match = match;
  for (const key of ['namespace', 'job', 'pod', 'container', 'path'] as const) {
    const v = one(query, key);
    if (v) q[key] = v;
  }
  const stream = one(query, 'stream');
  if (stream) {
    if (!STREAMS.includes(stream as LogStreamKind)) throw badRequest(`stream: Unsupported value: "${stream}": supported values: "stdout", "stderr", "file"`);
    q.stream = stream as LogStreamKind;
  }
  const tags = all(query, 'tag');
  if (tags.length) {
    q.tags = {};
    for (const t of tags) {
      const i = t.indexOf('=');
      if (i <= 0) throw badRequest(`tag: "${t}" is not key=value`);
      q.tags[t.slice(0, i)] = t.slice(i + 1);
    }
  }
  const since = one(query, 'since');
  const from = timeParam(query, 'from');
  if (since && from !== undefined) throw badRequest('at most one of since or from may be specified');
  if (since) {
    const ms = parseDurationMs(since);
    if (ms === undefined) throw badRequest(`since: "${since}" is not a duration like 30s, 10m, 2h or 7d`);
    q.from = dateToMicros(now) - ms * 1000;
  } else if (from !== undefined) q.from = from;
  const to = timeParam(query, 'to');
  if (to !== undefined) q.to = to;
  return q;
}

function logstoreName(request: FastifyRequest): string {
  const { name } = request.params as { name: string };
  if (isDNS1123Label(name).length) throw badRequest(`logstore name "${name}" is not a DNS label`);
  return name;
}

function sendJson(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply.code(code).type('application/json').send(JSON.stringify(body));
}

/** Registers the endpoints above. */
export function registerLogRoutes(app: FastifyInstance, deps: LogRoutesDeps): void {
  const { store } = deps;
  const clock = deps.clock ?? realClock;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;

  app.get(`${LOGSTORES_PATH}/:name/search`, async (request, reply) => {
    const name = logstoreName(request);
    const query = request.query as Query;
    const q = parseLogQuery(name, query, clock.now());
    const order = one(query, 'order') ?? 'newest';
    if (order !== 'newest' && order !== 'oldest') throw badRequest(`order: Unsupported value: "${order}": supported values: "newest", "oldest"`);
    const limit = intParam(query, 'limit', 1, MAX_SEARCH_LIMIT) ?? DEFAULT_SEARCH_LIMIT;
    if (!queryBool(query, 'follow')) {
      const page = store.search(q, { order, limit, continue: one(query, 'continue') });
      const body: LogRecordList = { apiVersion: LOGS_API_VERSION, kind: 'LogRecordList', metadata: page.continue ? { continue: page.continue } : {}, items: page.items };
      return sendJson(reply, 200, body);
    }
    return follow(request, reply, store, q, limit, heartbeatMs);
  });

  app.get(`${LOGSTORES_PATH}/:name/histogram`, async (request, reply) => {
    const name = logstoreName(request);
    const query = request.query as Query;
    const q = parseLogQuery(name, query, clock.now());
    const bucketSeconds = intParam(query, 'bucketSeconds', 1, 366 * 86400);
    const buckets = intParam(query, 'buckets', 1, 1000);
    return sendJson(reply, 200, store.histogram(q, { bucketSeconds, buckets }));
  });

  app.post(`${LOGSTORES_PATH}/:name/ingest`, { bodyLimit: deps.ingestBodyLimitBytes ?? 64 * 1024 * 1024 }, async (request, reply) => {
    const name = logstoreName(request);
    // Log lines may hold secrets: a parse error gives the position, never the text around it.
    const text = String(request.body ?? '');
    const problem = checkJson(text, MAX_NESTING_DEPTH, Infinity);
    if (problem) throw badRequest(`the request body is not JSON: line ${problem.line}, column ${problem.column}: ${problem.reason}`);
    const body = JSON.parse(text) as LogIngestRequest;
    if (!body || !Array.isArray(body.batches)) throw badRequest('batches: Required value');
    for (const [i, b] of body.batches.entries()) {
      if (b?.logstore !== name) throw badRequest(`batches[${i}].logstore: must be "${name}", the logstore of the URL`);
    }
    const results = store.ingest(body.batches);
    const out: LogIngestResponse = { apiVersion: LOGS_API_VERSION, kind: 'LogIngestResponse', results };
    return sendJson(reply, 200, out);
  });

  app.get(`${LOGSTORES_PATH}/:name/checkpoints`, async (request, reply) => {
    const name = logstoreName(request);
    const prefix = one(request.query as Query, 'prefix') ?? '';
    const body: LogCheckpointList = { apiVersion: LOGS_API_VERSION, kind: 'LogCheckpointList', items: store.checkpoints(name, prefix) };
    return sendJson(reply, 200, body);
  });
}

/**
 * A live tail: the newest `limit` lines (oldest first), then every matching line stored from
 * now on, one JSON LogRecord per line; an empty line every `heartbeatMs` while idle.
 */
function follow(request: FastifyRequest, reply: FastifyReply, store: LogStore, q: LogQuery, limit: number, heartbeatMs: number): void {
  const followQuery: LogQuery = { ...q, to: undefined };
  // Same tick, no ingest in between: nothing falls between the page and the stream.
  let mark = store.lastId();
  const first = store.search(followQuery, { order: 'newest', limit }).items.reverse();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/jsonl', 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
  const write = (records: { id: number }[]) => {
    if (!records.length) return;
    res.write(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  };
  write(first);
  let pending = false;
  let closed = false;
  const drainNew = () => {
    pending = false;
    if (closed) return;
    for (;;) {
      const next = store.after(followQuery, mark);
      if (!next.length) break;
      mark = next[next.length - 1].id;
      write(next);
      if (next.length < MAX_SEARCH_LIMIT) break;
    }
  };
  const off = store.onIngest((names) => {
    if (!names.has(q.logstore) || pending || closed) return;
    // Coalesce bursts of batches into one query.
    pending = true;
    setTimeout(drainNew, 20);
  });
  const heartbeat = setInterval(() => res.write('\n'), heartbeatMs);
  const stop = () => {
    if (closed) return;
    closed = true;
    off();
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  };
  request.raw.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);
}
