// Timers, injected: the work queue's delays (addAfter, rate limiting) and the reflector's
// reconnect backoff go through a Scheduler, so tests drive time by hand with FakeScheduler
// (client/testing).
import type { Clock } from '../machinery/index.js';

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

/** Why a sleep stopped: the signal's reason when it is an Error, else an AbortError. */
export function abortError(signal: AbortSignal): Error {
  const r = signal.reason as unknown;
  return r instanceof Error ? r : Object.assign(new Error('aborted'), { name: 'AbortError' });
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
