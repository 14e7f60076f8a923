// The scheduling queue (upstream pkg/scheduler/backend/queue, much reduced): pending pods keyed
// "namespace/name" in one of three places —
//   activeQ: ready to try, popped by priority, then creation time (FIFO), then arrival;
//   backoffQ: failed recently, back to activeQ when its backoff (1 s doubling to 10 s) ends;
//   unschedulable: did not fit; moved back on a cluster event that may make it fit (a pod
//     ended, a node changed), or after 5 minutes at the latest.
// A pod handed out by pop() is in flight until done(); a move request seen while it was in
// flight sends a failed pod to backoffQ instead of unschedulable, so no wake-up is lost.
import type { Scheduler, TimerHandle } from '../../client/index.js';

export interface QueuedPodInfo {
  key: string;
  priority: number;
  /** creationTimestamp, ms. */
  createdMs: number;
  /** Arrival order, to keep FIFO among equal timestamps. */
  seq: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the last attempt failed (ms), for backoff. */
  lastFailureMs?: number;
  /** The scheduling cycle in which it was popped. */
  cycle: number;
}

type Place = 'active' | 'backoff' | 'unschedulable' | 'inflight';

export interface SchedulingQueueOptions {
  /** @defaultValue 1000 (podInitialBackoffDuration) */
  initialBackoffMs?: number;
  /** @defaultValue 10000 (podMaxBackoffDuration) */
  maxBackoffMs?: number;
  /** @defaultValue 5 minutes (podMaxInUnschedulablePodsDuration) */
  maxInUnschedulableMs?: number;
}

/** The queue of pods waiting for a node. */
export class SchedulingQueue {
  private readonly scheduler: Scheduler;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  readonly maxInUnschedulableMs: number;
  private readonly pods = new Map<string, { info: QueuedPodInfo; place: Place; since: number }>();
  private waiters: ((info: QueuedPodInfo | undefined) => void)[] = [];
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private backoffTimer: { handle: TimerHandle; at: number } | undefined;

  constructor(scheduler: Scheduler, opts: SchedulingQueueOptions = {}) {
    this.scheduler = scheduler;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 5 * 60_000;
  }

  private now(): number {
    return this.scheduler.now().getTime();
  }

  /** A new pending pod (or one seen again): into activeQ unless already queued or in flight. */
  add(key: string, priority: number, createdMs: number): void {
    if (this.closed || this.pods.has(key)) return;
    const info: QueuedPodInfo = { key, priority, createdMs, seq: this.seq++, attempts: 0, cycle: 0 };
    this.pods.set(key, { info, place: 'active', since: this.now() });
    this.wake();
  }

  /** The pod is gone or no longer pending. */
  delete(key: string): void {
    const e = this.pods.get(key);
    if (e && e.place !== 'inflight') this.pods.delete(key);
    else if (e) e.info.attempts = -1; // dropped when done() is called
  }

  has(key: string): boolean {
    return this.pods.has(key);
  }

  /** Pods ready to pop now. */
  activeCount(): number {
    let n = 0;
    for (const e of this.pods.values()) if (e.place === 'active') n++;
    return n;
  }

  /** Where the pod waits (for tests and debugging). */
  placeOf(key: string): Place | undefined {
    return this.pods.get(key)?.place;
  }

  /** The next pod to try, waiting for one; undefined once shut down. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const next = this.takeActive();
    if (next) return Promise.resolve(next);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private takeActive(): QueuedPodInfo | undefined {
    let best: { info: QueuedPodInfo; place: Place; since: number } | undefined;
    for (const e of this.pods.values()) {
      if (e.place !== 'active') continue;
      if (!best || less(e.info, best.info)) best = e;
    }
    if (!best) return undefined;
    best.place = 'inflight';
    best.info.attempts++;
    best.info.cycle = ++this.schedulingCycle;
    return best.info;
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const info = this.takeActive();
      if (!info) return;
      this.waiters.shift()?.(info);
    }
  }

  /** The attempt is over and the pod needs nothing more (bound, or gone). */
  done(key: string): void {
    const e = this.pods.get(key);
    if (e?.place === 'inflight') this.pods.delete(key);
  }

  /** The pod did not fit: park it, unless the cluster changed during its attempt. */
  addUnschedulable(key: string): void {
    const e = this.pods.get(key);
    if (!e || e.place !== 'inflight') return;
    if (e.info.attempts < 0) {
      this.pods.delete(key);
      return;
    }
    e.info.lastFailureMs = this.now();
    if (this.moveRequestCycle >= e.info.cycle) this.toBackoffOrActive(e);
    else {
      e.place = 'unschedulable';
      e.since = this.now();
    }
  }

  /** The attempt failed for another reason (an API error): retry after the backoff. */
  addBackoff(key: string): void {
    const e = this.pods.get(key);
    if (!e || e.place !== 'inflight') return;
    if (e.info.attempts < 0) {
      this.pods.delete(key);
      return;
    }
    e.info.lastFailureMs = this.now();
    this.toBackoffOrActive(e);
  }

  /** Backoff of a pod after `attempts` tries: 1 s doubling, capped at 10 s. */
  backoffMs(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return (info.lastFailureMs ?? 0) + this.backoffMs(info.attempts);
  }

  private toBackoffOrActive(e: { info: QueuedPodInfo; place: Place; since: number }): void {
    e.since = this.now();
    if (this.backoffExpiry(e.info) > this.now()) {
      e.place = 'backoff';
      this.armBackoffTimer();
    } else {
      e.place = 'active';
      this.wake();
    }
  }

  /** A cluster event that may make parked pods fit: move them all (MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoffQueue(): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const e of this.pods.values()) if (e.place === 'unschedulable') this.toBackoffOrActive(e);
  }

  /** Moves pods parked longer than maxInUnschedulableMs (flushUnschedulablePodsLeftover). */
  flushUnschedulableLeftover(): void {
    const now = this.now();
    for (const e of this.pods.values()) {
      if (e.place === 'unschedulable' && now - e.since > this.maxInUnschedulableMs) this.toBackoffOrActive(e);
    }
  }

  private armBackoffTimer(): void {
    let earliest = Infinity;
    for (const e of this.pods.values()) if (e.place === 'backoff') earliest = Math.min(earliest, this.backoffExpiry(e.info));
    if (earliest === Infinity || this.closed) return;
    if (this.backoffTimer && this.backoffTimer.at <= earliest) return;
    if (this.backoffTimer) this.scheduler.clearTimer(this.backoffTimer.handle);
    this.backoffTimer = { at: earliest, handle: this.scheduler.setTimer(() => this.flushBackoffCompleted(), Math.max(0, earliest - this.now())) };
  }

  /** Moves pods whose backoff ended to activeQ. */
  flushBackoffCompleted(): void {
    this.backoffTimer = undefined;
    const now = this.now();
    for (const e of this.pods.values()) {
      if (e.place === 'backoff' && this.backoffExpiry(e.info) <= now) {
        e.place = 'active';
        e.since = now;
      }
    }
    this.wake();
    this.armBackoffTimer();
  }

  /** Stops handing out pods; blocked pop() calls resolve undefined. */
  shutDown(): void {
    this.closed = true;
    if (this.backoffTimer) this.scheduler.clearTimer(this.backoffTimer.handle);
    this.backoffTimer = undefined;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w(undefined);
  }
}

/** Higher priority first, then older creationTimestamp, then arrival. */
function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.createdMs !== b.createdMs) return a.createdMs < b.createdMs;
  return a.seq < b.seq;
}
