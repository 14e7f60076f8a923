// The kubelet's podWorkers (pkg/kubelet/pod_workers.go), in one process: one worker per pod
// uid that serialises that pod's syncs. A sync asked for while one runs is remembered and
// runs right after (never two at once for a pod, never lost); a sync may ask to run again
// after a delay (resync, a back-off that ends, a deadline); a failed sync is retried after
// a back-off. Workers of different pods run concurrently.
import { type Logger, noopLogger, type Scheduler, type TimerHandle, realScheduler } from '../client/index.js';
import { errorMessage } from '../machinery/index.js';

/** What one sync tells the worker. */
export interface PodSyncResult {
  /** Sync again after this many ms (undefined: only when asked). */
  requeueAfterMs?: number;
  /** The pod is gone and cleaned up: forget the worker. */
  done?: boolean;
}

export type SyncPodFn = (uid: string) => Promise<PodSyncResult>;

export interface PodWorkersOptions {
  sync: SyncPodFn;
  scheduler?: Scheduler;
  logger?: Logger;
  /** Delay before retrying a sync that threw. @defaultValue 10 s (the kubelet's backOffPeriod) */
  errorBackoffMs?: number;
}

interface Worker {
  uid: string;
  running: boolean;
  pending: boolean;
  timer?: TimerHandle;
  timerAt?: number;
  done?: Promise<void>;
}

export class PodWorkers {
  private readonly opts: PodWorkersOptions;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(opts: PodWorkersOptions) {
    this.opts = opts;
    this.scheduler = opts.scheduler ?? realScheduler;
    this.logger = opts.logger ?? noopLogger;
  }

  /** Asks for a sync of the pod now, or after `delayMs` (the earliest request wins). */
  requestSync(uid: string, delayMs = 0): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { uid, running: false, pending: false };
      this.workers.set(uid, w);
    }
    if (delayMs > 0) {
      const at = this.scheduler.now().getTime() + delayMs;
      if (w.timer && w.timerAt !== undefined && w.timerAt <= at) return;
      if (w.timer) this.scheduler.clearTimer(w.timer);
      const worker = w;
      w.timerAt = at;
      w.timer = this.scheduler.setTimer(() => {
        worker.timer = undefined;
        worker.timerAt = undefined;
        this.requestSync(uid);
      }, delayMs);
      return;
    }
    w.pending = true;
    if (!w.running) w.done = this.run(w);
  }

  /** Uids with a worker. */
  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** Uids whose sync runs now. */
  busy(): string[] {
    return [...this.workers.values()].filter((w) => w.running).map((w) => w.uid);
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  /** Resolves once no worker is running a sync (timers may still be pending). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.workers.values()].filter((w) => w.running && w.done).map((w) => w.done as Promise<void>);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Stops accepting syncs; resolves when the running ones have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) {
      if (w.timer) this.scheduler.clearTimer(w.timer);
      w.timer = undefined;
      w.pending = false;
    }
    await this.idle();
  }

  private async run(w: Worker): Promise<void> {
    w.running = true;
    try {
      let rounds = 0;
      while (w.pending && !this.stopped) {
        // A sync may only await promises that settle at once (fakes): let timers and I/O run between rounds.
        if (rounds++ > 0) await new Promise<void>((r) => setImmediate(r));
        w.pending = false;
        let result: PodSyncResult;
        try {
          result = await this.opts.sync(w.uid);
        } catch (err) {
          this.logger.error('pod sync failed', { pod: w.uid, error: errorMessage(err) });
          result = { requeueAfterMs: this.opts.errorBackoffMs ?? 10_000 };
        }
        if (result.done) {
          if (w.timer) this.scheduler.clearTimer(w.timer);
          if (!w.pending) {
            this.workers.delete(w.uid);
            return;
          }
          continue;
        }
        if (result.requeueAfterMs !== undefined && !w.pending) {
          if (result.requeueAfterMs <= 0) w.pending = true;
          else this.requestSync(w.uid, result.requeueAfterMs);
        }
      }
    } finally {
      w.running = false;
    }
  }
}
