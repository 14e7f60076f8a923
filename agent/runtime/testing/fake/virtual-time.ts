// Virtual time for the fake runtime: sleeps resolve when the clock is advanced, by the test
// (`advance(ms)`) or, with autoAdvance, by a pump that jumps to the next timer whenever
// nothing else is left to run. No real waiting either way.
import { FakeClock } from '../../../../machinery/index.js';

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/** Lets every pending promise chain run (they drain before each macrotask). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

export class VirtualTime {
  readonly clock: FakeClock;
  private readonly autoAdvance: boolean;
  private timers: Timer[] = [];
  private seq = 0;
  private pumping = false;

  constructor(clock: FakeClock, autoAdvance: boolean) {
    this.clock = clock;
    this.autoAdvance = autoAdvance;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Resolves once virtual time has moved `ms` forward; `signal` cancels the timer (resolving it). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = { due: this.clock.now().getTime() + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          resolve();
        },
        { once: true },
      );
      if (this.autoAdvance) void this.pump();
    });
  }

  /** Moves the clock forward by ms, firing due timers in order and letting each one's work run. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now().getTime() + ms;
    await settle();
    for (;;) {
      const t = this.timers[0];
      if (!t || t.due > target) break;
      this.timers.shift();
      if (t.due > this.clock.now().getTime()) this.clock.set(new Date(t.due));
      t.resolve();
      await settle();
    }
    if (target > this.clock.now().getTime()) this.clock.set(new Date(target));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        await settle();
        const t = this.timers.shift();
        if (!t) break;
        if (t.due > this.clock.now().getTime()) this.clock.set(new Date(t.due));
        t.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }
}
