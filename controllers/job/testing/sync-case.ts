// The runner of syncJob table cases (upstream TestControllerSyncJob's loop): builds the Job and
// its pods, syncs once, and checks creations, deletions, patches, the status written, events
// and requeues.
import { expect } from 'vitest';
import type { EnvVar, Job, JobCondition, JobStatus, Pod, PodPhase } from '../../../api/index.js';
import { COMPLETION_INDEX_ANNOTATION, getCompletionIndex } from '../job-pods.js';
import { FakePodControl } from '../pod-control.js';
import { type JobOptions, type PodCounts, REFERENCE_TIME, TestController, at, conditionSummary, newJob, podsByPhase, podsWithIndexes } from './builders.js';

export type Cond = [type: string, status: string, reason: string, message: string];

export const MSG_BACKOFF = 'Job has reached the specified backoff limit';
export const MSG_DEADLINE = 'Job was active longer than specified deadline';
export const MSG_COMPLETIONS = 'Reached expected number of succeeded pods';
export const SCM: Cond = ['SuccessCriteriaMet', 'True', 'CompletionsReached', MSG_COMPLETIONS];
export const COMPLETE: Cond = ['Complete', 'True', 'CompletionsReached', MSG_COMPLETIONS];
export const FT_BACKOFF: Cond = ['FailureTarget', 'True', 'BackoffLimitExceeded', MSG_BACKOFF];
export const FAILED_BACKOFF: Cond = ['Failed', 'True', 'BackoffLimitExceeded', MSG_BACKOFF];
export const FT_DEADLINE: Cond = ['FailureTarget', 'True', 'DeadlineExceeded', MSG_DEADLINE];
export const FAILED_DEADLINE: Cond = ['Failed', 'True', 'DeadlineExceeded', MSG_DEADLINE];
export const SUSPENDED: Cond = ['Suspended', 'True', 'JobSuspended', 'Job suspended'];
export const RESUMED: Cond = ['Suspended', 'False', 'JobResumed', 'Job resumed'];
export const EV_COMPLETED = 'Normal Completed Job completed';
export const EV_BACKOFF = `Warning BackoffLimitExceeded ${MSG_BACKOFF}`;

export interface SyncCase {
  // job setup
  job: JobOptions;
  /** Status fields the Job starts with; startTime defaults to now when a status is given. */
  initialStatus?: JobStatus & { startTimeAgoMs?: number };
  wasSuspended?: boolean;
  backoffRecord?: { failuresAfterLastSuccess: number; lastFailureTime?: string };
  // pod setup
  podControllerError?: boolean;
  podLimit?: number;
  pods?: PodCounts;
  podsWithIndexes?: [string, PodPhase][];
  /** Any other pods. */
  podsList?: (job: Job) => Pod[];
  /** Runs after the Job and pods are in place, before the sync. */
  setup?: (t: TestController, job: Job) => void;
  /** Negative: expect deletions; positive: expect creations. */
  fakeExpectationAtCreation?: number;
  // expectations
  expectedCreations?: number;
  expectedDeletions?: number;
  expectedActive?: number;
  expectedReady?: number;
  expectedSucceeded?: number;
  expectedCompletedIdxs?: string;
  expectedFailed?: number;
  expectedTerminating?: number;
  expectedConditions?: Cond[];
  expectedCreatedIndexes?: number[];
  expectedPodPatches?: number;
  expectError?: boolean;
  expectedEvents?: string[];
  /** Delays (ms) the Job key is queued again after. */
  expectedRequeues?: number[];
}

export async function runSyncCase(tc: SyncCase) {
  const podControl = new FakePodControl({ err: tc.podControllerError ? new Error('fake error') : undefined, createLimit: tc.podLimit });
  const t = new TestController({ podControl });
  const job = newJob(tc.job);
  const key = `${job.metadata.namespace}/${job.metadata.name}`;
  if (tc.initialStatus) {
    const { startTimeAgoMs, ...status } = tc.initialStatus;
    job.status = { startTime: at(REFERENCE_TIME, -(startTimeAgoMs ?? 0)), ...status };
  }
  if (tc.wasSuspended) job.status = { ...job.status, conditions: [...(job.status?.conditions ?? []), conditionOf(SUSPENDED)] };
  if (tc.backoffRecord) {
    t.controller.podBackoffStore.updateBackoffRecord({
      key,
      failuresAfterLastSuccess: tc.backoffRecord.failuresAfterLastSuccess,
      lastFailureTime: tc.backoffRecord.lastFailureTime ? new Date(tc.backoffRecord.lastFailureTime) : undefined,
    });
  }
  if (tc.fakeExpectationAtCreation && tc.fakeExpectationAtCreation < 0) t.controller.expectations.expectDeletions(key, -tc.fakeExpectationAtCreation);
  else if (tc.fakeExpectationAtCreation) t.controller.expectations.expectCreations(key, tc.fakeExpectationAtCreation);
  t.addJob(job);
  t.addPods(podsByPhase(job, tc.pods ?? {}));
  t.addPods(podsWithIndexes(job, tc.podsWithIndexes ?? []));
  t.addPods(tc.podsList?.(job) ?? []);
  tc.setup?.(t, job);

  const err = await t.sync(job);
  return { t, job, err, podControl };
}

export function conditionOf(c: Cond): JobCondition {
  return { type: c[0] as JobCondition['type'], status: c[1] as JobCondition['status'], reason: c[2], message: c[3], lastProbeTime: REFERENCE_TIME, lastTransitionTime: REFERENCE_TIME };
}

export function checkSyncCase(tc: SyncCase, r: Awaited<ReturnType<typeof runSyncCase>>) {
  const { t, job, err, podControl } = r;
  if (tc.expectError) expect(err, 'sync error').toBeDefined();
  else expect(err, 'sync error').toBeUndefined();

  // created / deleted pods
  expect(podControl.templates.length, 'creations').toBe(tc.expectedCreations ?? 0);
  expect(podControl.controllerRefs).toHaveLength(tc.expectedCreations ?? 0);
  for (const ref of podControl.controllerRefs) {
    expect(ref).toEqual({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true });
  }
  if (tc.job.completionMode === 'Indexed') {
    const got = podControl.templates.map((p) => getCompletionIndex(p.metadata?.annotations)).sort((a, b) => a - b);
    expect(got, 'created indexes').toEqual(tc.expectedCreatedIndexes ?? []);
    for (const p of podControl.templates) {
      const ix = p.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
      expect(p.metadata?.labels?.[COMPLETION_INDEX_ANNOTATION]).toBe(ix);
      expect(p.spec.hostname).toBe(`${job.metadata.name}-${ix}`);
      expect(p.metadata?.generateName).toBe(`${job.metadata.name}-${ix}-`);
      for (const c of p.spec.containers) {
        expect(c.env).toContainEqual<EnvVar>({
          name: 'JOB_COMPLETION_INDEX',
          valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } },
        });
      }
    }
  } else {
    for (const p of podControl.templates) {
      expect(p.metadata?.generateName).toBe('');
      expect(p.spec.hostname).toBeUndefined();
      expect(p.metadata?.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(p.metadata?.labels).toEqual({ foo: 'bar' });
    }
  }
  expect(podControl.deletePodNames.length, 'deletions').toBe(tc.expectedDeletions ?? 0);
  expect(podControl.patches.length, 'pod patches').toBe(tc.expectedPodPatches ?? 0);

  // status
  const status = t.lastJob?.status;
  expect(status, 'a status was written').toBeDefined();
  const s = status as JobStatus;
  expect(s.active ?? 0, 'active').toBe(tc.expectedActive ?? 0);
  expect(s.ready, 'ready').toBe(tc.expectedReady ?? 0);
  expect(s.succeeded ?? 0, 'succeeded').toBe(tc.expectedSucceeded ?? 0);
  expect(s.completedIndexes ?? '', 'completedIndexes').toBe(tc.expectedCompletedIdxs ?? '');
  expect(s.failed ?? 0, 'failed').toBe(tc.expectedFailed ?? 0);
  expect(s.terminating, 'terminating').toBe(tc.expectedTerminating ?? 0);
  if (tc.job.suspend) expect(s.startTime, 'startTime while suspended').toBeUndefined();
  else expect(s.startTime, 'startTime').toBeDefined();
  expect(conditionSummary(s.conditions), 'conditions').toEqual(tc.expectedConditions ?? []);
  const complete = s.conditions?.find((c) => c.type === 'Complete');
  expect(s.completionTime).toBe(complete?.lastTransitionTime);
  if (tc.expectedEvents) expect(t.recorder.events).toEqual(tc.expectedEvents);
  if (tc.expectedRequeues) expect(t.requeueDelays(job)).toEqual(tc.expectedRequeues);
}

