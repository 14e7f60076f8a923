// Table-driven syncJob tests in the style of upstream's job_controller_test.go (cases named after
// upstream's, expectations recomputed for v1.31+ with every gate on: two-step finishing
// conditions, terminating pods tracked, CompletionsReached reasons).
import { describe, expect, it } from 'vitest';
import type { JobStatus, PodPhase } from '../../api/index.js';
import { rfc3339 } from '../../machinery/index.js';
import { type JobOptions, REFERENCE_TIME, TestController, at, conditionSummary, newJob, newPod, podsByPhase } from './testing/builders.js';
import {
  COMPLETE,
  type Cond,
  EV_BACKOFF,
  EV_COMPLETED,
  FAILED_BACKOFF,
  FAILED_DEADLINE,
  FT_BACKOFF,
  FT_DEADLINE,
  MSG_DEADLINE,
  RESUMED,
  SCM,
  SUSPENDED,
  type SyncCase,
  checkSyncCase,
  conditionOf,
  runSyncCase,
} from './testing/sync-case.js';

const controllerSyncCases: Record<string, SyncCase> = {
  'job start': { job: { parallelism: 2, completions: 5 }, expectedCreations: 2, expectedActive: 2 },
  'WQ job start': { job: { parallelism: 2, completions: null }, expectedCreations: 2, expectedActive: 2 },
  'pending pods': { job: { parallelism: 2, completions: 5 }, pods: { pending: 2 }, expectedActive: 2 },
  'correct # of pods': { job: { parallelism: 3, completions: 5 }, pods: { active: 3, ready: 2 }, expectedActive: 3, expectedReady: 2 },
  'WQ job: correct # of pods': { job: { parallelism: 2, completions: null }, pods: { active: 2 }, expectedActive: 2 },
  'too few active pods': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 1, succeeded: 1 },
    expectedCreations: 1,
    expectedActive: 2,
    expectedSucceeded: 1,
    expectedPodPatches: 1,
  },
  'WQ job: recreate pods when failed': {
    job: { parallelism: 1, completions: null, podReplacementPolicy: 'Failed' },
    pods: { active: 1, failed: 1, terminating: 1 },
    // Removes the finalizer of the failed pod; the terminating one holds its slot.
    expectedPodPatches: 1,
    expectedFailed: 1,
    expectedActive: 1,
    expectedTerminating: 1,
  },
  'WQ job: turn on PodReplacementPolicy but not set PodReplacementPolicy': {
    job: { parallelism: 1, completions: 1 },
    pods: { active: 1, failed: 1, terminating: 1 },
    expectedTerminating: 1,
    expectedActive: 1,
    expectedPodPatches: 2,
    expectedFailed: 2,
  },
  'WQ job: recreate pods when terminating or failed': {
    job: { parallelism: 1, completions: null, podReplacementPolicy: 'TerminatingOrFailed' },
    pods: { active: 1, failed: 1, terminating: 1 },
    expectedTerminating: 1,
    expectedActive: 1,
    expectedPodPatches: 2,
    expectedFailed: 2,
  },
  'more terminating pods than parallelism': {
    job: { parallelism: 1, completions: 1, podReplacementPolicy: 'Failed' },
    pods: { active: 2, terminating: 4 },
    expectedTerminating: 5,
    expectedActive: 1,
    expectedDeletions: 1,
    expectedPodPatches: 1,
  },
  'more terminating pods than parallelism; PodFailurePolicy used': {
    // kubernetes#122235
    job: { parallelism: 1, completions: 1, podFailurePolicy: { rules: [] } },
    pods: { active: 2, terminating: 4 },
    expectedTerminating: 5,
    expectedActive: 1,
    expectedDeletions: 1,
    expectedPodPatches: 1,
  },
  'too few active pods and active back-off': {
    job: { parallelism: 1, completions: 1 },
    backoffRecord: { failuresAfterLastSuccess: 1, lastFailureTime: REFERENCE_TIME },
    initialStatus: {},
    expectedRequeues: [10_000],
  },
  'too few active pods and active back-off, with a running pod': {
    // kubernetes#139457: the real active count is kept while creation waits.
    job: { parallelism: 2, completions: 2 },
    backoffRecord: { failuresAfterLastSuccess: 2, lastFailureTime: at(REFERENCE_TIME, -5_000) },
    initialStatus: {},
    pods: { active: 1, ready: 1 },
    expectedActive: 1,
    expectedReady: 1,
    expectedRequeues: [15_000],
  },
  'too few active pods and no back-offs': {
    job: { parallelism: 1, completions: 1 },
    backoffRecord: { failuresAfterLastSuccess: 0, lastFailureTime: REFERENCE_TIME },
    expectedCreations: 1,
    expectedActive: 1,
  },
  'too few active pods with a dynamic job': { job: { parallelism: 2, completions: null }, pods: { active: 1 }, expectedCreations: 1, expectedActive: 2 },
  'too few active pods, with controller error': {
    job: { parallelism: 2, completions: 5 },
    podControllerError: true,
    pods: { active: 1, succeeded: 1 },
    expectedCreations: 1,
    expectedActive: 1,
    expectedSucceeded: 0,
    expectedPodPatches: 1,
    expectError: true,
  },
  'too many active pods': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 3 },
    expectedDeletions: 1,
    expectedActive: 2,
    expectedPodPatches: 1,
    expectedTerminating: 1,
  },
  'too many active pods, with controller error': {
    job: { parallelism: 2, completions: 5 },
    podControllerError: true,
    pods: { active: 3 },
    expectedDeletions: 0,
    expectedPodPatches: 1,
    expectedActive: 3,
    expectError: true,
  },
  'count ready pods when too many active pods': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 3, ready: 3 },
    expectedDeletions: 1,
    expectedActive: 2,
    expectedPodPatches: 1,
    expectedReady: 2,
    expectedTerminating: 1,
  },
  'failed + succeed pods: reset backoff delay': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 1, succeeded: 1, failed: 1 },
    expectedCreations: 1,
    expectedActive: 2,
    expectedSucceeded: 1,
    expectedFailed: 1,
    expectedPodPatches: 2,
  },
  'new failed pod': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 1, failed: 1 },
    expectedCreations: 1,
    expectedActive: 2,
    expectedFailed: 1,
    expectedPodPatches: 1,
  },
  'no new pod; possible finalizer update of failed pod': {
    job: { parallelism: 1, completions: 1 },
    initialStatus: { active: 1, succeeded: 0, failed: 1 },
    pods: { active: 1 },
    expectedActive: 1,
    expectedFailed: 1,
  },
  'only new failed pod with controller error': {
    job: { parallelism: 2, completions: 5 },
    podControllerError: true,
    pods: { active: 1, failed: 1 },
    expectedCreations: 1,
    expectedActive: 1,
    expectedFailed: 0,
    expectedPodPatches: 1,
    expectError: true,
  },
  'job finish': {
    job: { parallelism: 2, completions: 5 },
    pods: { succeeded: 5 },
    expectedSucceeded: 5,
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 5,
    expectedEvents: [EV_COMPLETED],
  },
  'WQ job finishing': {
    job: { parallelism: 2, completions: null },
    pods: { active: 1, succeeded: 1 },
    expectedActive: 1,
    expectedSucceeded: 1,
    expectedPodPatches: 1,
  },
  'WQ job all finished': {
    job: { parallelism: 2, completions: null },
    pods: { succeeded: 2 },
    expectedSucceeded: 2,
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 2,
  },
  'WQ job all finished despite one failure': {
    job: { parallelism: 2, completions: null },
    pods: { succeeded: 1, failed: 1 },
    expectedSucceeded: 1,
    expectedFailed: 1,
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 2,
  },
  'more active pods than parallelism': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 10 },
    expectedDeletions: 8,
    expectedActive: 2,
    expectedPodPatches: 8,
    expectedTerminating: 8,
  },
  'more active pods than remaining completions': {
    job: { parallelism: 3, completions: 4 },
    pods: { active: 3, succeeded: 2 },
    expectedDeletions: 1,
    expectedActive: 2,
    expectedSucceeded: 2,
    expectedPodPatches: 3,
    expectedTerminating: 1,
  },
  'status change': {
    job: { parallelism: 2, completions: 5 },
    pods: { active: 2, succeeded: 2 },
    expectedActive: 2,
    expectedSucceeded: 2,
    expectedPodPatches: 2,
  },
  'deleting job': {
    job: { parallelism: 2, completions: 5, deleting: true },
    pods: { pending: 1, active: 1, succeeded: 1 },
    expectedActive: 2,
    expectedSucceeded: 1,
    expectedPodPatches: 3,
  },
  'limited pods': {
    job: { parallelism: 100, completions: 200 },
    podLimit: 10,
    expectedCreations: 10,
    expectedActive: 10,
    expectError: true,
  },
  'too many job failures': {
    job: { parallelism: 2, completions: 5, deleting: true, backoffLimit: 0 },
    pods: { failed: 1 },
    expectedFailed: 1,
    expectedConditions: [FT_BACKOFF, FAILED_BACKOFF],
    expectedPodPatches: 1,
    expectedEvents: [EV_BACKOFF],
  },
  'job failures, unsatisfied expectations': {
    job: { parallelism: 2, completions: 5, deleting: true, backoffLimit: 0 },
    pods: { failed: 1 },
    fakeExpectationAtCreation: 1,
    expectedFailed: 1,
    expectedPodPatches: 1,
  },
  'indexed job start': {
    job: { parallelism: 2, completions: 5, completionMode: 'Indexed' },
    expectedCreations: 2,
    expectedActive: 2,
    expectedCreatedIndexes: [0, 1],
  },
  'indexed job with some pods deleted, podReplacementPolicy Failed': {
    job: { parallelism: 2, completions: 5, completionMode: 'Indexed', podReplacementPolicy: 'Failed' },
    pods: { terminating: 1 },
    expectedCreations: 1,
    expectedActive: 1,
    expectedCreatedIndexes: [0],
    expectedTerminating: 1,
  },
  'indexed job with some pods deleted, podReplacementPolicy TerminatingOrFailed': {
    job: { parallelism: 2, completions: 5, completionMode: 'Indexed', podReplacementPolicy: 'TerminatingOrFailed' },
    pods: { terminating: 1 },
    expectedCreations: 2,
    expectedActive: 2,
    expectedCreatedIndexes: [0, 1],
    expectedTerminating: 1,
    expectedPodPatches: 1,
  },
  'indexed job completed': {
    job: { parallelism: 2, completions: 3, completionMode: 'Indexed' },
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Failed'],
      ['1', 'Succeeded'],
      ['2', 'Succeeded'],
    ],
    expectedSucceeded: 3,
    expectedFailed: 1,
    expectedCompletedIdxs: '0-2',
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 4,
  },
  'indexed job failed': {
    job: { parallelism: 2, completions: 3, completionMode: 'Indexed', backoffLimit: 0 },
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Failed'],
      ['2', 'Running'],
    ],
    expectedSucceeded: 1,
    expectedFailed: 2,
    expectedCompletedIdxs: '0',
    // Failed follows once the deleted pod is gone.
    expectedConditions: [FT_BACKOFF],
    expectedPodPatches: 3,
    expectedDeletions: 1,
    expectedTerminating: 1,
    expectedEvents: [],
  },
  'count ready pods when job fails': {
    job: { parallelism: 2, completions: 3, backoffLimit: 0 },
    pods: { active: 2, ready: 2, failed: 1 },
    expectedFailed: 3,
    expectedConditions: [FT_BACKOFF],
    expectedPodPatches: 3,
    expectedDeletions: 2,
    expectedTerminating: 2,
  },
  'indexed job repeated completed index': {
    job: { parallelism: 2, completions: 3, completionMode: 'Indexed' },
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Succeeded'],
      ['1', 'Succeeded'],
    ],
    expectedCreations: 1,
    expectedActive: 1,
    expectedSucceeded: 2,
    expectedCompletedIdxs: '0,1',
    expectedCreatedIndexes: [2],
    expectedPodPatches: 3,
  },
  'indexed job some running and completed pods': {
    job: { parallelism: 8, completions: 20, completionMode: 'Indexed' },
    podsWithIndexes: [
      ['0', 'Running'],
      ['2', 'Succeeded'],
      ['3', 'Pending'],
      ['4', 'Succeeded'],
      ['5', 'Succeeded'],
      ['7', 'Succeeded'],
      ['8', 'Succeeded'],
      ['9', 'Succeeded'],
    ],
    expectedCreations: 6,
    expectedActive: 8,
    expectedSucceeded: 6,
    expectedCompletedIdxs: '2,4,5,7-9',
    expectedCreatedIndexes: [1, 6, 10, 11, 12, 13],
    expectedPodPatches: 6,
  },
  'indexed job some failed pods': {
    job: { parallelism: 3, completions: 4, completionMode: 'Indexed' },
    podsWithIndexes: [
      ['0', 'Failed'],
      ['1', 'Pending'],
      ['2', 'Failed'],
    ],
    expectedCreations: 2,
    expectedActive: 3,
    expectedFailed: 2,
    expectedCreatedIndexes: [0, 2],
    expectedPodPatches: 2,
  },
  'indexed job some pods without index': {
    job: { parallelism: 2, completions: 5, completionMode: 'Indexed' },
    pods: { active: 1, succeeded: 1, failed: 1 },
    podsWithIndexes: [
      ['invalid', 'Running'],
      ['invalid', 'Succeeded'],
      ['invalid', 'Failed'],
      ['invalid', 'Pending'],
      ['0', 'Succeeded'],
      ['1', 'Running'],
      ['2', 'Running'],
    ],
    expectedDeletions: 3,
    expectedActive: 2,
    expectedSucceeded: 1,
    expectedFailed: 0,
    expectedCompletedIdxs: '0',
    expectedPodPatches: 8,
    expectedTerminating: 3,
  },
  'indexed job repeated indexes': {
    job: { parallelism: 5, completions: 5, completionMode: 'Indexed' },
    pods: { succeeded: 1, failed: 1 },
    podsWithIndexes: [
      ['invalid', 'Running'],
      ['0', 'Succeeded'],
      ['1', 'Running'],
      ['2', 'Running'],
      ['2', 'Pending'],
    ],
    expectedCreations: 0,
    expectedDeletions: 2,
    expectedActive: 2,
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedPodPatches: 5,
    expectedTerminating: 2,
  },
  'indexed job with indexes outside of range': {
    job: { parallelism: 2, completions: 5, completionMode: 'Indexed' },
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['5', 'Running'],
      ['6', 'Succeeded'],
      ['7', 'Pending'],
      ['8', 'Failed'],
    ],
    // Only one of creations and deletions happens in a sync.
    expectedCreations: 0,
    expectedSucceeded: 1,
    expectedDeletions: 2,
    expectedCompletedIdxs: '0',
    expectedActive: 0,
    expectedFailed: 0,
    expectedPodPatches: 5,
    expectedTerminating: 2,
  },
  'suspending a job with satisfied expectations': {
    job: { suspend: true, parallelism: 2, completions: 4 },
    pods: { active: 2 },
    expectedDeletions: 2,
    expectedActive: 0,
    expectedConditions: [SUSPENDED],
    expectedPodPatches: 2,
    expectedTerminating: 2,
    expectedEvents: ['Normal Suspended Job suspended'],
  },
  'count ready pods when suspending a job with satisfied expectations': {
    job: { suspend: true, parallelism: 2, completions: 4 },
    pods: { active: 2, ready: 2 },
    expectedDeletions: 2,
    expectedActive: 0,
    expectedConditions: [SUSPENDED],
    expectedPodPatches: 2,
    expectedReady: 0,
    expectedTerminating: 2,
  },
  'suspending a job with unsatisfied expectations': {
    // The controller waits for its expectations before suspending.
    job: { suspend: true, parallelism: 2, completions: 4 },
    pods: { active: 3 },
    fakeExpectationAtCreation: -1,
    expectedActive: 3,
  },
  'count ready pods when suspending a job with unsatisfied expectations': {
    job: { suspend: true, parallelism: 2, completions: 4 },
    pods: { active: 3, ready: 3 },
    fakeExpectationAtCreation: -1,
    expectedActive: 3,
    expectedReady: 3,
  },
  'resuming a suspended job': {
    wasSuspended: true,
    job: { suspend: false, parallelism: 2, completions: 4 },
    expectedCreations: 2,
    expectedActive: 2,
    expectedConditions: [RESUMED],
    expectedEvents: ['Normal Resumed Job resumed'],
  },
  'suspending a deleted job': {
    // No deletions and no Suspended condition while the Job itself is being deleted.
    job: { suspend: true, deleting: true, parallelism: 2, completions: 4 },
    pods: { active: 2 },
    expectedActive: 2,
    expectedPodPatches: 2,
  },
  'FailureTarget=False condition added manually is ignored': {
    job: { parallelism: 1, completions: 1 },
    pods: { active: 1, ready: 1 },
    initialStatus: { active: 1, conditions: [conditionOf(['FailureTarget', 'False', 'ConditionAddedManually', 'Testing'])] },
    expectedActive: 1,
    expectedReady: 1,
    expectedConditions: [['FailureTarget', 'False', 'ConditionAddedManually', 'Testing']],
  },
  'SuccessCriteriaMet=False condition added manually is ignored': {
    job: { parallelism: 1, completions: 1 },
    pods: { active: 1, ready: 1 },
    initialStatus: { active: 1, conditions: [conditionOf(['SuccessCriteriaMet', 'False', 'ConditionAddedManually', 'Testing'])] },
    expectedActive: 1,
    expectedReady: 1,
    expectedConditions: [['SuccessCriteriaMet', 'False', 'ConditionAddedManually', 'Testing']],
  },
  'parallelism 0 creates no pods and no conditions': {
    job: { parallelism: 0, completions: 1 },
  },
  'completions 0 completes at once with zero pods': {
    job: { parallelism: 1, completions: 0 },
    expectedConditions: [SCM, COMPLETE],
    expectedEvents: [EV_COMPLETED],
  },
  'more succeeded pods than completions warns TooManySucceededPods': {
    job: { parallelism: 2, completions: 2 },
    pods: { succeeded: 3 },
    expectedSucceeded: 3,
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 3,
    expectedEvents: ['Warning TooManySucceededPods Too many succeeded pods running after completion count reached', EV_COMPLETED],
  },
};

describe('syncJob: TestControllerSyncJob', () => {
  for (const [name, tc] of Object.entries(controllerSyncCases)) {
    it(name, async () => {
      checkSyncCase(tc, await runSyncCase(tc));
    });
  }
});

describe('syncJob: TestSyncJobPastDeadline', () => {
  const cases: Record<string, SyncCase> = {
    'activeDeadlineSeconds less than single pod execution': {
      job: { parallelism: 1, completions: 1, activeDeadlineSeconds: 10 },
      initialStatus: { startTimeAgoMs: 15_000 },
      pods: { active: 1 },
      expectedDeletions: 1,
      expectedFailed: 1,
      expectedTerminating: 1,
      expectedPodPatches: 1,
      expectedConditions: [FT_DEADLINE],
    },
    'activeDeadlineSeconds bigger than single pod execution': {
      job: { parallelism: 1, completions: 2, activeDeadlineSeconds: 10 },
      initialStatus: { startTimeAgoMs: 15_000 },
      pods: { active: 1, succeeded: 1 },
      expectedDeletions: 1,
      expectedSucceeded: 1,
      expectedFailed: 1,
      expectedTerminating: 1,
      expectedPodPatches: 2,
      expectedConditions: [FT_DEADLINE],
    },
    'activeDeadlineSeconds times-out before any pod starts': {
      job: { parallelism: 1, completions: 1, activeDeadlineSeconds: 10 },
      initialStatus: { startTimeAgoMs: 10_000 },
      expectedConditions: [FT_DEADLINE, FAILED_DEADLINE],
      expectedEvents: [`Warning DeadlineExceeded ${MSG_DEADLINE}`],
    },
    'activeDeadlineSeconds 0 fails on the first sync': {
      job: { parallelism: 1, completions: 1, activeDeadlineSeconds: 0 },
      expectedConditions: [FT_DEADLINE, FAILED_DEADLINE],
    },
    'activeDeadlineSeconds with backofflimit reach': {
      job: { parallelism: 1, completions: 1, activeDeadlineSeconds: 1, backoffLimit: 0 },
      initialStatus: { startTimeAgoMs: 10_000 },
      pods: { failed: 1 },
      expectedFailed: 1,
      expectedPodPatches: 1,
      expectedConditions: [FT_BACKOFF, FAILED_BACKOFF],
    },
    'activeDeadlineSeconds is not triggered when Job is suspended': {
      job: { suspend: true, parallelism: 1, completions: 2, activeDeadlineSeconds: 10 },
      expectedConditions: [SUSPENDED],
      expectedRequeues: [],
    },
    'the Job is queued again exactly at its deadline': {
      job: { parallelism: 1, completions: 1, activeDeadlineSeconds: 10 },
      initialStatus: { startTimeAgoMs: 3_000 },
      pods: { active: 1 },
      expectedActive: 1,
      expectedRequeues: [7_000],
    },
  };
  for (const [name, tc] of Object.entries(cases)) {
    it(name, async () => {
      const r = await runSyncCase(tc);
      if (tc.job.suspend) {
        // startTime is never set while suspended
        expect(r.t.lastJob?.status?.startTime).toBeUndefined();
      }
      checkSyncCase(tc, r);
    });
  }
});

describe('syncJob: TestJobBackoffForOnFailure (restartPolicy OnFailure)', () => {
  const cases: Record<string, { job: JobOptions; restartCounts: number[]; phase: PodPhase; expectedActive: number; expectedFailed: number; expectedConditions: Cond[]; expectedSucceeded?: number }> = {
    'backoffLimit 0 should have 1 pod active': { job: { parallelism: 1, completions: 1, backoffLimit: 0 }, restartCounts: [0], phase: 'Running', expectedActive: 1, expectedFailed: 0, expectedConditions: [] },
    'backoffLimit 1 with restartCount 0 should have 1 pod active': { job: { parallelism: 1, completions: 1, backoffLimit: 1 }, restartCounts: [0], phase: 'Running', expectedActive: 1, expectedFailed: 0, expectedConditions: [] },
    'backoffLimit 1 with restartCount 1 and podRunning should have 0 pod active': { job: { parallelism: 1, completions: 1, backoffLimit: 1 }, restartCounts: [1], phase: 'Running', expectedActive: 0, expectedFailed: 1, expectedConditions: [FT_BACKOFF] },
    'backoffLimit 1 with restartCount 1 and podPending should have 0 pod active': { job: { parallelism: 1, completions: 1, backoffLimit: 1 }, restartCounts: [1], phase: 'Pending', expectedActive: 0, expectedFailed: 1, expectedConditions: [FT_BACKOFF] },
    'backoffLimit 0 with any restart fails': { job: { parallelism: 1, completions: 1, backoffLimit: 0 }, restartCounts: [1], phase: 'Running', expectedActive: 0, expectedFailed: 1, expectedConditions: [FT_BACKOFF] },
    'too many job failures with podRunning - single pod': { job: { parallelism: 1, completions: 5, backoffLimit: 2 }, restartCounts: [2], phase: 'Running', expectedActive: 0, expectedFailed: 1, expectedConditions: [FT_BACKOFF] },
    'too many job failures with podPending - single pod': { job: { parallelism: 1, completions: 5, backoffLimit: 2 }, restartCounts: [2], phase: 'Pending', expectedActive: 0, expectedFailed: 1, expectedConditions: [FT_BACKOFF] },
    'too many job failures with podRunning - multiple pods': { job: { parallelism: 2, completions: 5, backoffLimit: 2 }, restartCounts: [1, 1], phase: 'Running', expectedActive: 0, expectedFailed: 2, expectedConditions: [FT_BACKOFF] },
    'too many job failures with podPending - multiple pods': { job: { parallelism: 2, completions: 5, backoffLimit: 2 }, restartCounts: [1, 1], phase: 'Pending', expectedActive: 0, expectedFailed: 2, expectedConditions: [FT_BACKOFF] },
    'not enough failures': { job: { parallelism: 2, completions: 5, backoffLimit: 3 }, restartCounts: [1, 1], phase: 'Running', expectedActive: 2, expectedFailed: 0, expectedConditions: [] },
    'restarts of finished pods do not count': { job: { parallelism: 2, completions: 4, backoffLimit: 2 }, restartCounts: [1, 1, 2, 0], phase: 'Succeeded', expectedActive: 0, expectedFailed: 0, expectedSucceeded: 4, expectedConditions: [SCM, COMPLETE] },
  };
  for (const [name, tc] of Object.entries(cases)) {
    it(name, async () => {
      const t = new TestController();
      const job = newJob({ ...tc.job, restartPolicy: 'OnFailure' });
      t.addJob(job);
      t.addPods(tc.restartCounts.map((n) => newPod(job, { phase: tc.phase, restartCount: n })));

      expect(await t.sync(job)).toBeUndefined();

      const s = t.lastJob?.status as JobStatus;
      expect(s.active).toBe(tc.expectedActive);
      expect(s.failed ?? 0).toBe(tc.expectedFailed);
      expect(s.succeeded ?? 0).toBe(tc.expectedSucceeded ?? 0);
      expect(conditionSummary(s.conditions)).toEqual(tc.expectedConditions);
      if (tc.expectedConditions[0] === FT_BACKOFF) {
        // The restarting pods are deleted (and counted failed).
        expect(t.fakePodControl.deletePodNames).toHaveLength(tc.restartCounts.length);
      }
    });
  }
});

describe('syncJob: TestJobBackoffOnRestartPolicyNever', () => {
  it('not enough failures with backoffLimit 1 - single pod: waits the first backoff (10 s) before a new pod', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 1, completions: 1, backoffLimit: 1 });
    t.addJob(job);
    t.addPods([newPod(job, { phase: 'Failed', finishedAt: at(REFERENCE_TIME, -2_000) })]);

    expect(await t.sync(job)).toBeUndefined();

    expect(t.fakePodControl.templates).toHaveLength(0);
    expect(t.lastJob?.status?.failed).toBe(1);
    expect(t.requeueDelays(job)).toEqual([8_000]);
  });

  it('too many failures with backoffLimit 1 - single pod: fails with exactly 2 failed pods', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 1, completions: 1, backoffLimit: 1 });
    t.addJob(job);
    t.addPods([newPod(job, { phase: 'Failed' }), newPod(job, { phase: 'Failed' })]);

    expect(await t.sync(job)).toBeUndefined();

    const s = t.lastJob?.status as JobStatus;
    expect(s.failed).toBe(2);
    expect(conditionSummary(s.conditions)).toEqual([FT_BACKOFF, FAILED_BACKOFF]);
    expect(s.completionTime).toBeUndefined();
    expect(t.recorder.events).toEqual([EV_BACKOFF]);
  });

  it('backoffLimit 6 with a running pod and one failure: no new pod while the backoff runs', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 2, completions: 4, backoffLimit: 6 });
    t.addJob(job);
    t.addPods([newPod(job, { phase: 'Running' }), newPod(job, { phase: 'Failed', finishedAt: at(REFERENCE_TIME, -1_000) })]);

    expect(await t.sync(job)).toBeUndefined();

    expect(t.fakePodControl.templates).toHaveLength(0);
    expect(t.lastJob?.status).toMatchObject({ active: 1, failed: 1 });
    expect(t.requeueDelays(job)).toEqual([9_000]);
  });

  it('a sequence of failures waits 10 s, 20 s, 40 s between pods', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 1, completions: 1, backoffLimit: 6 });
    t.addJob(job);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      // The previous pod failed just now.
      t.addPods([newPod(job, { phase: 'Failed', finishedAt: rfc3339(t.clock.now()) })]);
      await t.sync(job);
      const delays = t.requeueDelays(job);
      waits.push(delays[0]);
      expect(t.fakePodControl.templates).toHaveLength(i);
      t.scheduler.step(delays[0]);
      await t.sync(job);
      expect(t.fakePodControl.templates).toHaveLength(i + 1);
      // The fake pod control created nothing the cache could show: forget that creation.
      t.controller.expectations.deleteExpectations('default/foobar');
    }
    expect(waits).toEqual([10_000, 20_000, 40_000]);
  });
});

describe('syncJob: status written only on change', () => {
  it('writes nothing on a sync that changes nothing', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 2, completions: 5 });
    t.addJob(job);
    t.addPods(podsByPhase(job, { active: 2 }));
    await t.sync(job);
    expect(t.statusUpdates).toHaveLength(1);

    t.addJob({ ...job, status: t.lastJob?.status });
    t.controller.jobInformer.indexer.add({ ...job, status: t.lastJob?.status });
    await t.sync(job);

    expect(t.statusUpdates).toHaveLength(1);
    expect(t.statusUpdates[0]).toMatchObject({ active: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
  });

  it('a new Job gets ready, terminating and uncountedTerminatedPods written even when idle', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 0, completions: 1 });
    t.addJob(job);
    await t.sync(job);
    expect(t.statusUpdates).toEqual([{ startTime: REFERENCE_TIME, active: 0, ready: 0, terminating: 0, uncountedTerminatedPods: {} }]);
  });
});

describe('syncJob: skipped Jobs', () => {
  it('does nothing for a Job managed by another controller', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 2, completions: 2, managedBy: 'example.com/custom-job-controller' });
    t.addJob(job);
    expect(await t.sync(job)).toBeUndefined();
    expect(t.statusUpdates).toEqual([]);
    expect(t.fakePodControl.templates).toEqual([]);
  });

  it('syncs a Job naming the built-in controller in managedBy', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 1, completions: 1, managedBy: 'kubernetes.io/job-controller' });
    t.addJob(job);
    await t.sync(job);
    expect(t.fakePodControl.templates).toHaveLength(1);
  });

  it('does nothing for a finished Job, and drops its backoff record', async () => {
    const t = new TestController();
    const job = newJob({ status: { conditions: [conditionOf(SCM), conditionOf(COMPLETE)] } });
    t.controller.podBackoffStore.updateBackoffRecord({ key: 'default/foobar', failuresAfterLastSuccess: 3 });
    t.addJob(job);
    t.addPods(podsByPhase(job, { succeeded: 1 }));
    expect(await t.sync(job)).toBeUndefined();
    expect(t.statusUpdates).toEqual([]);
    expect(t.fakePodControl.patches).toEqual([]);
    expect(t.controller.podBackoffStore.get('default/foobar')).toBeUndefined();
  });

  it('records UnknownCompletionMode and stops', async () => {
    const t = new TestController();
    const job = newJob({ completionMode: 'Sideways' });
    t.addJob(job);
    expect(await t.sync(job)).toBeUndefined();
    expect(t.recorder.events).toEqual(['Warning UnknownCompletionMode Skipped Job sync because completion mode is unknown']);
    expect(t.statusUpdates).toEqual([]);
  });

  it('forgets expectations and backoff of a deleted Job', async () => {
    const t = new TestController();
    t.controller.expectations.expectCreations('default/gone', 3);
    t.controller.finalizerExpectations.expectFinalizersRemoved('default/gone', ['a']);
    t.controller.podBackoffStore.updateBackoffRecord({ key: 'default/gone', failuresAfterLastSuccess: 1 });

    await t.controller.syncJob('default/gone');

    expect(t.controller.expectations.getExpectations('default/gone')).toBeUndefined();
    expect(t.controller.finalizerExpectations.getExpectedUIDs('default/gone').size).toBe(0);
    expect(t.controller.podBackoffStore.get('default/gone')).toBeUndefined();
  });

  it('rejects a key without namespace', async () => {
    const t = new TestController();
    await expect(t.controller.syncJob('foobar')).rejects.toThrow('invalid job key "foobar": either namespace or name is missing');
  });
});

