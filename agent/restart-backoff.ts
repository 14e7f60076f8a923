// The kubelet's crash-loop back-off (pkg/kubelet/kuberuntime doBackOff over client-go's
// flowcontrol.Backoff, initial 10 s, max 300 s): the first restart of a failed container is
// immediate; each later one waits, from the moment the container finished, a delay that
// doubles up to 5 minutes. A container that ran cleanly for 10 minutes (2 × max) since its
// last restart starts over at the first delay.
import { formatGoDuration } from '../machinery/go-duration.js';

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  /** When the last restart was allowed. */
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();
  readonly initialMs: number;
  readonly maxMs: number;

  constructor(initialMs = BACKOFF_INITIAL_MS, maxMs = BACKOFF_MAX_MS) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  private expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }

  /** IsInBackOffSince: whether less than the current delay has passed since `finishedAt`. */
  isInBackOffSince(key: string, finishedAt: Date, now: Date): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt.getTime())) return false;
    return now.getTime() - finishedAt.getTime() < e.backoffMs;
  }

  /** Next: records a restart at `now` of a container that finished at `finishedAt`. */
  next(key: string, finishedAt: Date, now: Date): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt.getTime())) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now.getTime() });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdate: now.getTime() });
  }

  /** The current delay (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** When the back-off started at `finishedAt` ends, or undefined when there is none. */
  until(key: string, finishedAt: Date): Date | undefined {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt.getTime())) return undefined;
    return new Date(finishedAt.getTime() + e.backoffMs);
  }

  /** Forgets every key with this prefix (a pod's containers once the pod is gone). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** Go's time.Duration String of the duration rounded to whole seconds: "10s", "1m20s", "5m0s". */
export function formatDuration(ms: number): string {
  return formatGoDuration(Math.round(ms / 1000) * 1000);
}
