// A Scheduler on a FakeClock for tests: timers fire only when the test moves time.
import { FakeClock } from '../../machinery/index.js';
import { type Scheduler, type TimerHandle, abortError } from '../scheduler.js';

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
