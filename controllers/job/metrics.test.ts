// The Job controller's metrics move as upstream's do (pkg/controller/job/metrics and the
// records in job_controller.go): one sync counted per syncJob with its action and result,
// finished Jobs by reason, finished pods once their status counts them.
import { describe, expect, it } from 'vitest';
import { legacyRegistry } from '../../machinery/metrics/index.js';
import { registerJobControllerMetrics } from './metrics.js';
import { runSyncCase } from './testing/sync-case.js';
import { newPod } from './testing/builders.js';

// The controller defines its families when it is made; the first probe may come before.
registerJobControllerMetrics();

type Labels = Record<string, string>;

/** The value of a counter or a histogram's _count with exactly these labels (0 if absent). */
async function valueOf(name: string, labels: Labels, sample = name): Promise<number> {
  const metric = legacyRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const got = await metric.get();
  const hit = got.values.find(
    (v) => ((v as { metricName?: string }).metricName ?? name) === sample && Object.entries(labels).every(([k, x]) => v.labels[k] === x) && Object.keys(v.labels).filter((k) => k !== 'le').length === Object.keys(labels).length,
  );
  return hit?.value ?? 0;
}

async function delta(f: () => Promise<unknown>, probes: [name: string, labels: Labels, sample?: string][]): Promise<number[]> {
  const before = await Promise.all(probes.map(([n, l, s]) => valueOf(n, l, s)));
  await f();
  const after = await Promise.all(probes.map(([n, l, s]) => valueOf(n, l, s)));
  return after.map((a, i) => a - before[i]!);
}

const SYNCS = 'job_controller_job_syncs_total';
const DURATION = 'job_controller_job_sync_duration_seconds';
const POLICY = 'job_controller_pod_failures_handled_by_failure_policy_total';

describe('job controller metrics', () => {
  it('a sync that creates pods: one sync, action pods_created, result success, one duration sample', async () => {
    const labels = { completion_mode: 'NonIndexed', result: 'success', action: 'pods_created' };
    const d = await delta(
      async () => {
        const r = await runSyncCase({ job: { parallelism: 2, completions: 5 } });
        expect(r.podControl.templates).toHaveLength(2);
      },
      [
        [SYNCS, labels],
        [DURATION, labels, `${DURATION}_count`],
      ],
    );
    expect(d).toEqual([1, 1]);
  });

  it('a sync with nothing to do is tracking; one waiting for expectations is reconciling', async () => {
    const tracking = { completion_mode: 'NonIndexed', result: 'success', action: 'tracking' };
    const reconciling = { completion_mode: 'NonIndexed', result: 'success', action: 'reconciling' };
    expect(await delta(() => runSyncCase({ job: { parallelism: 2, completions: 5 }, pods: { active: 2 } }), [[SYNCS, tracking]])).toEqual([1]);
    expect(await delta(() => runSyncCase({ job: { parallelism: 2, completions: 5 }, fakeExpectationAtCreation: 2 }), [[SYNCS, reconciling]])).toEqual([1]);
  });

  it('a failing pod creation is counted with result error', async () => {
    const labels = { completion_mode: 'Indexed', result: 'error', action: 'pods_created' };
    const d = await delta(async () => {
      const r = await runSyncCase({ job: { parallelism: 2, completions: 5, completionMode: 'Indexed' }, podControllerError: true });
      expect(r.err).toBeDefined();
    }, [[SYNCS, labels]]);
    expect(d).toEqual([1]);
  });

  it('a Job whose pods all succeeded: finished once with its reason, its pods counted as they enter status', async () => {
    const d = await delta(
      async () => {
        const r = await runSyncCase({ job: { parallelism: 3, completions: 3 }, pods: { succeeded: 3 } });
        expect(r.t.lastJob?.status?.succeeded).toBe(3);
      },
      [
        ['job_controller_jobs_finished_total', { completion_mode: 'NonIndexed', result: 'succeeded', reason: 'CompletionsReached' }],
        ['job_controller_job_pods_finished_total', { completion_mode: 'NonIndexed', result: 'succeeded' }],
        ['job_controller_job_pods_finished_total', { completion_mode: 'NonIndexed', result: 'failed' }],
      ],
    );
    expect(d).toEqual([1, 3, 0]);
  });

  it('failed pods a pod failure policy rule matched are counted by the rule\'s action', async () => {
    const d = await delta(
      () =>
        runSyncCase({
          job: {
            parallelism: 2,
            completions: 4,
            podFailurePolicy: {
              rules: [
                { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } },
                { action: 'Count', onExitCodes: { operator: 'In', values: [4] } },
              ],
            },
          },
          podsList: (job) => [newPod(job, { phase: 'Failed', exitCode: 3 }), newPod(job, { phase: 'Failed', exitCode: 3 }), newPod(job, { phase: 'Failed', exitCode: 4 }), newPod(job, { phase: 'Failed', exitCode: 5 })],
        }),
      [
        [POLICY, { action: 'Ignore' }],
        [POLICY, { action: 'Count' }],
        [POLICY, { action: 'FailJob' }],
      ],
    );
    expect(d).toEqual([2, 1, 0]);
  });

  it('a Job failed by its backoff limit: finished with result failed and reason BackoffLimitExceeded', async () => {
    const d = await delta(
      () => runSyncCase({ job: { parallelism: 1, completions: 3, backoffLimit: 0 }, pods: { failed: 1 } }),
      [
        ['job_controller_jobs_finished_total', { completion_mode: 'NonIndexed', result: 'failed', reason: 'BackoffLimitExceeded' }],
        ['job_controller_job_pods_finished_total', { completion_mode: 'NonIndexed', result: 'failed' }],
      ],
    );
    expect(d).toEqual([1, 1]);
  });
});
