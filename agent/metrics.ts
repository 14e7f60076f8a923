// The kubelet's metrics with upstream's names and buckets (pkg/kubelet/metrics): so far
// kubelet_pod_start_duration_seconds, from the kubelet first seeing a pod to its status first
// saying Running. Registered on first use.
import { Histogram, lazyMetric, secondsSince } from '../machinery/metrics/index.js';

const podStartDuration = lazyMetric(
  (registry) =>
    new Histogram({
      name: 'kubelet_pod_start_duration_seconds',
      help: 'Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
      buckets: [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600],
      registers: [registry],
    }),
);

/** Defines the family, so a scrape lists it before the first pod. */
export function registerKubeletMetrics(): void {
  podStartDuration();
}

/**
 * A pod's status says Running (upstream's SyncPod: Pending to Running): its start is recorded once,
 * from `firstSeenMs` (performance.now() when the kubelet first saw it Pending). Returns what to
 * keep: undefined, so the next Running status records nothing.
 */
export function recordPodStart(firstSeenMs: number | undefined): undefined {
  if (firstSeenMs !== undefined) podStartDuration().observe(secondsSince(firstSeenMs));
  return undefined;
}
