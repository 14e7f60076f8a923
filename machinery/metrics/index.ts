// Metrics as upstream's component-base keeps them: one registry for the whole process
// (legacyregistry), families defined once by the package that records them and registered on
// first use, served in the Prometheus text format by the API server's /metrics. prom-client
// counts and formats; this entry only names the registry and upstream's bucket helpers.
// Not in machinery's barrel: only the parts that record metrics load prom-client.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

/** The process's registry (upstream: k8s.io/component-base/metrics/legacyregistry). */
export const legacyRegistry = new Registry();

let processMetrics = false;

/**
 * process_* and nodejs_* in the registry, once per process: prom-client's default collectors
 * (CPU, memory, open and max fds, start time, event-loop lag, heap, GC, handles), as upstream's
 * components serve process_* and go_*. Their labels are resource types, heap spaces and the Node
 * version, nothing from requests or configuration.
 */
export function registerProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: legacyRegistry });
}

/** prometheus.ExponentialBuckets: count buckets, the first `start`, each `factor` times the last. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * A family defined on first use and kept: tests and several servers in one process share it,
 * as upstream's metrics package vars are shared (its Register runs once, sync.Once).
 */
export function lazyMetric<T>(make: (registry: Registry) => T): () => T {
  let metric: T | undefined;
  return () => (metric ??= make(legacyRegistry));
}

/** Seconds since a performance.now() reading. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
