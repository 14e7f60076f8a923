// The run loop every controller shares, as each upstream controller's Run: log "Starting", stop
// the workers when the context ends (shut the queues down), wait for the informers' caches,
// start the workers, return once they all returned, log "Shutting down".
import type { Logger, LogFields, QueueWorker } from '../client/index.js';

/** An informer as the run loop sees it: its cache reports when it has synced. */
export interface CacheSyncWaiter {
  /** True once synced; false when `signal` aborted first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
}

export interface ControllerRun {
  /** For the log lines "Starting <name>" and "Shutting down <name>". */
  name: string;
  logger: Logger;
  /** Fields of the "Starting" line. */
  logFields?: LogFields;
  /** Queue workers: `count` workers run on each queue, and each queue shuts down when the signal aborts. */
  queues?: readonly { worker: QueueWorker<string>; count: number }[];
  /** Called once the signal aborts: stops what `workers` started (queues of `queues` shut down by themselves). */
  shutDown?(): void;
  /** The caches the workers read; no worker starts before each has synced. */
  informers: readonly CacheSyncWaiter[];
  /**
   * Upstream's podStoreSynced-style seams: when a wait says false but this says true (tests mark
   * caches always ready), the workers start anyway.
   */
  cachesSynced?: () => boolean;
  /** Other loops, started once the caches synced; each promise settles when its queue shut down. */
  workers?(): Promise<void>[];
}

/** Runs a controller until `signal` aborts and its workers have finished their items. */
export async function runController(signal: AbortSignal, c: ControllerRun): Promise<void> {
  if (c.logFields) c.logger.info(`Starting ${c.name}`, c.logFields);
  else c.logger.info(`Starting ${c.name}`);
  const onAbort = () => {
    for (const q of c.queues ?? []) q.worker.queue.shutDown();
    c.shutDown?.();
  };
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const synced = await Promise.all(c.informers.map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean) && !c.cachesSynced?.()) return;
    const queueWorkers = (c.queues ?? []).flatMap((q) => workers(q.count, () => q.worker.run()));
    await Promise.all([...queueWorkers, ...(c.workers?.() ?? [])]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    c.logger.info(`Shutting down ${c.name}`);
  }
}

/** Calls `step` until it answers false (its queue shut down): one worker (wait.Until's loop). */
export async function untilShutDown(step: () => Promise<boolean>): Promise<void> {
  while (await step()) {
    // next item
  }
}

/** `n` workers, each made by `worker`. */
function workers(n: number, worker: () => Promise<void>): Promise<void>[] {
  return Array.from({ length: n }, worker);
}
