// Timers, injected: the work queue's delays (addAfter, rate limiting) and the reflector's
// reconnect backoff go through a Scheduler, so tests drive time by hand with FakeScheduler.
import { type Clock, FakeClock } from '../machinery/index.js';

export interface TimerHandle {
  readonly id: number;
}

export interface Scheduler extends Clock {
  /** Runs `fn` once after `delayMs` (>= 0). */
  setTimer(fn: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Resolves after `delayMs`, or rejects with the signal's reason when it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

function abortError(signal: AbortSignal): Error {
  const r = signal.reason as unknown;
  return r instanceof Error ? r : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

function sleepWith(s: Pick<Scheduler, 'setTimer' | 'clearTimer'>, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      s.clearTimer(handle);
      reject(abortError(signal as AbortSignal));
    };
    const handle = s.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The longest delay Node's setTimeout takes (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * setTimeout for any delay: Node fires a timer of more than MAX_TIMER_MS at once (with a
 * TimeoutOverflowWarning), and a monthly CronJob waits weeks, so long waits go in steps.
 * Returns the cancel function.
 */
function longTimeout(fn: () => void, delayMs: number, unref: boolean): () => void {
  const due = Date.now() + Math.max(0, delayMs);
  let t: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    t = setTimeout(() => (left > MAX_TIMER_MS ? arm() : fn()), Math.min(Math.max(0, left), MAX_TIMER_MS));
    if (unref) t.unref?.();
  };
  arm();
  return () => clearTimeout(t);
}

/** Wall-clock time and Node timers. Timers are unref'd so they never keep a process alive alone. */
export class RealScheduler implements Scheduler {
  private nextId = 1;
  private readonly timers = new Map<number, () => void>();

  now(): Date {
    return new Date();
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const cancel = longTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      delayMs,
      true,
    );
    this.timers.set(id, cancel);
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.get(handle.id)?.();
    this.timers.delete(handle.id);
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      // Not unref'd: somebody is awaiting it.
      const cancel = longTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        delayMs,
        false,
      );
      const onAbort = () => {
        cancel();
        reject(abortError(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export const realScheduler: Scheduler = new RealScheduler();

interface FakeTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A scheduler on a FakeClock: nothing fires until the test calls `step` or `advanceTo`.
 * Timers fire in due order, each with the clock set to its due time.
 */
export class FakeScheduler implements Scheduler {
  readonly clock: FakeClock;
  private timers: FakeTimer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(clock: FakeClock = new FakeClock()) {
    this.clock = clock;
  }

  now(): Date {
    return this.clock.now();
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, at: this.clock.now().getTime() + Math.max(0, delayMs), seq: this.seq++, fn });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, delayMs, signal);
  }

  /** Pending timers' due times, in ms from now, ascending. */
  pendingDelays(): number[] {
    const now = this.clock.now().getTime();
    return this.timers.map((t) => t.at - now).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer due on the way (including ones they schedule). */
  step(ms: number): void {
    this.advanceTo(this.clock.now().getTime() + ms);
  }

  /** Fires timers already due without moving time. */
  fireDue(): void {
    this.advanceTo(this.clock.now().getTime());
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= targetMs && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      if (next.at > this.clock.now().getTime()) this.clock.set(new Date(next.at));
      next.fn();
    }
    if (targetMs > this.clock.now().getTime()) this.clock.set(new Date(targetMs));
  }
}
