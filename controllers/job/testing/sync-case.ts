// The runner of syncJob table cases (upstream TestControllerSyncJob's loop): builds the Job and
// its pods and syncs once; sync-job.test.ts checks creations, deletions, patches, the status
// written, events and requeues. (No vitest import here: this folder is part of the build.)
import type { Job, JobCondition, JobStatus, Pod, PodPhase } from '../../../api/index.js';
import { FakePodControl } from '../pod-control.js';
import { type JobOptions, type PodCounts, REFERENCE_TIME, TestController, at, newJob, podsByPhase, podsWithIndexes } from './builders.js';

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


