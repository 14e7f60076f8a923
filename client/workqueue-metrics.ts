// client-go's work queue metrics (util/workqueue/metrics.go with component-base's provider), with
// upstream's names, help and buckets, labelled by the queue's name: depth, adds, queue and work
// durations, retries, and the two gauges of work in progress, which are computed when scraped
// (upstream updates them every 500 ms). A queue without a name records nothing, as upstream's.
import { Counter, Gauge, Histogram, exponentialBuckets, lazyMetric } from '../machinery/metrics/index.js';

/** Upstream's buckets for both durations: 10 ns to 10 s. */
const DURATION_BUCKETS = exponentialBuckets(10e-9, 10, 10);

/** Queues whose work in progress the two gauges read at scrape time. */
const live = new Set<QueueMetrics<unknown>>();

const families = lazyMetric((registry) => {
  const registers = [registry];
  const labelNames = ['name'];
  return {
    depth: new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames, registers }),
    adds: new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames, registers }),
    latency: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    unfinished: new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help:
        "How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
      labelNames,
      registers,
      collect() {
        this.reset();
        const now = performance.now();
        const byName = new Map<string, number>();
        for (const q of live) byName.set(q.name, (byName.get(q.name) ?? 0) + q.unfinishedSeconds(now));
        for (const [name, v] of byName) this.set({ name }, v);
      },
    }),
    longestRunning: new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames,
      registers,
      collect() {
        this.reset();
        const now = performance.now();
        const byName = new Map<string, number>();
        for (const q of live) byName.set(q.name, Math.max(byName.get(q.name) ?? 0, q.longestRunningSeconds(now)));
        for (const [name, v] of byName) this.set({ name }, v);
      },
    }),
    retries: new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames, registers }),
  };
});

/** One queue's metrics (client-go defaultQueueMetrics): the WorkQueue calls these as client-go's Type does. */
export class QueueMetrics<T> {
  readonly name: string;
  private readonly depth: { inc(): void; dec(): void };
  private readonly adds: { inc(): void };
  private readonly latency: { observe(v: number): void };
  private readonly workDuration: { observe(v: number): void };
  private readonly retries: { inc(): void };
  /** When each dirty item was first added; when each item handed out was taken (performance.now()). */
  private readonly addTimes = new Map<T, number>();
  private readonly processingStartTimes = new Map<T, number>();

  constructor(name: string) {
    this.name = name;
    const f = families();
    this.depth = f.depth.labels(name);
    this.adds = f.adds.labels(name);
    this.latency = f.latency.labels(name);
    this.workDuration = f.workDuration.labels(name);
    this.retries = f.retries.labels(name);
    live.add(this as QueueMetrics<unknown>);
  }

  add(item: T): void {
    this.adds.inc();
    this.depth.inc();
    if (!this.addTimes.has(item)) this.addTimes.set(item, performance.now());
  }

  get(item: T): void {
    this.depth.dec();
    const now = performance.now();
    this.processingStartTimes.set(item, now);
    const added = this.addTimes.get(item);
    if (added !== undefined) {
      this.latency.observe((now - added) / 1000);
      this.addTimes.delete(item);
    }
  }

  done(item: T): void {
    const started = this.processingStartTimes.get(item);
    if (started === undefined) return;
    this.workDuration.observe((performance.now() - started) / 1000);
    this.processingStartTimes.delete(item);
  }

  retry(): void {
    this.retries.inc();
  }

  /** The queue shut down: its work in progress is no longer read. */
  shutDown(): void {
    live.delete(this as QueueMetrics<unknown>);
  }

  unfinishedSeconds(now: number): number {
    let total = 0;
    for (const t of this.processingStartTimes.values()) total += now - t;
    return total / 1000;
  }

  longestRunningSeconds(now: number): number {
    let oldest = now;
    for (const t of this.processingStartTimes.values()) if (t < oldest) oldest = t;
    return (now - oldest) / 1000;
  }
}
