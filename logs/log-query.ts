// Reading a log store: search (one page, newest or oldest first, continued by a token), follow
// (lines stored after a record id) and the histogram of line counts over time. A query's
// sources are narrowed first (namespace, job, pod, container, path glob, tags), its text through
// the FTS5 index; a malformed match expression is the user's error (400), not the server's.
import type Database from 'better-sqlite3';
import { LOGS_API_VERSION, type LogHistogram, type LogRecord, type LogStreamKind } from '../api/index.js';
import { badRequest, type Clock, errorMessage } from '../machinery/index.js';
import { plainTextQuery } from './fts-query.js';
import { FLAG_TRUNCATED, type LogstoreIds, STREAM_CODES, STREAM_NAMES } from './log-schema.js';
import { microsToRfc3339 } from './log-time.js';

/** Page size of search when none is asked for, and the largest page. */
export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 5000;

/** What to search for. Times are Unix microseconds; `from` inclusive, `to` exclusive. */
export interface LogQuery {
  logstore: string;
  from?: number;
  to?: number;
  /** Plain words, all of which must appear (see fts-query.ts). */
  text?: string;
  /** A raw FTS5 expression. */
  match?: string;
  namespace?: string;
  job?: string;
  pod?: string;
  container?: string;
  stream?: LogStreamKind;
  /** A file path inside the container; `*`, `?` and `[...]` match as in a shell glob. */
  path?: string;
  /** Every tag must be present with this value. */
  tags?: Record<string, string>;
}

export interface SearchOptions {
  /** 'newest' (default) or 'oldest' first. */
  order?: 'newest' | 'oldest';
  limit?: number;
  /** The `continue` of the previous page. */
  continue?: string;
}

export interface SearchResult {
  items: LogRecord[];
  /** Set when there may be more lines: pass it as `continue` for the next page. */
  continue?: string;
}

export interface HistogramOptions {
  /** Bucket width; by default a round width giving about `buckets` buckets. */
  bucketSeconds?: number;
  /** Wanted number of buckets when bucketSeconds is not given. @defaultValue 60 */
  buckets?: number;
}


interface RecordRow {
  id: number;
  time: number;
  stream: number;
  line: string;
  flags: number;
  namespace: string;
  pod: string;
  container: string;
  job: string | null;
  tags: string | null;
  path: string | null;
}

interface Cursor {
  t: number;
  i: number;
  o: 'n' | 'o';
}

const BUCKET_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, order: 'n' | 'o'): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (Number.isSafeInteger(c.t) && Number.isSafeInteger(c.i) && c.o === order) return c;
  } catch {
    // fall through
  }
  throw badRequest(`invalid continue token: it belongs to another search or order`);
}
export class LogQueries {
  private readonly db: Database.Database;
  private readonly ids: LogstoreIds;
  private readonly clock: Clock;

  constructor(db: Database.Database, ids: LogstoreIds, clock: Clock) {
    this.db = db;
    this.ids = ids;
    this.clock = clock;
  }

  /** The WHERE clause (without time bounds and cursor) of a query; undefined when nothing can match. */
  private where(q: LogQuery): { sql: string[]; args: unknown[] } | undefined {
    // A malformed expression is an error even where nothing could match.
    if (q.match?.trim()) this.run(() => this.db.prepare('SELECT rowid FROM records_fts WHERE records_fts MATCH ? LIMIT 1').all(q.match!.trim()));
    const storeId = this.ids.get(q.logstore);
    if (storeId === undefined) return undefined;
    const sql = ['r.logstore = ?'];
    const args: unknown[] = [storeId];
    if (q.namespace || q.job || q.pod || q.container || q.path || (q.tags && Object.keys(q.tags).length)) {
      const s = ['logstore = ?'];
      const sa: unknown[] = [storeId];
      if (q.namespace) (s.push('namespace = ?'), sa.push(q.namespace));
      if (q.job) (s.push('job = ?'), sa.push(q.job));
      if (q.pod) (s.push('pod = ?'), sa.push(q.pod));
      if (q.container) (s.push('container = ?'), sa.push(q.container));
      if (q.path) (s.push('path GLOB ?'), sa.push(q.path));
      for (const [k, v] of Object.entries(q.tags ?? {})) {
        s.push('json_extract(tags, ?) = ?');
        sa.push(`$."${k.replaceAll('"', '""')}"`, v);
      }
      const ids = this.db.prepare(`SELECT id FROM sources WHERE ${s.join(' AND ')}`).pluck().all(...sa) as number[];
      if (!ids.length) return undefined;
      sql.push(`r.source IN (${ids.join(',')})`);
    }
    if (q.stream) {
      sql.push('r.stream = ?');
      args.push(STREAM_CODES[q.stream] ?? -1);
    }
    const fts: string[] = [];
    if (q.match?.trim()) fts.push(`(${q.match.trim()})`);
    const plain = q.text ? plainTextQuery(q.text) : undefined;
    if (plain) fts.push(plain);
    if (fts.length) {
      sql.push('r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)');
      args.push(fts.join(' AND '));
    }
    return { sql, args };
  }

  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      // FTS5 syntax errors in a user's `match` expression are the user's, not ours.
      const msg = errorMessage(err);
      if (/fts5|unterminated string|no such column/i.test(msg)) throw badRequest(`invalid search expression: ${msg}`);
      throw err;
    }
  }

  private select(where: string[], order: string, limit: number, args: unknown[]): RecordRow[] {
    const sql = `SELECT r.id, r.time, r.stream, r.line, r.flags, s.namespace, s.pod, s.container, s.job, s.tags, s.path
      FROM records r JOIN sources s ON s.id = r.source
      WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit}`;
    return this.run(() => this.db.prepare(sql).all(...args) as RecordRow[]);
  }

  private static toRecord(logstore: string, r: RecordRow): LogRecord {
    const rec: LogRecord = {
      id: r.id,
      time: microsToRfc3339(r.time),
      line: r.line,
      stream: STREAM_NAMES[r.stream] ?? 'stdout',
      logstore,
      namespace: r.namespace,
      pod: r.pod,
      container: r.container,
    };
    if (r.path !== null) rec.path = r.path;
    if (r.job !== null) rec.job = r.job;
    if (r.tags !== null) rec.tags = JSON.parse(r.tags) as Record<string, string>;
    if (r.flags & FLAG_TRUNCATED) rec.truncated = true;
    return rec;
  }

  /** One page of lines matching the query, newest (default) or oldest first. */
  search(q: LogQuery, opts: SearchOptions = {}): SearchResult {
    const w = this.where(q);
    if (!w) return { items: [] };
    const order = opts.order === 'oldest' ? 'o' : 'n';
    const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
    const sql = [...w.sql];
    const args = [...w.args];
    if (q.from !== undefined) (sql.push('r.time >= ?'), args.push(Math.trunc(q.from)));
    if (q.to !== undefined) (sql.push('r.time < ?'), args.push(Math.trunc(q.to)));
    if (opts.continue) {
      const c = decodeCursor(opts.continue, order);
      sql.push(order === 'n' ? '(r.time < ? OR (r.time = ? AND r.id < ?))' : '(r.time > ? OR (r.time = ? AND r.id > ?))');
      args.push(c.t, c.t, c.i);
    }
    const rows = this.select(sql, order === 'n' ? 'r.time DESC, r.id DESC' : 'r.time ASC, r.id ASC', limit + 1, args);
    const more = rows.length > limit;
    if (more) rows.pop();
    const items = rows.map((r) => LogQueries.toRecord(q.logstore, r));
    const last = rows.at(-1);
    return more && last ? { items, continue: encodeCursor({ t: last.time, i: last.id, o: order }) } : { items };
  }

  /** Lines stored after record `afterId` that match the query, in the order they were stored (follow). */
  after(q: LogQuery, afterId: number, limit = MAX_SEARCH_LIMIT): LogRecord[] {
    const w = this.where(q);
    if (!w) return [];
    const sql = [...w.sql, 'r.id > ?'];
    const args = [...w.args, Math.trunc(afterId)];
    if (q.from !== undefined) (sql.push('r.time >= ?'), args.push(Math.trunc(q.from)));
    if (q.to !== undefined) (sql.push('r.time < ?'), args.push(Math.trunc(q.to)));
    return this.select(sql, 'r.id ASC', Math.min(Math.max(1, limit), MAX_SEARCH_LIMIT), args).map((r) => LogQueries.toRecord(q.logstore, r));
  }

  /** The highest record id stored so far (0 when empty): a follow that starts now begins after it. */
  lastId(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'records'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** Line counts per time bucket over [from, to) (default: the logstore's oldest to newest line). */
  histogram(q: LogQuery, opts: HistogramOptions = {}): LogHistogram {
    const base = { apiVersion: LOGS_API_VERSION, kind: 'LogHistogram' as const };
    const w = this.where(q);
    const id = this.ids.get(q.logstore);
    let from = q.from;
    let to = q.to;
    const nowUs = this.clock.now().getTime() * 1000;
    // "The last hour": the axis ends now, not at the newest line.
    if (from !== undefined && to === undefined) to = Math.max(nowUs, from + 1);
    if ((from === undefined || to === undefined) && id !== undefined) {
      const range = this.db.prepare('SELECT min(time) AS lo, max(time) AS hi FROM records WHERE logstore = ?').get(id) as { lo: number | null; hi: number | null };
      from ??= range.lo ?? undefined;
      to ??= range.hi !== null ? range.hi + 1 : undefined;
    }
    to ??= nowUs;
    from ??= to - 3_600_000_000;
    if (to <= from) to = from + 1_000_000;
    const wanted = Math.max(1, Math.min(opts.buckets ?? 60, 1000));
    let bucketS = opts.bucketSeconds;
    if (!bucketS || bucketS <= 0) {
      const span = (to - from) / 1e6 / wanted;
      // A step a hair below the span is fine: one bucket more, and round widths stay round.
      bucketS = BUCKET_STEPS_S.find((s) => s * 1.02 >= span) ?? Math.ceil(span / 86400) * 86400;
    }
    const bucketUs = bucketS * 1e6;
    const start = Math.floor(from / bucketUs) * bucketUs;
    const n = Math.ceil((to - start) / bucketUs);
    if (n > 10_000) throw badRequest(`histogram: ${n} buckets of ${bucketS}s; choose a wider bucket or a shorter range`);
    const counts = new Array<number>(n).fill(0);
    if (w) {
      const sql = [...w.sql, 'r.time >= ?', 'r.time < ?'];
      const rows = this.run(
        () =>
          this.db
            .prepare(`SELECT (r.time - ?) / ? AS b, count(*) AS c FROM records r WHERE ${sql.join(' AND ')} GROUP BY b`)
            .all(start, bucketUs, ...w.args, Math.trunc(from!), Math.trunc(to!)) as { b: number; c: number }[],
      );
      for (const r of rows) if (r.b >= 0 && r.b < n) counts[Math.trunc(r.b)] += r.c;
    }
    return {
      ...base,
      from: microsToRfc3339(from),
      to: microsToRfc3339(to),
      bucketSeconds: bucketS,
      total: counts.reduce((a, b) => a + b, 0),
      buckets: counts.map((count, i) => ({ time: microsToRfc3339(start + i * bucketUs), count })),
    };
  }
}
