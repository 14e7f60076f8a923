// The work queue's metrics move as client-go's do (util/workqueue queue.go, delaying_queue.go):
// adds and depth on a new dirty item only, queue duration on get, work duration on done,
// a retry per delayed add; the two in-progress gauges are read when scraped.
import { describe, expect, it } from 'vitest';
import { legacyRegistry } from '../machinery/metrics/index.js';
import { WorkQueue } from './workqueue.js';
import { FakeScheduler } from './testing/index.js';
import { FakeClock } from '../machinery/index.js';

async function sample(name: string, queue: string, metricName = name): Promise<number | undefined> {
  const got = await legacyRegistry.getSingleMetric(name)!.get();
  return got.values.find((v) => v.labels.name === queue && ((v as { metricName?: string }).metricName ?? name) === metricName)?.value;
}

describe('work queue metrics', () => {
  it('adds, depth, queue and work durations follow an item through the queue', async () => {
    const q = new WorkQueue<string>({ name: 'metrics-test-a' });
    q.add('x');
    q.add('x'); // already dirty: not an add
    q.add('y');
    expect(await sample('workqueue_adds_total', 'metrics-test-a')).toBe(2);
    expect(await sample('workqueue_depth', 'metrics-test-a')).toBe(2);
    const item = await q.get();
    expect(item).toBe('x');
    expect(await sample('workqueue_depth', 'metrics-test-a')).toBe(1);
    expect(await sample('workqueue_queue_duration_seconds', 'metrics-test-a', 'workqueue_queue_duration_seconds_count')).toBe(1);
    // Work in progress: read at scrape time.
    expect(await sample('workqueue_longest_running_processor_seconds', 'metrics-test-a')).toBeGreaterThanOrEqual(0);
    expect(await sample('workqueue_unfinished_work_seconds', 'metrics-test-a')).toBeGreaterThanOrEqual(0);
    // A histogram's series appears with its first observation.
    expect((await sample('workqueue_work_duration_seconds', 'metrics-test-a', 'workqueue_work_duration_seconds_count')) ?? 0).toBe(0);
    q.done('x');
    expect(await sample('workqueue_work_duration_seconds', 'metrics-test-a', 'workqueue_work_duration_seconds_count')).toBe(1);
    q.shutDown();
    // A shut-down queue's work in progress is no longer read.
    expect(await sample('workqueue_unfinished_work_seconds', 'metrics-test-a')).toBeUndefined();
  });

  it('an item handed straight to a waiting worker is a get too', async () => {
    const q = new WorkQueue<string>({ name: 'metrics-test-b' });
    const waiting = q.get();
    q.add('z');
    expect(await waiting).toBe('z');
    expect(await sample('workqueue_depth', 'metrics-test-b')).toBe(0);
    expect(await sample('workqueue_queue_duration_seconds', 'metrics-test-b', 'workqueue_queue_duration_seconds_count')).toBe(1);
    q.shutDown();
  });

  it('each delayed add is a retry, as upstream counts them; an add without delay is not', async () => {
    const scheduler = new FakeScheduler(new FakeClock(new Date('2026-01-01T00:00:00Z')));
    const q = new WorkQueue<string>({ name: 'metrics-test-c', scheduler });
    q.addAfter('a', 0);
    q.addRateLimited('b');
    q.addAfter('c', 1000);
    expect(await sample('workqueue_retries_total', 'metrics-test-c')).toBe(2);
    expect(await sample('workqueue_adds_total', 'metrics-test-c')).toBe(1);
    q.shutDown();
  });

  it('a queue without a name records nothing', async () => {
    const before = (await legacyRegistry.getSingleMetric('workqueue_adds_total')!.get()).values.length;
    const q = new WorkQueue<string>();
    q.add('x');
    expect((await legacyRegistry.getSingleMetric('workqueue_adds_total')!.get()).values.length).toBe(before);
    q.shutDown();
  });
});
