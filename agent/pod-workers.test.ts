import { describe, expect, it } from 'vitest';
import { FakeScheduler } from '../client/testing/index.js';
import { FakeClock } from '../machinery/index.js';
import { settle } from './runtime/testing/index.js';
import { PodWorkers, type PodSyncResult } from './pod-workers.js';

describe('PodWorkers', () => {
  it('never runs two syncs of one pod at once, and a request during a sync runs once after it', async () => {
    const scheduler = new FakeScheduler(new FakeClock());
    let running = 0;
    let maxRunning = 0;
    const calls: string[] = [];
    const gates: (() => void)[] = [];
    const workers = new PodWorkers({
      scheduler,
      sync: async (uid) => {
        calls.push(uid);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return {};
      },
    });
    workers.requestSync('a');
    workers.requestSync('a');
    workers.requestSync('a');
    workers.requestSync('b');
    await settle();
    expect(calls).toEqual(['a', 'b']);
    gates.shift()!();
    await settle();
    expect(calls).toEqual(['a', 'b', 'a']); // the three requests made during the first collapse into one
    gates.shift()!();
    gates.shift()!();
    await workers.idle();
    expect(maxRunning).toBe(2); // two pods in parallel, never two of one pod
  });

  it('requeues after the delay a sync asks for (the earliest wins), retries failures after the back-off, forgets done pods', async () => {
    const scheduler = new FakeScheduler(new FakeClock());
    const results: PodSyncResult[] = [{ requeueAfterMs: 10_000 }, {}, {}];
    let n = 0;
    const workers = new PodWorkers({
      scheduler,
      errorBackoffMs: 5_000,
      sync: async () => {
        n++;
        if (n === 2) throw new Error('boom');
        if (n === 4) return { done: true };
        return results[n - 1] ?? {};
      },
    });
    workers.requestSync('a');
    await workers.idle();
    expect(n).toBe(1);
    workers.requestSync('a', 20_000);
    expect(scheduler.pendingDelays()).toEqual([10_000]);
    scheduler.step(10_000);
    await workers.idle();
    expect(n).toBe(2); // threw: retried after 5 s
    scheduler.step(5_000);
    await workers.idle();
    expect(n).toBe(3);
    workers.requestSync('a');
    await workers.idle();
    expect(n).toBe(4);
    expect(workers.has('a')).toBe(false);
  });
});
