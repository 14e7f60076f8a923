// Many pod timers on one platform timer: a binary min-heap by due time, and one setTimer for
// the earliest (kwok plays thousands of pods; a setTimeout each costs more than a heap entry).
// Cancelling is lazy: an entry whose token no longer matches its key's is skipped when due.
import type { Scheduler, TimerHandle } from '../../client/index.js';

interface Entry {
  at: number;
  key: string;
  token: number;
  fn: () => void;
}

export class TimerHeap {
  private readonly heap: Entry[] = [];
  private readonly tokens = new Map<string, number>();
  private nextToken = 1;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private stopped = false;

  private readonly scheduler: Scheduler;

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs `fn` at `atMs` (scheduler time); replaces the key's earlier timer. */
  set(key: string, atMs: number, fn: () => void): void {
    if (this.stopped) return;
    const token = this.nextToken++;
    this.tokens.set(key, token);
    this.push({ at: atMs, key, token, fn });
    this.arm();
  }

  cancel(key: string): void {
    this.tokens.delete(key);
  }

  has(key: string): boolean {
    return this.tokens.has(key);
  }

  /** Live timers (cancelled entries still in the heap are not counted). */
  get size(): number {
    return this.tokens.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
    this.tokens.clear();
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || top.at >= this.timerAt) return;
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timerAt = top.at;
    this.timer = this.scheduler.setTimer(() => this.fire(), Math.max(0, top.at - this.scheduler.now().getTime()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.scheduler.now().getTime();
    const due: Entry[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const e = this.pop();
      if (this.tokens.get(e.key) !== e.token) continue;
      this.tokens.delete(e.key);
      due.push(e);
    }
    this.arm();
    for (const e of due) e.fn();
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= e.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
        if (h[c]!.at >= last.at) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
