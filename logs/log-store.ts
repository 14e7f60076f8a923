// The log store: every logstore's lines in one SQLite database of its own (DIR/logs.db, apart
// from the API's state.db), with an FTS5 index over the lines.
//
// Exactly once. Lines arrive in batches of one *source* (a container's output, or one file in
// it) with the source's checkpoint after them. The checkpoint is stored in the same
// transaction as the lines, and entries whose offset is at or below the stored checkpoint are
// skipped: a batch sent twice (a reader restarted from an older checkpoint, a retried request
// whose answer was lost) stores nothing twice, and a batch that overlaps is trimmed. Because
// lines and checkpoint commit together, a crash at any point loses neither: what was not
// committed is read again from the committed checkpoint.
//
// Durability: WAL with synchronous=NORMAL. A killed process loses nothing committed; a power
// cut may lose the newest transactions, but lines and checkpoint then go back together, so the
// reader sends them again.
//
// Layout: `logstores` (one row per store: retention and running totals), `sources` (who sent
// lines: namespace, pod, container, job, tags, path, and the checkpoint), `records` (time,
// stream, line, source) with an index on (logstore, time), and `records_fts`, a contentless
// FTS5 index (contentless_delete) keyed by the record id. Record ids only grow (AUTOINCREMENT),
// so "after id N" is a stable follow position.
import Database from 'better-sqlite3';
import {
  LOG_LINE_MAX_BYTES,
  LOG_TRUNCATED_MARKER,
  LOGS_API_VERSION,
  type LogCheckpoint,
  type LogHistogram,
  type LogIngestBatch,
  type LogIngestResult,
  type LogRecord,
  type LogStreamKind,
} from '../api/index.js';
import { badRequest, type Clock, errorMessage, realClock } from '../machinery/index.js';
import { plainTextQuery } from './fts-query.js';
import { microsToRfc3339 } from './log-time.js';

/** Retention when a logstore has none configured (the Logstore resource's defaults). */
export const DEFAULT_RETENTION_DAYS = 7;
export const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Page size of search when none is asked for, and the largest page. */
export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 5000;

const STREAM_CODES: Record<LogStreamKind, number> = { stdout: 0, stderr: 1, file: 2 };
const STREAM_NAMES: LogStreamKind[] = ['stdout', 'stderr', 'file'];
const FLAG_TRUNCATED = 1;
const DAY_US = 86_400_000_000;

export interface LogStoreOptions {
  /** The database file, or ':memory:'. */
  path: string;
  clock?: Clock;
}

export interface Retention {
  retentionDays: number;
  maxBytes: number;
}

/** One logstore's totals. */
export interface LogstoreStats {
  name: string;
  lines: number;
  bytes: number;
  sources: number;
  /** Unix microseconds of the oldest and newest line, when there is one. */
  oldest?: number;
  newest?: number;
  retention: Retention;
}

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

/** Batches stored: the logstores that got lines (for followers), and the results. */
export type IngestListener = (logstores: ReadonlySet<string>) => void;

interface SourceRow {
  id: number;
  offset: number;
  cursor: string | null;
  finished: number;
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

/** Cuts a line longer than the limit and says whether it did. */
export function limitLine(line: string): { line: string; truncated: boolean } {
  // A JS string of n UTF-16 units has at most 3n UTF-8 bytes: most lines skip the byte count.
  if (line.length * 3 <= LOG_LINE_MAX_BYTES) return { line, truncated: false };
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= LOG_LINE_MAX_BYTES) return { line, truncated: false };
  let end = LOG_LINE_MAX_BYTES;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // not inside a UTF-8 sequence
  return { line: bytes.subarray(0, end).toString('utf8') + LOG_TRUNCATED_MARKER, truncated: true };
}

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

export class LogStore {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly listeners = new Set<IngestListener>();
  private readonly storeIds = new Map<string, number>();
  private readonly stmt: ReturnType<LogStore['prepare']>;

  constructor(opts: LogStoreOptions) {
    this.clock = opts.clock ?? realClock;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -32000');
    this.migrate();
    this.stmt = this.prepare();
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS logstores (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        retention_days INTEGER NOT NULL DEFAULT ${DEFAULT_RETENTION_DAYS},
        max_bytes INTEGER NOT NULL DEFAULT ${DEFAULT_MAX_BYTES},
        lines INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sources (
        id INTEGER PRIMARY KEY,
        logstore INTEGER NOT NULL,
        key TEXT NOT NULL,
        namespace TEXT NOT NULL,
        pod TEXT NOT NULL,
        pod_uid TEXT,
        container TEXT NOT NULL,
        container_id TEXT,
        job TEXT,
        tags TEXT,
        path TEXT,
        "offset" INTEGER NOT NULL DEFAULT 0,
        cursor TEXT,
        finished INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL,
        UNIQUE (logstore, key)
      );
      CREATE TABLE IF NOT EXISTS records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        logstore INTEGER NOT NULL,
        source INTEGER NOT NULL,
        time INTEGER NOT NULL,
        stream INTEGER NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0,
        line TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS records_by_time ON records (logstore, time);
      CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(line, content='', contentless_delete=1);
    `);
  }

  private prepare() {
    const db = this.db;
    return {
      storeByName: db.prepare<[string], { id: number }>('SELECT id FROM logstores WHERE name = ?'),
      insertStore: db.prepare<[string, number]>('INSERT INTO logstores (name, created) VALUES (?, ?)'),
      source: db.prepare<[number, string], SourceRow>('SELECT id, "offset", cursor, finished FROM sources WHERE logstore = ? AND key = ?'),
      insertSource: db.prepare(
        `INSERT INTO sources (logstore, key, namespace, pod, pod_uid, container, container_id, job, tags, path, updated)
         VALUES (@logstore, @key, @namespace, @pod, @podUID, @container, @containerID, @job, @tags, @path, @updated)`,
      ),
      updateSource: db.prepare<[number, string | null, number, number, number]>(
        'UPDATE sources SET "offset" = ?, cursor = ?, finished = ?, updated = ? WHERE id = ?',
      ),
      insertRecord: db.prepare<[number, number, number, number, number, string]>(
        'INSERT INTO records (logstore, source, time, stream, flags, line) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // One statement indexes every line a transaction stored (ids only grow): much cheaper than a row at a time.
      indexFrom: db.prepare<[number | bigint]>('INSERT INTO records_fts (rowid, line) SELECT id, line FROM records WHERE id >= ?'),
      addTotals: db.prepare<[number, number, number]>('UPDATE logstores SET lines = lines + ?, bytes = bytes + ? WHERE id = ?'),
      checkpoints: db.prepare<[number, string, string], { key: string; offset: number; cursor: string | null; finished: number }>(
        'SELECT key, "offset", cursor, finished FROM sources WHERE logstore = ? AND key >= ? AND key < ? ORDER BY key',
      ),
      deleteRecord: db.prepare<[number]>('DELETE FROM records WHERE id = ?'),
      deleteFts: db.prepare<[number]>('DELETE FROM records_fts WHERE rowid = ?'),
    };
  }

  close(): void {
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  /** Listeners registered with onIngest (followers). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Called after each committed ingest with the logstores that got lines. */
  onIngest(listener: IngestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The id of a logstore, created (with default retention) when it does not exist yet. */
  private ensureStore(name: string): number {
    const cached = this.storeIds.get(name);
    if (cached !== undefined) return cached;
    let row = this.stmt.storeByName.get(name);
    if (!row) {
      this.stmt.insertStore.run(name, this.clock.now().getTime());
      row = this.stmt.storeByName.get(name)!;
    }
    this.storeIds.set(name, row.id);
    return row.id;
  }

  private storeId(name: string): number | undefined {
    const cached = this.storeIds.get(name);
    if (cached !== undefined) return cached;
    const row = this.stmt.storeByName.get(name);
    if (row) this.storeIds.set(name, row.id);
    return row?.id;
  }

  /** Checks a batch before anything is written: offsets increase and stay within the checkpoint. */
  private static validate(batch: LogIngestBatch, index: number): void {
    const where = `batches[${index}]`;
    if (!batch || typeof batch.logstore !== 'string' || !batch.logstore) throw badRequest(`${where}.logstore: Required value`);
    const s = batch.source;
    if (!s || typeof s.id !== 'string' || !s.id) throw badRequest(`${where}.source.id: Required value`);
    for (const f of ['namespace', 'pod', 'container'] as const) if (typeof s[f] !== 'string') throw badRequest(`${where}.source.${f}: Required value`);
    const cp = batch.checkpoint;
    if (!cp || !Number.isSafeInteger(cp.offset) || cp.offset < 0) throw badRequest(`${where}.checkpoint.offset: must be a non-negative integer`);
    if (!Array.isArray(batch.entries)) throw badRequest(`${where}.entries: Required value`);
    let last = -1;
    for (let i = 0; i < batch.entries.length; i++) {
      const e = batch.entries[i];
      if (!Number.isSafeInteger(e.end) || e.end <= last) throw badRequest(`${where}.entries[${i}].end: must increase within a batch`);
      if (!Number.isFinite(e.time)) throw badRequest(`${where}.entries[${i}].time: must be Unix microseconds`);
      if (typeof e.line !== 'string') throw badRequest(`${where}.entries[${i}].line: Required value`);
      last = e.end;
    }
    if (last > cp.offset) throw badRequest(`${where}.checkpoint.offset: must not be below the last entry's end (${last})`);
  }

  /**
   * Stores batches, all in one transaction: entries at or below each source's stored
   * checkpoint are skipped, the rest stored, and the checkpoint moved on (never back).
   */
  ingest(batches: LogIngestBatch[]): LogIngestResult[] {
    batches.forEach((b, i) => LogStore.validate(b, i));
    const touched = new Set<string>();
    const results = this.db.transaction(() => {
      const first: { id?: number | bigint } = {};
      const out = batches.map((b) => this.ingestOne(b, touched, first));
      if (first.id !== undefined) this.stmt.indexFrom.run(first.id);
      return out;
    })();
    if (touched.size) for (const l of this.listeners) l(touched);
    return results;
  }

  private ingestOne(batch: LogIngestBatch, touched: Set<string>, first: { id?: number | bigint }): LogIngestResult {
    const storeId = this.ensureStore(batch.logstore);
    const now = this.clock.now().getTime();
    const s = batch.source;
    let src = this.stmt.source.get(storeId, s.id);
    if (!src) {
      this.stmt.insertSource.run({
        logstore: storeId,
        key: s.id,
        namespace: s.namespace,
        pod: s.pod,
        podUID: s.podUID ?? null,
        container: s.container,
        containerID: s.containerID ?? null,
        job: s.job || null,
        tags: s.tags && Object.keys(s.tags).length ? JSON.stringify(s.tags) : null,
        path: s.path ?? null,
        updated: now,
      });
      src = this.stmt.source.get(storeId, s.id)!;
    }
    const stored = src.offset;
    let accepted = 0;
    let skipped = 0;
    let bytes = 0;
    const streamDefault = s.path !== undefined ? STREAM_CODES.file : STREAM_CODES.stdout;
    for (const e of batch.entries) {
      if (e.end <= stored) {
        skipped++;
        continue;
      }
      let line = e.line;
      let truncated = e.truncated === true;
      if (line.length * 3 > LOG_LINE_MAX_BYTES) {
        const cut = limitLine(line);
        line = cut.line;
        truncated ||= cut.truncated;
      }
      const stream = e.stream === 'stderr' ? STREAM_CODES.stderr : e.stream === 'stdout' ? STREAM_CODES.stdout : streamDefault;
      const r = this.stmt.insertRecord.run(storeId, src.id, Math.trunc(e.time), stream, truncated ? FLAG_TRUNCATED : 0, line);
      first.id ??= r.lastInsertRowid;
      accepted++;
      bytes += Buffer.byteLength(line, 'utf8');
    }
    const cp = batch.checkpoint;
    let checkpoint: LogCheckpoint;
    if (cp.offset >= stored) {
      const finished = cp.finished === true || src.finished === 1;
      this.stmt.updateSource.run(cp.offset, cp.cursor ?? null, finished ? 1 : 0, now, src.id);
      checkpoint = { offset: cp.offset, ...(cp.cursor !== undefined ? { cursor: cp.cursor } : {}), ...(finished ? { finished } : {}) };
    } else {
      checkpoint = { offset: stored, ...(src.cursor !== null ? { cursor: src.cursor } : {}), ...(src.finished ? { finished: true } : {}) };
    }
    if (accepted) {
      this.stmt.addTotals.run(accepted, bytes, storeId);
      touched.add(batch.logstore);
    }
    return { accepted, skipped, checkpoint };
  }

  /** Stored checkpoints of a logstore's sources whose id starts with `prefix`. */
  checkpoints(logstore: string, prefix = ''): Array<LogCheckpoint & { source: string }> {
    const id = this.storeId(logstore);
    if (id === undefined) return [];
    // Every key starting with prefix sorts in [prefix, prefix + U+10FFFF).
    return this.stmt.checkpoints.all(id, prefix, `${prefix}\u{10ffff}`).map((r) => ({
      source: r.key,
      offset: r.offset,
      ...(r.cursor !== null ? { cursor: r.cursor } : {}),
      ...(r.finished ? { finished: true } : {}),
    }));
  }

  // ------------------------------------------------------------------ queries

  /** The WHERE clause (without time bounds and cursor) of a query; undefined when nothing can match. */
  private where(q: LogQuery): { sql: string[]; args: unknown[] } | undefined {
    // A malformed expression is an error even where nothing could match.
    if (q.match?.trim()) this.run(() => this.db.prepare('SELECT rowid FROM records_fts WHERE records_fts MATCH ? LIMIT 1').all(q.match!.trim()));
    const storeId = this.storeId(q.logstore);
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
    const items = rows.map((r) => LogStore.toRecord(q.logstore, r));
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
    return this.select(sql, 'r.id ASC', Math.min(Math.max(1, limit), MAX_SEARCH_LIMIT), args).map((r) => LogStore.toRecord(q.logstore, r));
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
    const id = this.storeId(q.logstore);
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

  // ------------------------------------------------------------------ logstores

  /** Sets a logstore's retention (creating it when new). */
  setRetention(name: string, r: Retention): void {
    const id = this.ensureStore(name);
    this.db.prepare('UPDATE logstores SET retention_days = ?, max_bytes = ? WHERE id = ?').run(Math.trunc(r.retentionDays), Math.trunc(r.maxBytes), id);
  }

  /** Every logstore with its totals. */
  stats(): LogstoreStats[] {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.name, l.lines, l.bytes, l.retention_days AS days, l.max_bytes AS maxBytes,
           (SELECT min(time) FROM records WHERE logstore = l.id) AS oldest,
           (SELECT max(time) FROM records WHERE logstore = l.id) AS newest,
           (SELECT count(*) FROM sources WHERE logstore = l.id) AS sources
         FROM logstores l ORDER BY l.name`,
      )
      .all() as { name: string; lines: number; bytes: number; days: number; maxBytes: number; oldest: number | null; newest: number | null; sources: number }[];
    return rows.map((r) => ({
      name: r.name,
      lines: r.lines,
      bytes: r.bytes,
      sources: r.sources,
      ...(r.oldest !== null ? { oldest: r.oldest } : {}),
      ...(r.newest !== null ? { newest: r.newest } : {}),
      retention: { retentionDays: r.days, maxBytes: r.maxBytes },
    }));
  }

  /** Removes records by id (in one transaction) and takes them off the totals. */
  private deleteRecords(storeId: number, rows: { id: number; bytes: number }[]): void {
    if (!rows.length) return;
    this.db.transaction(() => {
      let bytes = 0;
      for (const r of rows) {
        this.stmt.deleteFts.run(r.id);
        this.stmt.deleteRecord.run(r.id);
        bytes += r.bytes;
      }
      this.stmt.addTotals.run(-rows.length, -bytes, storeId);
    })();
  }

  /**
   * Removes lines older than each logstore's retention and, where a logstore holds more bytes
   * than its maximum, its oldest lines until it fits. Works in chunks of `chunk` lines, each
   * its own transaction, and stops after `budget` lines (the caller comes back for the rest).
   */
  enforceRetention(opts: { chunk?: number; budget?: number } = {}): { deleted: number; more: boolean } {
    const chunk = opts.chunk ?? 2000;
    let budget = opts.budget ?? 20_000;
    let deleted = 0;
    const nowUs = this.clock.now().getTime() * 1000;
    const stores = this.db.prepare('SELECT id, retention_days AS days, max_bytes AS maxBytes, bytes FROM logstores').all() as {
      id: number;
      days: number;
      maxBytes: number;
      bytes: number;
    }[];
    const oldest = this.db.prepare<[number, number, number], { id: number; bytes: number }>(
      'SELECT id, length(CAST(line AS BLOB)) AS bytes FROM records WHERE logstore = ? AND time < ? ORDER BY time, id LIMIT ?',
    );
    for (const s of stores) {
      const cutoff = nowUs - s.days * DAY_US;
      while (budget > 0) {
        const rows = oldest.all(s.id, cutoff, Math.min(chunk, budget));
        if (!rows.length) break;
        this.deleteRecords(s.id, rows);
        deleted += rows.length;
        budget -= rows.length;
      }
      let bytes = (this.db.prepare('SELECT bytes FROM logstores WHERE id = ?').get(s.id) as { bytes: number }).bytes;
      while (budget > 0 && bytes > s.maxBytes) {
        const rows = oldest.all(s.id, Number.MAX_SAFE_INTEGER, Math.min(chunk, budget));
        if (!rows.length) break;
        // Only as many of the oldest as needed to fit.
        const cut: { id: number; bytes: number }[] = [];
        for (const r of rows) {
          if (bytes <= s.maxBytes) break;
          cut.push(r);
          bytes -= r.bytes;
        }
        this.deleteRecords(s.id, cut);
        deleted += cut.length;
        budget -= cut.length;
      }
    }
    // Sources that are drained, hold no lines and were last heard of before any retention
    // could keep their lines: their checkpoints can go.
    if (budget > 0) {
      this.db
        .prepare(
          `DELETE FROM sources WHERE finished = 1 AND updated < ?
             AND NOT EXISTS (SELECT 1 FROM records r WHERE r.source = sources.id)`,
        )
        .run(this.clock.now().getTime() - 30 * 86_400_000);
    }
    return { deleted, more: budget <= 0 };
  }

  /**
   * Removes a logstore and its lines, `chunk` lines per transaction; returns false while
   * lines are left (call again). Sources go last, so an interrupted drop resumes.
   */
  dropLogstore(name: string, opts: { chunk?: number; budget?: number } = {}): boolean {
    const id = this.storeId(name);
    if (id === undefined) return true;
    const chunk = opts.chunk ?? 2000;
    let budget = opts.budget ?? 20_000;
    const rowsOf = this.db.prepare<[number, number], { id: number; bytes: number }>(
      'SELECT id, length(CAST(line AS BLOB)) AS bytes FROM records WHERE logstore = ? LIMIT ?',
    );
    while (budget > 0) {
      const rows = rowsOf.all(id, Math.min(chunk, budget));
      if (!rows.length) break;
      this.deleteRecords(id, rows);
      budget -= rows.length;
    }
    if (rowsOf.all(id, 1).length) return false;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sources WHERE logstore = ?').run(id);
      this.db.prepare('DELETE FROM logstores WHERE id = ?').run(id);
    })();
    this.storeIds.delete(name);
    return true;
  }
}
