import { describe, expect, it } from 'vitest';
import { FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { TimerHeap } from './timer-heap.js';

describe('TimerHeap', () => {
  it('fires many timers in due order on one platform timer; set replaces, cancel drops', () => {
    const scheduler = new FakeScheduler(new FakeClock('2026-01-01T00:00:00Z'));
    const heap = new TimerHeap(scheduler);
    const t0 = scheduler.now().getTime();
    const fired: string[] = [];
    const order = [50, 10, 40, 20, 30, 15, 60];
    order.forEach((ms, i) => heap.set(`k${i}`, t0 + ms, () => fired.push(`k${i}@${scheduler.now().getTime() - t0}`)));
    expect(scheduler.pendingDelays()).toEqual([10]);
    heap.set('k6', t0 + 5, () => fired.push('k6-replaced'));
    heap.cancel('k4');
    expect(heap.size).toBe(6);
    scheduler.step(100);
    expect(fired).toEqual(['k6-replaced', 'k1@10', 'k5@15', 'k3@20', 'k2@40', 'k0@50']);
    expect(heap.size).toBe(0);
    expect(scheduler.pendingDelays()).toEqual([]);
  });

  it('a timer set from a firing one runs too; stop drops everything', () => {
    const scheduler = new FakeScheduler(new FakeClock('2026-01-01T00:00:00Z'));
    const heap = new TimerHeap(scheduler);
    const t0 = scheduler.now().getTime();
    let n = 0;
    heap.set('a', t0 + 10, () => heap.set('a', t0 + 20, () => n++));
    scheduler.step(30);
    expect(n).toBe(1);
    heap.set('b', t0 + 100, () => n++);
    heap.stop();
    scheduler.step(200);
    expect(n).toBe(1);
  });
});
