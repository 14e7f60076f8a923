// The Job controller's metrics, with upstream's names, labels and buckets
// (pkg/controller/job/metrics): syncs by completion mode, result and action, finished Jobs by
// reason, and finished pods once tracked in status. Registered on first use.
import { Counter, Histogram, exponentialBuckets, lazyMetric, secondsSince } from '../../machinery/metrics/index.js';

/** The "action" label of a sync (upstream JobSyncAction*). */
export type JobSyncAction = 'reconciling' | 'tracking' | 'pods_created' | 'pods_deleted';

const families = lazyMetric((registry) => {
  const registers = [registry];
  return {
    syncDuration: new Histogram({
      name: 'job_controller_job_sync_duration_seconds',
      help: 'The time it took to sync a job',
      labelNames: ['completion_mode', 'result', 'action'],
      buckets: exponentialBuckets(0.004, 2, 15),
      registers,
    }),
    syncs: new Counter({ name: 'job_controller_job_syncs_total', help: 'The number of job syncs', labelNames: ['completion_mode', 'result', 'action'], registers }),
    finished: new Counter({ name: 'job_controller_jobs_finished_total', help: 'The number of finished jobs', labelNames: ['completion_mode', 'result', 'reason'], registers }),
    podFailuresByPolicy: new Counter({
      name: 'job_controller_pod_failures_handled_by_failure_policy_total',
      help:
        'The number of failed Pods handled by failure policy with respect to the failure policy action applied based on the matched rule. Possible values of the action label correspond to the possible values for the failure policy rule action, which are: "FailJob", "Ignore" and "Count".',
      labelNames: ['action'],
      registers,
    }),
    podsFinished: new Counter({
      name: 'job_controller_job_pods_finished_total',
      help: 'The number of finished Pods that are fully tracked',
      labelNames: ['completion_mode', 'result'],
      registers,
    }),
  };
});

/** Defines the families, so a scrape lists them before the first Job. */
export function registerJobControllerMetrics(): void {
  families();
}

function completionModeOf(job: { spec: { completionMode?: string } }): string {
  return job.spec.completionMode === 'Indexed' ? 'Indexed' : 'NonIndexed';
}

/** One sync of an unfinished Job, started at `startMs` (performance.now()). */
export function recordJobSync(job: { spec: { completionMode?: string } }, failed: boolean, action: JobSyncAction, startMs: number): void {
  const labels = { completion_mode: completionModeOf(job), result: failed ? 'error' : 'success', action };
  const f = families();
  f.syncDuration.observe(labels, secondsSince(startMs));
  f.syncs.inc(labels);
}

/** A Job's Complete or Failed condition was written (upstream recordJobFinished). */
export function recordJobFinishedMetric(job: { spec: { completionMode?: string } }, complete: boolean, reason: string): void {
  families().finished.inc({ completion_mode: completionModeOf(job), result: complete ? 'succeeded' : 'failed', reason });
}

/** Failed pods a pod failure policy rule matched, by its action (upstream recordJobPodsFailedByAction). */
export function recordPodFailuresByPolicy(byAction: Map<string, number>): void {
  const f = families();
  for (const [action, n] of byAction) f.podFailuresByPolicy.inc({ action }, n);
}

/** Pods newly counted in status.succeeded / status.failed (upstream recordJobPodFinished). */
export function recordJobPodsFinished(job: { spec: { completionMode?: string } }, succeeded: number, failed: number): void {
  const f = families();
  const completion_mode = completionModeOf(job);
  if (succeeded > 0) f.podsFinished.inc({ completion_mode, result: 'succeeded' }, succeeded);
  if (failed > 0) f.podsFinished.inc({ completion_mode, result: 'failed' }, failed);
}
