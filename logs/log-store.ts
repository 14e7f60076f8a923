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
// reader sends them again. The WAL is checkpointed every ~40 MB (not SQLite's 4 MB).
//
// Layout (log-schema.ts), queries (log-query.ts) and retention (log-retention.ts) are apart; this
// class opens the database, ingests, and is the one object the log service holds.
import Database from 'better-sqlite3';
import {
  LOG_LINE_MAX_BYTES,
  LOG_TRUNCATED_MARKER,
  type LogCheckpoint,
  type LogHistogram,
  type LogIngestBatch,
  type LogIngestResult,
  type LogRecord,
} from '../api/index.js';
import { badRequest, type Clock, realClock } from '../machinery/index.js';
import { type HistogramOptions, LogQueries, type LogQuery, MAX_SEARCH_LIMIT, type SearchOptions, type SearchResult } from './log-query.js';
import { type LogstoreStats, LogRetention, type Retention } from './log-retention.js';
import { FLAG_TRUNCATED, type LogStatements, LogstoreIds, migrate, prepareStatements, RECORDS_PER_INSERT, STREAM_CODES } from './log-schema.js';

export interface LogStoreOptions {
  /** The database file, or ':memory:'. */
  path: string;
  clock?: Clock;
}

/** Batches stored: the logstores that got lines (for followers), and the results. */
export type IngestListener = (logstores: ReadonlySet<string>) => void;

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

export class LogStore {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly listeners = new Set<IngestListener>();
  private readonly stmt: LogStatements;
  private readonly ids: LogstoreIds;
  private readonly queries: LogQueries;
  private readonly retention: LogRetention;
  /** Parameters of one multi-row insert, reused. */
  private readonly rows: unknown[] = new Array<unknown>(RECORDS_PER_INSERT * 6).fill(null);

  constructor(opts: LogStoreOptions) {
    this.clock = opts.clock ?? realClock;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -32000');
    // One ingest transaction of a busy container writes several MB: at SQLite's default (1,000
    // pages) every one of them would also checkpoint, with its two fsyncs; every ~40 MB instead.
    this.db.pragma('wal_autocheckpoint = 10000');
    migrate(this.db);
    this.stmt = prepareStatements(this.db);
    this.ids = new LogstoreIds(this.stmt, this.clock);
    this.queries = new LogQueries(this.db, this.ids, this.clock);
    this.retention = new LogRetention(this.db, this.stmt, this.ids, this.clock);
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
    const storeId = this.ids.ensure(batch.logstore);
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
    // Rows go in RECORDS_PER_INSERT at a time; ids are consecutive within a transaction
    // (AUTOINCREMENT, one writer), so a full statement's first id is its last minus the rest.
    const rows = this.rows;
    let filled = 0;
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
      const o = filled * 6;
      rows[o] = storeId;
      rows[o + 1] = src.id;
      rows[o + 2] = Math.trunc(e.time);
      rows[o + 3] = stream;
      rows[o + 4] = truncated ? FLAG_TRUNCATED : 0;
      rows[o + 5] = line;
      if (++filled === RECORDS_PER_INSERT) {
        const r = this.stmt.insertRecords.run(rows);
        first.id ??= Number(r.lastInsertRowid) - (RECORDS_PER_INSERT - 1);
        filled = 0;
      }
      accepted++;
      bytes += Buffer.byteLength(line, 'utf8');
    }
    for (let i = 0; i < filled; i++) {
      const o = i * 6;
      const r = this.stmt.insertRecord.run(rows[o] as number, rows[o + 1] as number, rows[o + 2] as number, rows[o + 3] as number, rows[o + 4] as number, rows[o + 5] as string);
      first.id ??= r.lastInsertRowid;
    }
    rows.fill(null);
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
    const id = this.ids.get(logstore);
    if (id === undefined) return [];
    // Every key starting with prefix sorts in [prefix, prefix + U+10FFFF).
    return this.stmt.checkpoints.all(id, prefix, `${prefix}\u{10ffff}`).map((r) => ({
      source: r.key,
      offset: r.offset,
      ...(r.cursor !== null ? { cursor: r.cursor } : {}),
      ...(r.finished ? { finished: true } : {}),
    }));
  }

  /** One page of lines matching the query, newest (default) or oldest first. */
  search(q: LogQuery, opts: SearchOptions = {}): SearchResult {
    return this.queries.search(q, opts);
  }

  /** Lines stored after record `afterId` that match the query, in the order they were stored (follow). */
  after(q: LogQuery, afterId: number, limit = MAX_SEARCH_LIMIT): LogRecord[] {
    return this.queries.after(q, afterId, limit);
  }

  /** The highest record id stored so far (0 when empty): a follow that starts now begins after it. */
  lastId(): number {
    return this.queries.lastId();
  }

  /** Line counts per time bucket over [from, to) (default: the logstore's oldest to newest line). */
  histogram(q: LogQuery, opts: HistogramOptions = {}): LogHistogram {
    return this.queries.histogram(q, opts);
  }

  /** Sets a logstore's retention (creating it when new). */
  setRetention(name: string, r: Retention): void {
    this.retention.setRetention(name, r);
  }

  /** Every logstore with its totals. */
  stats(): LogstoreStats[] {
    return this.retention.stats();
  }

  /** Applies every logstore's retention, within a budget of lines per call (see LogRetention). */
  enforceRetention(opts: { chunk?: number; budget?: number } = {}): { deleted: number; more: boolean } {
    return this.retention.enforceRetention(opts);
  }

  /** Removes a logstore and its lines; false while lines are left (call again). */
  dropLogstore(name: string, opts: { chunk?: number; budget?: number } = {}): boolean {
    return this.retention.dropLogstore(name, opts);
  }
}
