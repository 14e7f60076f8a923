// The work queue of client-go (util/workqueue), in one class: fair FIFO with de-duplication
// (the "dirty" set), never the same item to two workers (the "processing" set; an item re-added
// while processing is queued again on `done`), delayed adds (`addAfter`, de-duplicated: the
// earliest wins) and per-item rate limiting (`addRateLimited` / `forget` / `numRequeues`).
//
// Node runs one thread, but async workers interleave at every await: with N worker loops the
// processing set is what keeps two `syncJob("ns/a")` from running at once.
import { errorMessage } from '../machinery/index.js';
import { type Scheduler, type TimerHandle, realScheduler } from './scheduler.js';
import { QueueMetrics } from './workqueue-metrics.js';

/** Decides how long an item waits before its next retry. */
export interface RateLimiter<T> {
  when(item: T): number;
  forget(item: T): void;
  numRequeues(item: T): number;
}

/** base·2^failures per item, capped (client-go ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  private readonly failures = new Map<T, number>();

  /** @defaultValue base 5 ms, cap 1000 s, as client-go's DefaultControllerRateLimiter. */
  constructor(baseDelayMs = 5, maxDelayMs = 1_000_000) {
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return !Number.isFinite(backoff) || backoff > this.maxDelayMs ? this.maxDelayMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface WorkQueueOptions<T> {
  /** For logs and metrics (workqueue_* with label name; a queue without a name records none). */
  name?: string;
  /** Time and timers for addAfter; tests pass a FakeScheduler. */
  scheduler?: Scheduler;
  /** @defaultValue ItemExponentialFailureRateLimiter(5 ms, 1000 s) */
  rateLimiter?: RateLimiter<T>;
}

/** A rate-limiting, delaying, de-duplicating work queue. */
export class WorkQueue<T> {
  readonly name: string;
  private readonly scheduler: Scheduler;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly metrics: QueueMetrics<T> | undefined;

  private queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private waiters: ((item: T | undefined) => void)[] = [];
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];

  /** Items waiting for addAfter, with their ready time (ms since epoch). */
  private readonly waiting = new Map<T, number>();
  private timer: { handle: TimerHandle; at: number } | undefined;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.name = options.name ?? '';
    this.scheduler = options.scheduler ?? realScheduler;
    this.rateLimiter = options.rateLimiter ?? new ItemExponentialFailureRateLimiter<T>();
    this.metrics = this.name ? new QueueMetrics<T>(this.name) : undefined;
  }

  /** Marks `item` as needing processing. No-op if already queued, or after shutDown. */
  add(item: T): void {
    if (this.shuttingDown) return;
    if (this.dirty.has(item)) return;
    this.metrics?.add(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return; // queued again on done()
    this.enqueue(item);
  }

  /** Number of items queued (not counting those being processed or waiting for a delay). */
  len(): number {
    return this.queue.length;
  }

  /**
   * The next item to process, waiting for one if the queue is empty. Resolves `undefined` once the
   * queue is shut down and empty. The caller must call `done(item)` when finished with it.
   */
  get(): Promise<T | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` as processed; if it was added again meanwhile, it is queued again now. */
  done(item: T): void {
    this.metrics?.done(item);
    this.processing.delete(item);
    if (this.dirty.has(item)) this.enqueue(item);
    if (this.processing.size === 0) {
      const ws = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of ws) w();
    }
  }

  /** Adds `item` after `delayMs`; a pending delayed add of the same item keeps the earlier time. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    // Upstream counts every delayed add as a retry (delaying_queue.go AddAfter).
    this.metrics?.retry();
    const readyAt = this.scheduler.now().getTime() + delayMs;
    const existing = this.waiting.get(item);
    if (existing !== undefined && existing <= readyAt) return;
    this.waiting.set(item, readyAt);
    this.armTimer();
  }

  /** Adds `item` after the rate limiter's delay for it (its retry backoff). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Stops tracking `item`'s retries (call after a successful sync). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items currently handed to workers. */
  processingCount(): number {
    return this.processing.size;
  }

  /** Items waiting for their delay, with the delay left in ms (for tests and debugging). */
  waitingItems(): { item: T; delayMs: number }[] {
    const now = this.scheduler.now().getTime();
    return [...this.waiting.entries()]
      .map(([item, at]) => ({ item, delayMs: at - now }))
      .sort((a, b) => a.delayMs - b.delayMs);
  }

  /** Refuses new items, drops delayed ones, and wakes blocked `get()` calls once the queue is empty. */
  shutDown(): void {
    this.shuttingDown = true;
    this.metrics?.shutDown();
    this.waiting.clear();
    if (this.timer) {
      this.scheduler.clearTimer(this.timer.handle);
      this.timer = undefined;
    }
    if (this.queue.length === 0) {
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) w(undefined);
    }
  }

  /** shutDown, then wait until every item handed out is done. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private enqueue(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      // Hand it over directly: the item is now processing, no longer dirty.
      this.dirty.delete(item);
      this.processing.add(item);
      this.metrics?.get(item);
      waiter(item);
      return;
    }
    this.queue.push(item);
  }

  private take(): T {
    const item = this.queue.shift() as T;
    this.metrics?.get(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private armTimer(): void {
    let earliest = Infinity;
    for (const at of this.waiting.values()) if (at < earliest) earliest = at;
    if (earliest === Infinity) return;
    if (this.timer && this.timer.at <= earliest) return;
    if (this.timer) this.scheduler.clearTimer(this.timer.handle);
    const delay = Math.max(0, earliest - this.scheduler.now().getTime());
    this.timer = { at: earliest, handle: this.scheduler.setTimer(() => this.onTimer(), delay) };
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.scheduler.now().getTime();
    const ready = [...this.waiting.entries()].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    for (const [item] of ready) {
      this.waiting.delete(item);
      this.add(item);
    }
    this.armTimer();
  }
}

/** What a worker does with a key whose sync threw: by default retry it with backoff. */
export type SyncErrorHandler<T> = (key: T, err: unknown, queue: WorkQueue<T>) => void;

/** A SyncErrorHandler that logs once, here, and re-queues the key with rate limiting. */
export function retryAfterBackoff<T>(logger: { error(msg: string, fields?: Record<string, unknown>): void }, what: string): SyncErrorHandler<T> {
  return (key, err, queue) => {
    logger.error(what, { key, error: errorMessage(err) });
    queue.addRateLimited(key);
  };
}

/**
 * A work queue with what its workers do with a key: sync it, and hand a failure to `onError`.
 * A controller keeps one per queue and starts `run()` as many times as it wants workers.
 */
export class QueueWorker<T> {
  readonly queue: WorkQueue<T>;
  private readonly sync: (key: T) => Promise<void>;
  private readonly onError: SyncErrorHandler<T>;

  constructor(queue: WorkQueue<T>, sync: (key: T) => Promise<void>, onError: SyncErrorHandler<T>) {
    this.queue = queue;
    this.sync = sync;
    this.onError = onError;
  }

  /**
   * One step, as client-go's processNextWorkItem: take a key, sync it, forget it on success or
   * hand it to `onError`; always mark it done. False once the queue has shut down.
   */
  async processNextWorkItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    try {
      await this.sync(key);
      this.queue.forget(key);
    } catch (err) {
      this.onError(key, err, this.queue);
    } finally {
      this.queue.done(key);
    }
    return true;
  }

  /** One worker: steps until the queue shuts down. */
  async run(): Promise<void> {
    while (await this.processNextWorkItem()) {
      // next key
    }
  }
}
