// ObjectStore on SQLite (better-sqlite3): WAL, synchronous=FULL, one global resourceVersion.
// Every write appends its watch event in the same transaction, so a crash never leaves an
// object without its event (or the reverse) and watches resume exactly after a restart.
// With groupCommit, the writes of one event-loop turn share one SQLite transaction (one fsync):
// each runs in a savepoint of it, COMMIT comes at setImmediate, and watchers hear of the writes
// only after it; callers answer their clients after committed() (see ObjectStore.committed).
import Database from 'better-sqlite3';
import type { KubeObject } from '../../api/index.js';
import {
  type ListOptions,
  type ListResult,
  type ObjectStore,
  type Preconditions,
  type StoredEvent,
  type StoredEventType,
  StorageError,
  type WatchListener,
} from './object-store.js';

interface ObjectRow {
  namespace: string;
  name: string;
  rv: number;
  data: string;
}

interface EventRow {
  rv: number;
  type: StoredEventType;
  resource: string;
  namespace: string;
  name: string;
  data: string;
  prev: string | null;
}

interface Subscription {
  resource: string;
  namespace: string | undefined;
  /** Events at or below this were replayed (or listed) already: the commit delivers only newer ones. */
  after: number;
  listener: WatchListener;
}

/** The open group transaction: its writes commit together, then settle `done`. */
interface Group {
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  rv INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  data TEXT NOT NULL,
  prev TEXT,
  ts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_resource ON events (resource, rv);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export interface SqliteObjectStoreOptions {
  /** A file path, or ':memory:' for tests. */
  path: string;
  /**
   * Commit the writes of one event-loop turn together (one fsync), at setImmediate. Writes and
   * reads see the open transaction at once; watchers and committed() only after COMMIT.
   * Without it every write commits (and notifies) before it returns.
   */
  groupCommit?: boolean;
}

export class SqliteObjectStore implements ObjectStore {
  private readonly db: Database.Database;
  private rv: number;
  /** The newest resourceVersion on disk: rv less the open group's writes. */
  private committedRv: number;
  private compacted: number;
  private readonly groupCommit: boolean;
  private group: Group | undefined;
  private readonly subscriptions = new Set<Subscription>();
  /** Events written by the open transaction, delivered after it commits. */
  private pending: StoredEvent[] = [];
  private depth = 0;
  /** The rv the meta table holds (in the open transaction); written once per transaction, not per write. */
  private metaRv: number;
  /** One wrapper for every transaction: better-sqlite3's db.transaction(fn) builds five functions a call. */
  private readonly txn: (fn: () => unknown) => unknown;

  private readonly stmts: {
    get: Database.Statement<[string, string, string], ObjectRow>;
    insert: Database.Statement<[string, string, string, number, string]>;
    replace: Database.Statement<[number, string, string, string, string]>;
    remove: Database.Statement<[string, string, string]>;
    appendEvent: Database.Statement<[number, string, string, string, string, string, string | null, number]>;
    setMeta: Database.Statement<[string, string]>;
    eventsSince: Database.Statement<[string, number, number], EventRow>;
    eventsSinceNs: Database.Statement<[string, string, number, number], EventRow>;
  };

  constructor(options: SqliteObjectStoreOptions) {
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a transaction acknowledged to a client survives power loss, not only a process kill.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const meta = (key: string): number => {
      const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      return row ? Number(row.value) : 0;
    };
    this.rv = meta('rv');
    this.committedRv = this.rv;
    this.metaRv = this.rv;
    this.groupCommit = options.groupCommit ?? false;
    this.compacted = meta('compacted');
    this.stmts = {
      get: this.db.prepare('SELECT namespace, name, rv, data FROM objects WHERE resource = ? AND namespace = ? AND name = ?'),
      insert: this.db.prepare('INSERT INTO objects (resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?)'),
      replace: this.db.prepare('UPDATE objects SET rv = ?, data = ? WHERE resource = ? AND namespace = ? AND name = ?'),
      remove: this.db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?'),
      appendEvent: this.db.prepare('INSERT INTO events (rv, type, resource, namespace, name, data, prev, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      eventsSince: this.db.prepare(
        'SELECT rv, type, resource, namespace, name, data, prev FROM events WHERE resource = ? AND rv > ? AND rv <= ? ORDER BY rv',
      ),
      eventsSinceNs: this.db.prepare(
        'SELECT rv, type, resource, namespace, name, data, prev FROM events WHERE resource = ? AND namespace = ? AND rv > ? AND rv <= ? ORDER BY rv',
      ),
    };
    this.txn = this.db.transaction((fn: () => unknown) => {
      const result = fn();
      // The outermost transaction outside a group commits here: its rv goes with it.
      if (this.depth === 1 && !this.group) this.saveRv();
      return result;
    });
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const row = this.stmts.get.get(resource, namespace, name);
    return row ? (JSON.parse(row.data) as KubeObject) : undefined;
  }

  list(resource: string, options: ListOptions = {}): ListResult {
    const { namespace, startAfter, limit, filter } = options;
    const items: KubeObject[] = [];
    let afterNs = '';
    let afterName = '';
    let hasAfter = false;
    if (startAfter !== undefined) {
      const i = startAfter.indexOf('/');
      afterNs = i < 0 ? '' : startAfter.slice(0, i);
      afterName = i < 0 ? startAfter : startAfter.slice(i + 1);
      hasAfter = true;
    }
    let sql = 'SELECT namespace, name, rv, data FROM objects WHERE resource = ?';
    const params: unknown[] = [resource];
    if (namespace) {
      sql += ' AND namespace = ?';
      params.push(namespace);
    }
    if (hasAfter) {
      sql += ' AND (namespace > ? OR (namespace = ? AND name > ?))';
      params.push(afterNs, afterNs, afterName);
    }
    sql += ' ORDER BY namespace, name';
    const rows = this.db.prepare(sql).iterate(...params) as IterableIterator<ObjectRow>;
    let continueAfter: string | undefined;
    let remaining: number | undefined;
    for (const row of rows) {
      if (limit !== undefined && limit > 0 && items.length >= limit) {
        // One more matching object exists beyond the page only if the filter accepts some;
        // like upstream, a continue token is returned when the scan stopped early.
        continueAfter = `${items[items.length - 1].metadata.namespace ?? ''}/${items[items.length - 1].metadata.name}`;
        remaining = filter ? undefined : this.countAfter(resource, namespace, continueAfter);
        if (typeof (rows as { return?: () => void }).return === 'function') (rows as { return: () => void }).return();
        break;
      }
      const obj = JSON.parse(row.data) as KubeObject;
      if (filter && !filter(obj)) continue;
      items.push(obj);
    }
    return { items, rv: this.rv, continueAfter, remaining };
  }

  private countAfter(resource: string, namespace: string | undefined, after: string): number {
    const i = after.indexOf('/');
    const ns = after.slice(0, i);
    const name = after.slice(i + 1);
    let sql = 'SELECT COUNT(*) AS n FROM objects WHERE resource = ? AND (namespace > ? OR (namespace = ? AND name > ?))';
    const params: unknown[] = [resource, ns, ns, name];
    if (namespace) {
      sql += ' AND namespace = ?';
      params.push(namespace);
    }
    return (this.db.prepare(sql).get(...params) as { n: number }).n;
  }

  create(resource: string, obj: KubeObject): KubeObject {
    return this.transaction(() => {
      const { namespace, name } = keyParts(obj);
      if (this.stmts.get.get(resource, namespace, name)) {
        throw new StorageError('AlreadyExists', `${resource} ${namespace}/${name} already exists`);
      }
      const rv = this.nextRv();
      const stored = withRv(obj, rv);
      const data = JSON.stringify(stored);
      this.stmts.insert.run(resource, namespace, name, rv, data);
      this.appendEvent({ rv, type: 'ADDED', resource, namespace, name, object: stored }, data, null);
      return stored;
    });
  }

  update(resource: string, obj: KubeObject, preconditions: Preconditions = {}): KubeObject {
    return this.transaction(() => {
      const { namespace, name } = keyParts(obj);
      const row = this.stmts.get.get(resource, namespace, name);
      if (!row) throw new StorageError('NotFound', `${resource} ${namespace}/${name} not found`);
      checkPreconditions(row, preconditions);
      const rv = this.nextRv();
      const stored = withRv(obj, rv);
      const data = JSON.stringify(stored);
      this.stmts.replace.run(rv, data, resource, namespace, name);
      this.appendEvent(withLazyPrev({ rv, type: 'MODIFIED', resource, namespace, name, object: stored }, row.data), data, row.data);
      return stored;
    });
  }

  delete(resource: string, namespace: string, name: string, preconditions: Preconditions = {}): KubeObject {
    return this.transaction(() => {
      const row = this.stmts.get.get(resource, namespace, name);
      if (!row) throw new StorageError('NotFound', `${resource} ${namespace}/${name} not found`);
      const prev = JSON.parse(row.data) as KubeObject;
      checkPreconditions(row, preconditions, prev);
      const rv = this.nextRv();
      // Like etcd, the DELETED event carries the last state with the deletion's revision.
      const deleted = withRv(prev, rv);
      const data = JSON.stringify(deleted);
      this.stmts.remove.run(resource, namespace, name);
      this.appendEvent({ rv, type: 'DELETED', resource, namespace, name, object: deleted, prev }, data, row.data);
      return deleted;
    });
  }

  watch(resource: string, namespace: string | undefined, fromRv: number, listener: WatchListener): () => void {
    if (fromRv < this.compacted) {
      throw new StorageError('TooOld', `too old resource version: ${fromRv} (${this.compacted + 1})`, this.compacted + 1);
    }
    // Read history and subscribe in the same synchronous step: no write can fall between them.
    // History stops at what is on disk; the open group's events come with its commit.
    const upTo = this.committedRv;
    const rows = namespace
      ? this.stmts.eventsSinceNs.all(resource, namespace, fromRv, upTo)
      : this.stmts.eventsSince.all(resource, fromRv, upTo);
    const sub: Subscription = { resource, namespace: namespace || undefined, after: fromRv, listener };
    this.subscriptions.add(sub);
    for (const row of rows) {
      if (!this.subscriptions.has(sub)) break;
      safeDeliver(listener, rowToEvent(row));
    }
    return () => {
      this.subscriptions.delete(sub);
    };
  }

  currentRv(): number {
    return this.rv;
  }

  compactedRv(): number {
    return this.compacted;
  }

  compact(rv: number): void {
    const upTo = Math.min(rv, this.rv);
    if (upTo <= this.compacted) return;
    this.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE rv <= ?').run(upTo);
      this.stmts.setMeta.run('compacted', String(upTo));
    });
    this.compacted = upTo;
  }

  /**
   * Compaction policy: forget events older than `maxAgeMs`, but always keep the newest
   * `minEvents` so a briefly disconnected watcher can resume. Returns the compacted rv.
   */
  compactOlderThan(maxAgeMs: number, minEvents: number, now = Date.now()): number {
    const byAge = this.db.prepare('SELECT MAX(rv) AS rv FROM events WHERE ts < ?').get(now - maxAgeMs) as { rv: number | null };
    const keepFrom = this.rv - minEvents;
    const target = Math.min(byAge.rv ?? 0, keepFrom);
    if (target > this.compacted) this.compact(target);
    return this.compacted;
  }

  healthCheck(): void {
    // Reads the disk (the meta row), not only this process's counters; throws once closed.
    this.db.prepare('SELECT value FROM meta WHERE key = ?').get('rv');
  }

  countObjects(): [string, number][] {
    const rows = this.db.prepare('SELECT resource, COUNT(*) AS n FROM objects GROUP BY resource').all() as { resource: string; n: number }[];
    return rows.map((r) => [r.resource, r.n]);
  }

  committed(): Promise<void> {
    return this.group ? this.group.done : Promise.resolve();
  }

  transaction<T>(fn: () => T): T {
    if (this.groupCommit && this.depth === 0 && !this.group) this.openGroup();
    const startRv = this.rv;
    this.depth++;
    let result: T;
    try {
      result = this.txn(fn) as T;
    } catch (err) {
      this.depth--;
      // A failed COMMIT may have taken the meta row's write with it: write it again next time.
      if (this.depth === 0) this.metaRv = Number.NaN;
      // Its transaction (or savepoint, nested or in a group) rolled back: drop only its events.
      this.pending = this.pending.filter((e) => e.rv <= startRv);
      this.rv = startRv;
      throw err;
    }
    this.depth--;
    if (this.depth === 0 && !this.group) this.flush();
    return result;
  }

  close(): void {
    if (this.group) this.commitGroup();
    this.subscriptions.clear();
    this.db.close();
  }

  private openGroup(): void {
    this.db.exec('BEGIN IMMEDIATE');
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A failed group is answered through committed(); nobody else has to catch it.
    done.catch(() => {});
    this.group = { done, resolve, reject };
    setImmediate(() => this.commitGroup());
  }

  /** COMMIT (one fsync for the whole group), then the watchers, then the callers' answers. */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.saveRv();
      this.db.exec('COMMIT');
    } catch (err) {
      // Nothing of the group is on disk: forget it in memory too and fail every caller.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.metaRv = Number.NaN;
      this.pending = [];
      this.rv = this.committedRv;
      group.reject(err);
      return;
    }
    this.flush();
    group.resolve();
  }

  private nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  /** Inside the transaction that commits them: the meta table's rv follows the writes. */
  private saveRv(): void {
    if (this.metaRv === this.rv) return;
    this.stmts.setMeta.run('rv', String(this.rv));
    this.metaRv = this.rv;
  }

  private appendEvent(event: StoredEvent, data: string, prev: string | null): void {
    this.stmts.appendEvent.run(event.rv, event.type, event.resource, event.namespace, event.name, data, prev, Date.now());
    this.pending.push(event);
  }

  private flush(): void {
    const events = this.pending;
    this.pending = [];
    this.committedRv = this.rv;
    for (const event of events) {
      for (const sub of [...this.subscriptions]) {
        if (event.rv <= sub.after) continue;
        if (sub.resource !== event.resource) continue;
        if (sub.namespace && sub.namespace !== event.namespace) continue;
        safeDeliver(sub.listener, event);
      }
    }
  }
}

function keyParts(obj: KubeObject): { namespace: string; name: string } {
  const name = obj.metadata?.name;
  if (!name) throw new Error('storage: object has no metadata.name');
  return { namespace: obj.metadata.namespace ?? '', name };
}

function withRv(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/** `prev` is parsed from the row only when a uid precondition needs it. */
function checkPreconditions(row: ObjectRow, pre: Preconditions, prev?: KubeObject): void {
  if (pre.uid !== undefined) {
    const uid = (prev ?? (JSON.parse(row.data) as KubeObject)).metadata.uid;
    if (pre.uid !== uid) {
      throw new StorageError('Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid ?? ''}`);
    }
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== String(row.rv)) {
    throw new StorageError('Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
  }
}

function rowToEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    rv: row.rv,
    type: row.type,
    resource: row.resource,
    namespace: row.namespace,
    name: row.name,
    object: JSON.parse(row.data) as KubeObject,
  };
  return row.prev ? withLazyPrev(event, row.prev) : event;
}

/**
 * An event's `prev` is parsed on first read (once for all its watchers): only watchers with
 * selectors read it, so a MODIFIED event most of them take costs no second JSON.parse.
 */
function withLazyPrev(event: StoredEvent, prevData: string): StoredEvent {
  let prev: KubeObject | undefined;
  return Object.defineProperty(event, 'prev', {
    enumerable: true,
    get: () => (prev ??= JSON.parse(prevData) as KubeObject),
  });
}

function safeDeliver(listener: WatchListener, event: StoredEvent): void {
  try {
    listener(event);
  } catch {
    // A watcher's failure must never fail the write that notified it.
  }
}
