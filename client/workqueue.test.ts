import { describe, expect, it } from 'vitest';
import { FakeClock } from '../machinery/index.js';
import { FakeScheduler } from './testing/index.js';
import { ItemExponentialFailureRateLimiter, WorkQueue } from './workqueue.js';

function newQueue(limiter?: ItemExponentialFailureRateLimiter<string>) {
  const scheduler = new FakeScheduler(new FakeClock('2026-01-01T00:00:00Z'));
  const queue = new WorkQueue<string>({ scheduler, rateLimiter: limiter });
  return { queue, scheduler };
}

/** Resolves what a pending get() resolved to, or 'pending' if it has not. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('WorkQueue basics', () => {
  it('hands items out in FIFO order and de-duplicates queued items', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');

    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('never gives one item to two workers; a re-add while processing requeues on done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a'); // dirty again while processing

    const second = queue.get();
    expect(await peek(second)).toBe('pending'); // not handed out while 'a' is processing
    expect(queue.len()).toBe(0);

    queue.done(first as string);
    expect(await second).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('collapses several re-adds during processing into one', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    queue.add('a');
    queue.add('a');
    queue.done('a');

    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('blocks get() until an item arrives, serving waiters in order', async () => {
    const { queue } = newQueue();
    const g1 = queue.get();
    const g2 = queue.get();
    expect(await peek(g1)).toBe('pending');

    queue.add('x');
    queue.add('y');

    expect(await g1).toBe('x');
    expect(await g2).toBe('y');
    expect(queue.processingCount()).toBe(2);
  });

  it('on shutDown refuses new items, still drains queued ones, then resolves undefined', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const blocked = newQueue().queue; // a second queue with a blocked getter
    const waiting = blocked.get();

    queue.shutDown();
    queue.add('b');
    blocked.shutDown();

    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBeUndefined();
    expect(await waiting).toBeUndefined();
  });

  it('shutDownWithDrain waits for items being processed', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const item = (await queue.get()) as string;
    let drained = false;
    const d = queue.shutDownWithDrain().then(() => (drained = true));

    await peek(d);
    expect(drained).toBe(false);
    queue.done(item);
    await d;
    expect(drained).toBe(true);
  });
});

describe('WorkQueue.addAfter', () => {
  it('adds the item once its delay has passed on the scheduler clock', async () => {
    const { queue, scheduler } = newQueue();
    queue.addAfter('a', 1000);

    scheduler.step(999);
    expect(queue.len()).toBe(0);
    scheduler.step(1);
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
  });

  it('keeps the earliest time when the same item is delayed twice', () => {
    const { queue, scheduler } = newQueue();
    queue.addAfter('a', 5000);
    queue.addAfter('a', 1000);
    queue.addAfter('a', 3000);

    expect(queue.waitingItems()).toEqual([{ item: 'a', delayMs: 1000 }]);
    scheduler.step(1000);
    expect(queue.len()).toBe(1);
    expect(queue.waitingItems()).toEqual([]);
  });

  it('fires several delayed items in due order', async () => {
    const { queue, scheduler } = newQueue();
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('mid', 200);

    scheduler.step(300);

    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['early', 'mid', 'late']);
  });

  it('adds at once for a zero or negative delay', () => {
    const { queue } = newQueue();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    expect(queue.len()).toBe(2);
  });

  it('drops delayed items on shutDown', () => {
    const { queue, scheduler } = newQueue();
    queue.addAfter('a', 100);
    queue.shutDown();
    scheduler.step(1000);
    expect(queue.len()).toBe(0);
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

describe('WorkQueue rate limiting', () => {
  it('backs off per item exponentially from 5 ms, capped at 1000 s, until forgotten', () => {
    const { queue, scheduler } = newQueue();
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      queue.addRateLimited('a');
      delays.push(queue.waitingItems()[0].delayMs);
      scheduler.step(delays[i]);
      queue.get();
      queue.done('a');
    }

    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(5 * 2 ** 17);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
    expect(queue.numRequeues('a')).toBe(20);

    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
    queue.addRateLimited('a');
    expect(queue.waitingItems()[0].delayMs).toBe(5);
  });

  it('tracks items independently and takes a configured base and cap', () => {
    const { queue } = newQueue(new ItemExponentialFailureRateLimiter(1000, 60_000));
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.addRateLimited('b');

    expect(queue.numRequeues('a')).toBe(2);
    expect(queue.numRequeues('b')).toBe(1);
    expect(queue.waitingItems()).toEqual([
      { item: 'a', delayMs: 1000 }, // the earlier of 1000 and 2000
      { item: 'b', delayMs: 1000 },
    ]);
    const limiter = new ItemExponentialFailureRateLimiter<string>(1000, 60_000);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => limiter.when('x'))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });
});
