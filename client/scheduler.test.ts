import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, RealScheduler } from './scheduler.js';

const DAY = 24 * 60 * 60 * 1000;

describe('RealScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-05-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits the whole of a delay longer than Node’s timers take (a monthly CronJob’s next run)', async () => {
    const scheduler = new RealScheduler();
    const fired: string[] = [];
    scheduler.setTimer(() => fired.push(new Date().toISOString()), 30 * DAY);
    expect(30 * DAY).toBeGreaterThan(MAX_TIMER_MS);
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(fired).toEqual(['2026-05-31T00:00:00.000Z']);
  });

  it('cancels a long timer in any of its steps, and sleeps as long as asked', async () => {
    const scheduler = new RealScheduler();
    const fired: number[] = [];
    const handle = scheduler.setTimer(() => fired.push(1), 40 * DAY);
    await vi.advanceTimersByTimeAsync(26 * DAY);
    scheduler.clearTimer(handle);
    await vi.advanceTimersByTimeAsync(20 * DAY);
    expect(fired).toEqual([]);
    let woke = false;
    void scheduler.sleep(27 * DAY).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(26 * DAY);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(woke).toBe(true);
  });
});
