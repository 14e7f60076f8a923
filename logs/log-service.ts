// The log service's control loop, as an API client: it keeps the store in step with the
// Logstore objects (their retention), writes their status (lines, size, sources, oldest and
// newest line), removes the lines of deleted logstores, and enforces retention in the
// background, a bounded amount of work at a time so the API server stays responsive.
import { LOGSTORE_RESOURCE, type Logstore, type LogstoreStatus } from '../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  isTombstone,
  type Logger,
  noopLogger,
  type ResourceInfo,
  realScheduler,
  type Scheduler,
  SharedInformer,
  type TimerHandle,
} from '../client/index.js';
import { isConflict, isNotFound, parseQuantity, quantityValue } from '../machinery/index.js';
import type { LogstoreStats, Retention } from './log-retention.js';
import { DEFAULT_MAX_BYTES, DEFAULT_RETENTION_DAYS } from './log-schema.js';
import type { LogStore } from './log-store.js';
import { microsToRfc3339 } from './log-time.js';

/** The Logstore resource, for clients. */
export const LogstoreResource: ResourceInfo = LOGSTORE_RESOURCE;

export interface LogServiceDeps {
  store: LogStore;
  client: Pick<Clientset, 'resource'>;
  scheduler?: Scheduler;
  logger?: Logger;
  /** How often Logstore status is refreshed. @defaultValue 15 s */
  statusIntervalMs?: number;
  /** How often retention runs when there is nothing left to remove. @defaultValue 60 s */
  retentionIntervalMs?: number;
}

/** A Logstore's spec as the store's retention (defaults for what is unset or unreadable). */
export function retentionOf(ls: DeepReadonly<Logstore>): Retention {
  let maxBytes = DEFAULT_MAX_BYTES;
  if (ls.spec?.maxSize) {
    try {
      maxBytes = Number(quantityValue(parseQuantity(ls.spec.maxSize)));
    } catch {
      // validation refuses these; keep the default for objects written before it did
    }
  }
  return { retentionDays: ls.spec?.retentionDays ?? DEFAULT_RETENTION_DAYS, maxBytes };
}

/** The status a Logstore should show for the store's counts (without lastUpdateTime). */
export function statusOf(stats: LogstoreStats | undefined): LogstoreStatus {
  const st: LogstoreStatus = { lines: stats?.lines ?? 0, sizeBytes: stats?.bytes ?? 0, sources: stats?.sources ?? 0 };
  if (stats?.oldest !== undefined) st.oldestTime = microsToRfc3339(stats.oldest);
  if (stats?.newest !== undefined) st.newestTime = microsToRfc3339(stats.newest);
  return st;
}

function sameCounts(a: DeepReadonly<LogstoreStatus> | undefined, b: LogstoreStatus): boolean {
  return (
    (a?.lines ?? 0) === b.lines &&
    (a?.sizeBytes ?? 0) === b.sizeBytes &&
    (a?.sources ?? 0) === b.sources &&
    a?.oldestTime === b.oldestTime &&
    a?.newestTime === b.newestTime
  );
}

export class LogService {
  readonly informer: SharedInformer<Logstore>;
  private readonly deps: LogServiceDeps;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private readonly dropping = new Set<string>();
  private statusTimer: TimerHandle | undefined;
  private retentionTimer: TimerHandle | undefined;
  private dropTimer: TimerHandle | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(deps: LogServiceDeps) {
    this.deps = deps;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.informer = new SharedInformer<Logstore>(deps.client.resource<Logstore>(LogstoreResource), {
      name: 'logstores',
      scheduler: this.scheduler,
      logger: this.logger,
    });
    this.informer.addEventHandler({
      add: (ls) => this.configure(ls),
      update: (_old, ls) => this.configure(ls),
      delete: (obj) => this.onDelete(isTombstone(obj) ? obj.obj : obj),
    });
  }

  /** Starts the informer and the background loops. */
  start(): void {
    void this.informer.run(this.abort.signal);
    this.retentionTimer = this.scheduler.setTimer(() => this.retentionTick(), 1_000);
    this.statusTimer = this.scheduler.setTimer(() => this.statusTick(), this.deps.statusIntervalMs ?? 15_000);
  }

  /** Stops the loops and waits for a status write in flight. */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const t of [this.statusTimer, this.retentionTimer, this.dropTimer]) if (t) this.scheduler.clearTimer(t);
    await this.writing;
  }

  private configure(ls: DeepReadonly<Logstore>): void {
    const name = ls.metadata.name;
    if (!name) return;
    this.dropping.delete(name);
    const r = retentionOf(ls);
    const before = this.deps.store.stats().find((s) => s.name === name)?.retention;
    this.deps.store.setRetention(name, r);
    // A shorter retention applies at once, not at the next turn.
    if (before && (r.retentionDays < before.retentionDays || r.maxBytes < before.maxBytes)) this.retentionSoon();
  }

  private retentionSoon(): void {
    if (this.abort.signal.aborted || !this.retentionTimer) return;
    this.scheduler.clearTimer(this.retentionTimer);
    this.retentionTimer = this.scheduler.setTimer(() => this.retentionTick(), 100);
  }

  private onDelete(ls: DeepReadonly<Logstore>): void {
    const name = ls.metadata?.name;
    if (!name) return;
    this.dropping.add(name);
    this.scheduleDrop(0);
  }

  private scheduleDrop(delayMs: number): void {
    if (this.abort.signal.aborted || this.dropTimer) return;
    this.dropTimer = this.scheduler.setTimer(() => {
      this.dropTimer = undefined;
      this.dropSome();
    }, delayMs);
  }

  /** Drops deleted logstores' lines, a bounded number per turn. */
  dropSome(): void {
    for (const name of [...this.dropping]) {
      // Recreated meanwhile (a pod still names it): keep what it has.
      if (this.informer.lister().get(name)) {
        this.dropping.delete(name);
        continue;
      }
      try {
        if (this.deps.store.dropLogstore(name)) this.dropping.delete(name);
        else return this.scheduleDrop(10);
      } catch (err) {
        this.logger.warn('dropping a logstore failed', { logstore: name, error: String(err) });
        return this.scheduleDrop(5_000);
      }
    }
  }

  /** One turn of retention: again soon while there is more to remove. */
  retentionTick(): void {
    if (this.abort.signal.aborted) return;
    let more = false;
    try {
      more = this.deps.store.enforceRetention().more;
    } catch (err) {
      this.logger.warn('log retention failed', { error: String(err) });
    }
    this.retentionTimer = this.scheduler.setTimer(() => this.retentionTick(), more ? 10 : (this.deps.retentionIntervalMs ?? 60_000));
  }

  private statusTick(): void {
    if (this.abort.signal.aborted) return;
    this.writing = this.writeStatuses()
      .catch((err: unknown) => this.logger.warn('writing logstore status failed', { error: String(err) }))
      .finally(() => {
        if (!this.abort.signal.aborted) this.statusTimer = this.scheduler.setTimer(() => this.statusTick(), this.deps.statusIntervalMs ?? 15_000);
      });
  }

  /** Writes the status of every Logstore whose counts changed. */
  async writeStatuses(): Promise<void> {
    if (!this.informer.hasSynced()) return;
    const stats = new Map(this.deps.store.stats().map((s) => [s.name, s]));
    const client = this.deps.client.resource<Logstore>(LogstoreResource);
    for (const ls of this.informer.lister().list()) {
      const name = ls.metadata.name;
      if (!name || ls.metadata.deletionTimestamp) continue;
      const want = statusOf(stats.get(name));
      if (sameCounts(ls.status, want)) continue;
      const obj = structuredClone(ls) as Logstore;
      obj.status = { ...want, lastUpdateTime: this.scheduler.now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
      try {
        await client.updateStatus(obj);
      } catch (err) {
        // The informer brings the newer object; the next turn writes again.
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    }
  }
}
