// The log store's SQLite schema and statements. `logstores`: one row per store, with its
// retention and running totals. `sources`: who sent lines (namespace, pod, container, job, tags,
// path) and the source's checkpoint. `records`: time, stream, line and source, indexed by
// (logstore, time). `records_fts`: a contentless FTS5 index (contentless_delete) keyed by the
// record id. Record ids only grow (AUTOINCREMENT), so "after id N" is a stable follow position.
import type Database from 'better-sqlite3';
import type { LogStreamKind } from '../api/index.js';
import type { Clock } from '../machinery/index.js';

/** Retention when a logstore has none configured (the Logstore resource's defaults). */
export const DEFAULT_RETENTION_DAYS = 7;
export const DEFAULT_MAX_BYTES = 1024 ** 3;
export const STREAM_CODES: Record<LogStreamKind, number> = { stdout: 0, stderr: 1, file: 2 };
export const STREAM_NAMES: LogStreamKind[] = ['stdout', 'stderr', 'file'];
export const FLAG_TRUNCATED = 1;
/** Rows of the multi-row record insert (6 parameters each, far below SQLite's 32,766). */
export const RECORDS_PER_INSERT = 64;

export interface SourceRow {
  id: number;
  offset: number;
  cursor: string | null;
  finished: number;
}

/** Creates the tables and indexes when missing (every statement is IF NOT EXISTS). */
export function migrate(db: Database.Database): void {
  db.exec(`
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
  // FTS5 merges index segments as lines come in, by default once 4 of a level exist. At 8,
  // an ingest's index work is ~20% less for up to twice the segments a search looks at (a
  // search of 250,000 lines still takes milliseconds). Kept in the index's own config table.
  db.prepare("INSERT INTO records_fts (records_fts, rank) VALUES ('automerge', 8)").run();
}

/** The statements ingest, retention and the logstore ids use on every call. */
export function prepareStatements(db: Database.Database) {
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
    // RECORDS_PER_INSERT rows in one statement: half the CPU of as many single-row inserts
    // (one call into SQLite, one AUTOINCREMENT update per statement instead of per row).
    insertRecords: db.prepare<unknown[]>(
      `INSERT INTO records (logstore, source, time, stream, flags, line) VALUES ${Array<string>(RECORDS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
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

export type LogStatements = ReturnType<typeof prepareStatements>;

/** Logstore ids by name, cached: a logstore keeps its id until it is dropped. */
export class LogstoreIds {
  private readonly cache = new Map<string, number>();

  private readonly stmt: LogStatements;
  private readonly clock: Clock;

  constructor(stmt: LogStatements, clock: Clock) {
    this.stmt = stmt;
    this.clock = clock;
  }

  /** The id of a logstore, created (with default retention) when it does not exist yet. */
  ensure(name: string): number {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    let row = this.stmt.storeByName.get(name);
    if (!row) {
      this.stmt.insertStore.run(name, this.clock.now().getTime());
      row = this.stmt.storeByName.get(name)!;
    }
    this.cache.set(name, row.id);
    return row.id;
  }

  get(name: string): number | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const row = this.stmt.storeByName.get(name);
    if (row) this.cache.set(name, row.id);
    return row?.id;
  }

  forget(name: string): void {
    this.cache.delete(name);
  }
}
