// Keeping a log store within bounds: each logstore's retention (days, and a byte maximum that
// drops its oldest lines), applied in chunks of lines, each its own transaction, within a budget
// per call so the event loop is never held long; dropping a logstore the same way.
import type Database from 'better-sqlite3';
import type { Clock } from '../machinery/index.js';
import type { LogStatements, LogstoreIds } from './log-schema.js';

const DAY_US = 86_400_000_000;

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

export class LogRetention {
  private readonly db: Database.Database;
  private readonly stmt: LogStatements;
  private readonly ids: LogstoreIds;
  private readonly clock: Clock;

  constructor(db: Database.Database, stmt: LogStatements, ids: LogstoreIds, clock: Clock) {
    this.db = db;
    this.stmt = stmt;
    this.ids = ids;
    this.clock = clock;
  }

  /** Sets a logstore's retention (creating it when new). */
  setRetention(name: string, r: Retention): void {
    const id = this.ids.ensure(name);
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
    const id = this.ids.get(name);
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
    this.ids.forget(name);
    return true;
  }
}
