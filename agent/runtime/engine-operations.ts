// What a runtime tells the kubelet about the calls it has in flight on its engine, and the two
// tools a runtime uses to keep them in bounds:
// - EngineOperations: every engine call runs through `run`, which records it with its start
//   time (the kubelet's health check, agent/runtime-health.ts, finds a call stuck past its
//   deadline as upstream's PLEG finds a relist that did not come back) and bounds how many run
//   at once (a semaphore, FIFO). Calls that wait by design (a container's wait, an attach, the
//   events stream) are tracked by no deadline: the runtime passes `untracked`.
// - PhaseLock: two kinds of operation that must never overlap each other while each kind may
//   overlap itself (Docker 20.10's network-sandbox create and destroy, see docker/sandboxes.ts).
//   Fair: once a waiter of the other kind queues, newcomers of the running kind wait behind it.

/** One engine call in flight. */
export interface EngineOperation {
  /** "POST /containers/{id}/start" or the runtime's own name for it. */
  name: string;
  startedAt: Date;
  /** Time the call may take by design beyond any deadline (a stop's grace period). */
  allowanceMs?: number;
}

/** One finished engine call or PhaseLock hold, kept for tests and diagnosis (`history`). */
export interface EngineOperationRecord extends EngineOperation {
  endedAt: Date;
}

export interface EngineOperationsOptions {
  /** The most engine calls at once (the rest queue). @defaultValue 8 */
  maxConcurrent?: number;
  now?: () => Date;
  /** Finished calls kept in `history` (0: none). @defaultValue 0 */
  historySize?: number;
}

export const DEFAULT_MAX_CONCURRENT_ENGINE_OPERATIONS = 8;

export class EngineOperations {
  readonly maxConcurrent: number;
  private readonly now: () => Date;
  private readonly historySize: number;
  private readonly inFlightOps = new Set<EngineOperation>();
  private readonly waiters: (() => void)[] = [];
  private running = 0;
  /** Finished calls, oldest first, up to historySize. */
  readonly history: EngineOperationRecord[] = [];

  constructor(options: EngineOperationsOptions = {}) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_ENGINE_OPERATIONS);
    this.now = options.now ?? (() => new Date());
    this.historySize = options.historySize ?? 0;
  }

  /**
   * Runs one engine call: tracked from the moment it is asked for (a call queued behind stuck
   * ones is as stuck as they are), holding a slot of the limiter unless `limited` is false.
   */
  async run<T>(name: string, fn: () => Promise<T>, options: { limited?: boolean; allowanceMs?: number } = {}): Promise<T> {
    const op: EngineOperation = { name, startedAt: this.now(), ...(options.allowanceMs ? { allowanceMs: options.allowanceMs } : {}) };
    this.inFlightOps.add(op);
    const limited = options.limited ?? true;
    try {
      if (limited) await this.acquire();
      try {
        return await fn();
      } finally {
        if (limited) this.release();
      }
    } finally {
      this.inFlightOps.delete(op);
      keep(this.history, this.historySize, { ...op, endedAt: this.now() });
    }
  }

  /** The calls in flight, oldest first. */
  inFlight(): EngineOperation[] {
    return [...this.inFlightOps].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  /** Calls holding a slot now (tests). */
  get active(): number {
    return this.running;
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter: `running` stays as it is.
    if (next) next();
    else this.running--;
  }
}

function keep(history: EngineOperationRecord[], size: number, record: EngineOperationRecord): void {
  if (size <= 0) return;
  history.push(record);
  if (history.length > size) history.splice(0, history.length - size);
}

export interface PhaseLockOptions {
  /**
   * The phase that goes first: while it runs or waits, the others wait, up to maxDeferMs;
   * without one, phases take turns in the order they asked.
   */
  preferred?: string;
  /** The longest another phase waits for the preferred one. @defaultValue 10 s */
  maxDeferMs?: number;
  now?: () => number;
}

/** Operations of one phase run together; operations of different phases never overlap. */
export class PhaseLock {
  private phase: string | undefined;
  private holders = 0;
  private readonly waiting = new Map<string, { since: number; resolve: () => void }[]>();
  private readonly options: PhaseLockOptions;
  private readonly now: () => number;
  /** Holds, oldest first ("<phase> <what>", from the lock granted to its release), up to historySize. */
  readonly history: EngineOperationRecord[] = [];
  historySize = 0;

  constructor(options: PhaseLockOptions = {}) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Runs `fn` once no operation of another phase holds the lock. */
  async run<T>(phase: string, what: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(phase);
    const startedAt = new Date();
    try {
      return await fn();
    } finally {
      keep(this.history, this.historySize, { name: `${phase} ${what}`, startedAt, endedAt: new Date() });
      this.release();
    }
  }

  /** The phase held now (tests). */
  get current(): string | undefined {
    return this.phase;
  }

  private acquire(phase: string): Promise<void> {
    if ((this.holders === 0 || this.phase === phase) && !this.othersFirst(phase)) {
      this.phase = phase;
      this.holders++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const list = this.waiting.get(phase) ?? [];
      list.push({ since: this.now(), resolve });
      this.waiting.set(phase, list);
    });
  }

  /** Whether a waiter of another phase has to go before a newcomer of `phase`. */
  private othersFirst(phase: string): boolean {
    const { preferred } = this.options;
    const maxDefer = this.options.maxDeferMs ?? 10_000;
    for (const [p, list] of this.waiting) {
      if (p === phase || list.length === 0) continue;
      if (preferred === undefined || p === preferred) return true;
      if (phase !== preferred || this.now() - list[0]!.since >= maxDefer) return true;
    }
    return false;
  }

  private release(): void {
    if (--this.holders > 0) return;
    this.phase = undefined;
    const waiting = [...this.waiting].filter(([, l]) => l.length > 0);
    if (waiting.length === 0) return;
    const maxDefer = this.options.maxDeferMs ?? 10_000;
    const oldest = (a: [string, { since: number }[]], b: [string, { since: number }[]]) => a[1][0]!.since - b[1][0]!.since;
    waiting.sort(oldest);
    // A phase that waited past maxDeferMs, else the preferred one, else the one that asked first.
    const starving = waiting.find(([p, l]) => p !== this.options.preferred && this.now() - l[0]!.since >= maxDefer);
    const next = starving ?? waiting.find(([p]) => p === this.options.preferred) ?? waiting[0]!;
    this.phase = next[0];
    this.waiting.delete(next[0]);
    this.holders += next[1].length;
    for (const w of next[1]) w.resolve();
  }
}
