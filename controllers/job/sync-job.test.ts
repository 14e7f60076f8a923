// Table-driven syncJob tests in the style of upstream's job_controller_test.go (cases named after
// upstream's, expectations recomputed for v1.31+ with every gate on: two-step finishing
// conditions, terminating pods tracked, CompletionsReached reasons).
import { describe, expect, it } from 'vitest';
import type { EnvVar, Job, JobCondition, JobStatus, Pod, PodFailurePolicy, PodPhase } from '../../api/index.js';
import { Resources } from '../../client/index.js';
import { type FakeAction } from '../../client/testing/index.js';
import { rfc3339 } from '../../machinery/index.js';
import { calculateFailedIndexes, getPodsWithDelayedDeletionPerIndex } from './indexed-job.js';
import { parseIndexesFromString } from './intervals.js';
import { COMPLETION_INDEX_ANNOTATION, countTerminatingPods, filterActivePods, getCompletionIndex } from './job-pods.js';
import { hasBackoffLimitPerIndex, isIndexedJob } from './job-spec.js';
import { FakePodControl } from './pod-control.js';
import type { SyncJobCtx } from './sync-job-ctx.js';
import { trackJobStatusAndRemoveFinalizers } from './track-status.js';
import { type JobOptions, LONG_AGO, type PodOptions, REFERENCE_TIME, TestController, at, conditionSummary, newJob, newPod, podsByPhase, podsWithIndexes } from './testing/builders.js';
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
  conditionOf,
  runSyncCase,
} from './testing/sync-case.js';

function checkSyncCase(tc: SyncCase, r: Awaited<ReturnType<typeof runSyncCase>>) {
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
  'job finish across a second boundary: completionTime is the Complete condition\'s lastTransitionTime': {
    // Each status write takes a second: the Complete condition is stamped after the interim write.
    job: { parallelism: 1, completions: 1 },
    pods: { succeeded: 1 },
    setup: (t) => {
      const write = t.controller.updateStatusHandler;
      t.controller.updateStatusHandler = async (j) => {
        const r = await write(j);
        t.clock.step(1000);
        return r;
      };
    },
    expectedSucceeded: 1,
    expectedConditions: [SCM, COMPLETE],
    expectedPodPatches: 1,
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
  'suspending a started job clears startTime (kubernetes#134521: the resume must be allowed to set a new one)': {
    job: { suspend: true, parallelism: 2, completions: 4 },
    initialStatus: { active: 2, startTimeAgoMs: 60_000 },
    pods: { active: 2 },
    expectedDeletions: 2,
    expectedActive: 0,
    expectedConditions: [SUSPENDED],
    expectedPodPatches: 2,
    expectedTerminating: 2,
    expectedEvents: ['Normal Suspended Job suspended'],
  },
  'an already suspended Job that kept its startTime loses it': {
    wasSuspended: true,
    job: { suspend: true, parallelism: 2, completions: 4 },
    initialStatus: { startTimeAgoMs: 60_000 },
    expectedConditions: [SUSPENDED],
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
      expect(s.active ?? 0).toBe(tc.expectedActive);
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

  it('a new Job gets ready, terminating and uncountedTerminatedPods written even when idle (zero counters omitted as upstream)', async () => {
    const t = new TestController();
    const job = newJob({ parallelism: 0, completions: 1 });
    t.addJob(job);
    await t.sync(job);
    expect(t.statusUpdates).toEqual([{ startTime: REFERENCE_TIME, ready: 0, terminating: 0, uncountedTerminatedPods: {} }]);
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


// ---------------------------------------------------------------------------------------------
// TestTrackJobStatusAndRemoveFinalizers: the exact-counting steps on their own, with the
// finishing condition given, every status write compared.

interface TrackCase {
  job?: JobOptions;
  status?: JobStatus;
  pods: Pod[];
  finishedCond?: JobCondition;
  expectedRmFinalizers?: string[];
  needsFlush?: boolean;
  statusUpdateErr?: boolean;
  podControlErr?: boolean;
  wantErr?: string;
  wantRmFinalizers?: number;
  wantStatusUpdates: Record<string, unknown>[];
}

const tjob = newJob({ parallelism: 1, completions: 1 });
const bp = (o: PodOptions & { uid?: string }) => newPod(tjob, { ...o, finalizer: o.finalizer ?? false });
const withFin = (o: PodOptions & { uid?: string }) => bp({ ...o, finalizer: true });
const NOW = REFERENCE_TIME;
const completedCond = conditionOf(['Complete', 'True', '', '']);
const failedCond = conditionOf(['Failed', 'True', '', '']);
const failureTargetCond = conditionOf(['FailureTarget', 'True', '', '']);
const succeededCond = conditionOf(['SuccessCriteriaMet', 'True', '', '']);
const ixJob = (completions: number, extra: JobOptions = {}): JobOptions => ({ completionMode: 'Indexed', completions, parallelism: completions, ...extra });

function normStatus(s: JobStatus): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(s) as Record<string, unknown>;
  if (s.conditions) out.conditions = conditionSummary(s.conditions);
  return out;
}

const trackCases: Record<string, TrackCase> = {
  'no updates': { pods: [], wantStatusUpdates: [] },
  'new active': { status: { active: 1 }, pods: [], needsFlush: true, wantStatusUpdates: [{ active: 1, uncountedTerminatedPods: {} }] },
  'track finished pods': {
    pods: [
      withFin({ uid: 'a', phase: 'Succeeded' }),
      withFin({ uid: 'b', phase: 'Failed' }),
      withFin({ uid: 'c', phase: 'Succeeded', deleting: true }),
      withFin({ uid: 'd', phase: 'Failed', deleting: true }),
      withFin({ uid: 'e', phase: 'Pending', deleting: true }),
      withFin({ phase: 'Pending' }),
      withFin({ phase: 'Running' }),
    ],
    wantRmFinalizers: 5,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { succeeded: ['a', 'c'], failed: ['b', 'd', 'e'] } },
      { uncountedTerminatedPods: {}, succeeded: 2, failed: 3 },
    ],
  },
  'past and new finished pods': {
    status: { active: 1, succeeded: 2, failed: 3, uncountedTerminatedPods: { succeeded: ['a', 'e'], failed: ['b', 'f'] } },
    pods: [
      bp({ uid: 'e', phase: 'Succeeded' }),
      bp({ phase: 'Failed' }),
      bp({ phase: 'Pending' }),
      withFin({ uid: 'a', phase: 'Succeeded' }),
      withFin({ uid: 'b', phase: 'Failed' }),
      withFin({ uid: 'c', phase: 'Succeeded' }),
      withFin({ uid: 'd', phase: 'Failed' }),
    ],
    wantRmFinalizers: 4,
    wantStatusUpdates: [
      { active: 1, succeeded: 3, failed: 4, uncountedTerminatedPods: { succeeded: ['a', 'c'], failed: ['b', 'd'] } },
      { active: 1, succeeded: 5, failed: 6, uncountedTerminatedPods: {} },
    ],
  },
  'expecting removed finalizers': {
    status: { succeeded: 2, failed: 3, uncountedTerminatedPods: { succeeded: ['a', 'g'], failed: ['b', 'h'] } },
    expectedRmFinalizers: ['c', 'd', 'g', 'h'],
    pods: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((uid, i) => withFin({ uid, phase: i % 2 === 0 ? 'Succeeded' : 'Failed' })),
    wantRmFinalizers: 4,
    wantStatusUpdates: [
      { succeeded: 3, failed: 4, uncountedTerminatedPods: { succeeded: ['a', 'e'], failed: ['b', 'f'] } },
      { succeeded: 5, failed: 6, uncountedTerminatedPods: {} },
    ],
  },
  'succeeding job by JobSuccessPolicy': {
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' }), withFin({ uid: 'c', phase: 'Pending' })],
    finishedCond: succeededCond,
    wantRmFinalizers: 3,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] }, conditions: [['SuccessCriteriaMet', 'True', '', '']] },
      {
        uncountedTerminatedPods: {},
        succeeded: 1,
        failed: 1,
        conditions: [
          ['SuccessCriteriaMet', 'True', '', ''],
          ['Complete', 'True', '', ''],
        ],
        completionTime: NOW,
      },
    ],
  },
  'completing job': {
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' })],
    finishedCond: completedCond,
    wantRmFinalizers: 2,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] } },
      { uncountedTerminatedPods: {}, succeeded: 1, failed: 1, conditions: [['Complete', 'True', '', '']], completionTime: NOW },
    ],
  },
  'failing job': {
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' }), withFin({ uid: 'c', phase: 'Running' })],
    finishedCond: failedCond,
    // The running pod counts as failed.
    wantRmFinalizers: 3,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { succeeded: ['a'], failed: ['b', 'c'] } },
      { uncountedTerminatedPods: {}, succeeded: 1, failed: 2, conditions: [['Failed', 'True', '', '']] },
    ],
  },
  'failing job: the interim FailureTarget is written before any finalizer goes': {
    pods: [withFin({ uid: 'a', phase: 'Failed' })],
    finishedCond: failureTargetCond,
    wantRmFinalizers: 1,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { failed: ['a'] }, conditions: [['FailureTarget', 'True', '', '']] },
      {
        uncountedTerminatedPods: {},
        failed: 1,
        conditions: [
          ['FailureTarget', 'True', '', ''],
          ['Failed', 'True', '', ''],
        ],
      },
    ],
  },
  'deleted job': {
    job: { deleting: true },
    status: { active: 1 },
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' }), withFin({ phase: 'Running' })],
    // The running pod loses its finalizer but is not counted.
    wantRmFinalizers: 3,
    wantStatusUpdates: [
      { active: 1, uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] } },
      { active: 1, uncountedTerminatedPods: {}, succeeded: 1, failed: 1 },
    ],
  },
  'status update error': {
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' })],
    statusUpdateErr: true,
    wantErr: 'adding uncounted pods to status: mock error',
    wantStatusUpdates: [{ uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] } }],
  },
  'pod patch errors': {
    pods: [withFin({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'b', phase: 'Failed' })],
    podControlErr: true,
    wantErr: 'removing tracking finalizer: mock error',
    wantRmFinalizers: 2,
    wantStatusUpdates: [{ uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] } }],
  },
  'pod patch errors with partial success': {
    status: { uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] } },
    pods: [bp({ uid: 'a', phase: 'Succeeded' }), withFin({ uid: 'c', phase: 'Succeeded' }), withFin({ uid: 'd', phase: 'Failed' })],
    podControlErr: true,
    wantErr: 'removing tracking finalizer: mock error',
    wantRmFinalizers: 2,
    wantStatusUpdates: [{ uncountedTerminatedPods: { succeeded: ['c'], failed: ['d'] }, succeeded: 1, failed: 1 }],
  },
  'indexed job new successful pods': {
    job: ixJob(6),
    status: { active: 1 },
    pods: [
      withFin({ phase: 'Succeeded', index: '1' }),
      withFin({ phase: 'Succeeded', index: '3' }),
      withFin({ phase: 'Succeeded', index: '3' }),
      withFin({ phase: 'Running', index: '5' }),
      withFin({ phase: 'Succeeded' }),
    ],
    wantRmFinalizers: 4,
    wantStatusUpdates: [{ active: 1, succeeded: 2, completedIndexes: '1,3', uncountedTerminatedPods: {} }],
  },
  'indexed job prev successful pods outside current completions index range with no new succeeded pods': {
    job: ixJob(2),
    status: { active: 2, succeeded: 1, completedIndexes: '3' },
    pods: [withFin({ phase: 'Running', index: '0' }), withFin({ phase: 'Running', index: '1' })],
    wantRmFinalizers: 0,
    wantStatusUpdates: [{ active: 2, uncountedTerminatedPods: {} }],
  },
  'indexed job prev successful pods outside current completions index range with new succeeded pods in range': {
    job: ixJob(2),
    status: { active: 2, succeeded: 1, completedIndexes: '3' },
    pods: [withFin({ phase: 'Running', index: '0' }), withFin({ phase: 'Succeeded', index: '1' })],
    wantRmFinalizers: 1,
    wantStatusUpdates: [{ active: 2, succeeded: 1, completedIndexes: '1', uncountedTerminatedPods: {} }],
  },
  'indexed job new failed pods': {
    job: ixJob(6),
    status: { active: 1 },
    pods: [
      withFin({ uid: 'a', phase: 'Failed', index: '1' }),
      withFin({ uid: 'b', phase: 'Failed', index: '3' }),
      withFin({ uid: 'c', phase: 'Failed', index: '3' }),
      withFin({ uid: 'd', phase: 'Running', index: '5' }),
      withFin({ phase: 'Failed' }),
    ],
    wantRmFinalizers: 4,
    wantStatusUpdates: [
      { active: 1, uncountedTerminatedPods: { failed: ['a', 'b', 'c'] } },
      { active: 1, failed: 3, uncountedTerminatedPods: {} },
    ],
  },
  'indexed job past and new pods': {
    job: ixJob(7),
    status: { failed: 2, succeeded: 5, completedIndexes: '0-2,4,6,7' },
    pods: [
      bp({ phase: 'Succeeded', index: '0' }),
      bp({ phase: 'Failed', index: '1' }),
      withFin({ phase: 'Succeeded', index: '1' }),
      withFin({ phase: 'Succeeded', index: '3' }),
      withFin({ uid: 'a', phase: 'Failed', index: '2' }),
      withFin({ uid: 'b', phase: 'Failed', index: '5' }),
    ],
    wantRmFinalizers: 4,
    wantStatusUpdates: [
      { succeeded: 6, failed: 2, completedIndexes: '0-4,6', uncountedTerminatedPods: { failed: ['a', 'b'] } },
      { succeeded: 6, failed: 4, completedIndexes: '0-4,6', uncountedTerminatedPods: {} },
    ],
  },
  'too many finished': {
    status: { uncountedTerminatedPods: { failed: ['a', 'b'] } },
    pods: [...Array.from({ length: 500 }, (_, i) => withFin({ uid: String(i), phase: 'Succeeded' })), withFin({ uid: 'b', phase: 'Failed' })],
    wantRmFinalizers: 499,
    wantStatusUpdates: [
      { uncountedTerminatedPods: { succeeded: Array.from({ length: 499 }, (_, i) => String(i)), failed: ['b'] }, failed: 1 },
      { uncountedTerminatedPods: { failed: ['b'] }, succeeded: 499, failed: 1 },
    ],
  },
  'too many indexed finished': {
    job: ixJob(501),
    pods: Array.from({ length: 501 }, (_, i) => withFin({ uid: String(i), index: String(i), phase: 'Succeeded' })),
    wantRmFinalizers: 500,
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, completedIndexes: '0-499', succeeded: 500 }],
  },
  'pod flips from failed to succeeded': {
    job: { completions: 2, parallelism: 2 },
    status: { uncountedTerminatedPods: { failed: ['a', 'b'] } },
    pods: [withFin({ uid: 'a', phase: 'Failed' }), withFin({ uid: 'b', phase: 'Succeeded' })],
    finishedCond: failedCond,
    wantRmFinalizers: 2,
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, failed: 2, conditions: [['Failed', 'True', '', '']] }],
  },
  'pod is terminal; JobFailed condition is set': {
    status: { uncountedTerminatedPods: { failed: ['a'] } },
    pods: [withFin({ uid: 'a', phase: 'Failed' })],
    finishedCond: failedCond,
    wantRmFinalizers: 1,
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, failed: 1, conditions: [['Failed', 'True', '', '']] }],
  },
  'pod is terminating; counted as failed, but the JobFailed condition is delayed': {
    status: { uncountedTerminatedPods: { failed: ['a'] }, conditions: [failureTargetCond] },
    pods: [bp({ uid: 'a', phase: 'Running', deleting: true })],
    finishedCond: failedCond,
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, failed: 1, conditions: [['FailureTarget', 'True', '', '']] }],
  },
  'pod is terminating; JobSuccessCriteriaMet, but JobComplete condition is delayed': {
    status: { uncountedTerminatedPods: { failed: ['a'], succeeded: ['b'] }, conditions: [succeededCond] },
    pods: [bp({ uid: 'a', phase: 'Running', deleting: true })],
    finishedCond: completedCond,
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, succeeded: 1, failed: 1, conditions: [['SuccessCriteriaMet', 'True', '', '']] }],
  },
  'indexed job with a failed pod with delayed finalizer removal; the pod is not counted': {
    job: ixJob(6, { backoffLimitPerIndex: 1 }),
    pods: [withFin({ uid: 'a', phase: 'Failed', failureCount: 0, index: '1' })],
    wantStatusUpdates: [{ uncountedTerminatedPods: {}, failedIndexes: '' }],
  },
  'indexed job with a failed pod which is recreated by a running pod; the pod is counted': {
    job: ixJob(6, { backoffLimitPerIndex: 1 }),
    status: { active: 1 },
    pods: [withFin({ uid: 'a1', phase: 'Failed', failureCount: 0, index: '1' }), withFin({ uid: 'a2', phase: 'Running', failureCount: 1, index: '1' })],
    wantRmFinalizers: 1,
    wantStatusUpdates: [
      { active: 1, uncountedTerminatedPods: { failed: ['a1'] }, failedIndexes: '' },
      { active: 1, failed: 1, uncountedTerminatedPods: {}, failedIndexes: '' },
    ],
  },
  'indexed job with a failed pod for a failed index; the pod is counted': {
    job: ixJob(6, { backoffLimitPerIndex: 1 }),
    pods: [withFin({ uid: 'a', phase: 'Failed', failureCount: 1, index: '1' })],
    wantRmFinalizers: 1,
    wantStatusUpdates: [
      { failedIndexes: '1', uncountedTerminatedPods: { failed: ['a'] } },
      { failed: 1, failedIndexes: '1', uncountedTerminatedPods: {} },
    ],
  },
};

describe('trackJobStatusAndRemoveFinalizers: TestTrackJobStatusAndRemoveFinalizers', () => {
  for (const [name, tc] of Object.entries(trackCases)) {
    it(name, async () => {
      const podControl = new FakePodControl({ err: tc.podControlErr ? new Error('mock error') : undefined });
      const t = new TestController({ podControl });
      t.controller.updateStatusHandler = async (job) => {
        t.statusUpdates.push(structuredClone(job.status ?? {}));
        if (tc.statusUpdateErr) throw new Error('mock error');
        return structuredClone(job);
      };
      const job = newJob(tc.job ?? {});
      job.status = structuredClone(tc.status ?? {});
      job.status.uncountedTerminatedPods ??= {};
      const key = 'default/foobar';
      const u = job.status.uncountedTerminatedPods;
      const ctx: SyncJobCtx = {
        job,
        pods: tc.pods,
        activePods: filterActivePods(tc.pods),
        uncounted: { succeeded: new Set(u.succeeded ?? []), failed: new Set(u.failed ?? []) },
        expectedRmFinalizers: new Set(tc.expectedRmFinalizers ?? []),
        finishedCondition: tc.finishedCond && structuredClone(tc.finishedCond),
        succeeded: 0,
        failed: 0,
        prevSucceededIndexes: [],
        succeededIndexes: [],
        newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
        terminating: countTerminatingPods(tc.pods),
        ready: 0,
      };
      if (isIndexedJob(job)) {
        ctx.succeededIndexes = parseIndexesFromString(job.status.completedIndexes, job.spec.completions ?? 0);
        if (hasBackoffLimitPerIndex(job)) {
          ctx.failedIndexes = calculateFailedIndexes(job, tc.pods);
          ctx.podsWithDelayedDeletionPerIndex = getPodsWithDelayedDeletionPerIndex(ctx);
        }
      }

      const err = await trackJobStatusAndRemoveFinalizers(t.controller, key, ctx, tc.needsFlush ?? false).then(
        () => undefined,
        (e: unknown) => e,
      );

      if (tc.wantErr) expect((err as Error)?.message).toBe(tc.wantErr);
      else expect(err).toBeUndefined();
      expect(t.statusUpdates.map(normStatus)).toEqual(tc.wantStatusUpdates);
      expect(podControl.patches).toHaveLength(tc.wantRmFinalizers ?? 0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// TestSyncJobWithJobPodFailurePolicy

const onExitCodes = (action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex', operator: 'In' | 'NotIn', values: number[], containerName?: string): PodFailurePolicy['rules'][number] => ({
  action,
  onExitCodes: containerName ? { containerName, operator, values } : { operator, values },
});
const onDisruption = (action: 'FailJob' | 'Ignore' | 'Count'): PodFailurePolicy['rules'][number] => ({
  action,
  onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }],
});
const disrupted = [{ type: 'DisruptionTarget', status: 'True' as const }];
const pfpJob = (rules: PodFailurePolicy['rules'], extra: JobOptions = {}): JobOptions => ({ parallelism: 1, completions: 1, backoffLimit: 6, podFailurePolicy: { rules }, ...extra });
const failJobMsg = (exit: number, index = 0, container = 'main-container', pod = 'mypod-0') =>
  `Container ${container} for pod default/${pod} failed with exit code ${exit} matching FailJob rule at index ${index}`;
const FT_PFP = (msg: string): Cond => ['FailureTarget', 'True', 'PodFailurePolicy', msg];
const FAILED_PFP = (msg: string): Cond => ['Failed', 'True', 'PodFailurePolicy', msg];

const podFailurePolicyCases: Record<string, SyncCase> = {
  'default handling for pod failure if the container matching the exit codes does not match the containerName restriction': {
    job: pfpJob([onExitCodes('FailJob', 'In', [1, 2, 3], 'main-container'), onExitCodes('Ignore', 'In', [5, 6, 7], 'monitoring-container')]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5, containerName: 'main-container' })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'running pod should not result in job fail based on OnExitCodes': {
    job: pfpJob([onExitCodes('FailJob', 'In', [1, 2, 3])]),
    podsList: (job) => {
      const p = newPod(job, { name: 'mypod-0', phase: 'Running' });
      (p.status as NonNullable<Pod['status']>).containerStatuses = [
        { name: 'main-container', ready: false, restartCount: 1, image: 'foo/bar', imageID: '', state: { terminated: { exitCode: 2, finishedAt: LONG_AGO } } },
      ];
      return [p];
    },
    expectedActive: 1,
  },
  'fail job based on OnExitCodes': {
    job: pfpJob([onExitCodes('Ignore', 'In', [1]), onExitCodes('FailJob', 'In', [5, 6, 7])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [FT_PFP(failJobMsg(5, 1)), FAILED_PFP(failJobMsg(5, 1))],
    expectedEvents: [`Warning PodFailurePolicy ${failJobMsg(5, 1)}`],
  },
  'job marked already as failure target with failed pod': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5, 6, 7])]),
    initialStatus: { conditions: [conditionOf(FT_PFP(failJobMsg(5)))] },
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [FT_PFP(failJobMsg(5)), FAILED_PFP(failJobMsg(5))],
  },
  'job marked already as failure target with failed pod, message based on already deleted pod': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5, 6, 7])]),
    initialStatus: { conditions: [conditionOf(FT_PFP(failJobMsg(5, 0, 'main-container', 'already-deleted-pod')))] },
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [
      FT_PFP(failJobMsg(5, 0, 'main-container', 'already-deleted-pod')),
      FAILED_PFP(failJobMsg(5, 0, 'main-container', 'already-deleted-pod')),
    ],
  },
  'fail job with multiple pods': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5, 6, 7])], { parallelism: 2, completions: 2 }),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5 }), newPod(job, { name: 'mypod-1', phase: 'Running' })],
    // The running pod is deleted and counted failed; Failed waits for it to be gone.
    expectedFailed: 2,
    expectedDeletions: 1,
    expectedTerminating: 1,
    expectedPodPatches: 2,
    expectedConditions: [FT_PFP(failJobMsg(5))],
  },
  'fail indexed job based on OnExitCodes': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5, 6, 7])], { completionMode: 'Indexed' }),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5, index: '0' })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [FT_PFP(failJobMsg(5)), FAILED_PFP(failJobMsg(5))],
  },
  'fail job based on OnExitCodes with NotIn operator': {
    job: pfpJob([onExitCodes('FailJob', 'NotIn', [5, 6, 7])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 42 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [FT_PFP(failJobMsg(42)), FAILED_PFP(failJobMsg(42))],
  },
  'default handling job based on OnExitCodes with NotIn operator': {
    job: pfpJob([onExitCodes('FailJob', 'NotIn', [5, 6, 7])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 5 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'fail job based on OnExitCodes for InitContainer': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5, 6, 7])]),
    podsList: (job) => {
      const p = newPod(job, { name: 'mypod-0', phase: 'Failed', initExitCode: 5 });
      // The main container never ran.
      (p.status as NonNullable<Pod['status']>).containerStatuses = [
        { name: 'main-container', ready: false, restartCount: 0, image: 'foo/bar', imageID: '', state: { waiting: { reason: 'PodInitializing' } } },
      ];
      return [p];
    },
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [FT_PFP(failJobMsg(5, 0, 'init-container')), FAILED_PFP(failJobMsg(5, 0, 'init-container'))],
  },
  'ignore pod failure; both rules are matching, the first is executed only': {
    job: pfpJob([onExitCodes('Ignore', 'In', [6]), onExitCodes('FailJob', 'In', [6])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 6 })],
    expectedFailed: 0,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'ignore pod failure based on OnExitCodes': {
    job: pfpJob([onExitCodes('Ignore', 'In', [1, 2, 3])], { backoffLimit: 0 }),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 1 })],
    // Not counted, not against backoffLimit 0: a replacement is created.
    expectedFailed: 0,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'ignore pod failure based on OnExitCodes, ignored failures delay pod recreation': {
    job: pfpJob([onExitCodes('Ignore', 'In', [1, 2, 3])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 1, finishedAt: REFERENCE_TIME })],
    expectedFailed: 0,
    expectedPodPatches: 1,
    expectedRequeues: [10_000],
  },
  'default job based on OnExitCodes': {
    job: pfpJob([onExitCodes('FailJob', 'In', [10])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 1 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'count pod failure based on OnExitCodes; both rules are matching, the first is executed only': {
    job: pfpJob([onExitCodes('Count', 'In', [1, 2, 3]), onExitCodes('FailJob', 'In', [1])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', exitCode: 1 })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'count pod failure based on OnPodConditions; both rules are matching, the first is executed only': {
    job: pfpJob([onDisruption('Count'), onDisruption('FailJob')]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', conditions: disrupted })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'ignore pod failure based on OnPodConditions': {
    job: pfpJob([onDisruption('Ignore')], { backoffLimit: 0 }),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', conditions: disrupted })],
    expectedFailed: 0,
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedActive: 1,
  },
  'fail job based on OnPodConditions': {
    job: pfpJob([onDisruption('FailJob')]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Failed', conditions: disrupted })],
    expectedFailed: 1,
    expectedPodPatches: 1,
    expectedConditions: [
      FT_PFP('Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0'),
      FAILED_PFP('Pod default/mypod-0 has condition DisruptionTarget matching FailJob rule at index 0'),
    ],
  },
  'terminating Pod not considered failed when PodFailurePolicy is enabled and used': {
    job: pfpJob([onExitCodes('Count', 'In', [42])]),
    podsList: (job) => [newPod(job, { name: 'mypod-0', phase: 'Running', deleting: true })],
    // Not failed until it reaches Failed, and its slot is held: no replacement yet.
    expectedTerminating: 1,
  },
  'a FailJob match on a pod still running does not fail the job': {
    job: pfpJob([onExitCodes('FailJob', 'In', [5])], { parallelism: 2, completions: 2 }),
    podsList: (job) => {
      const p = newPod(job, { name: 'mypod-0', phase: 'Running', deleting: true });
      (p.status as NonNullable<Pod['status']>).containerStatuses = [
        { name: 'main-container', ready: false, restartCount: 0, image: 'foo/bar', imageID: '', state: { terminated: { exitCode: 5, finishedAt: LONG_AGO } } },
      ];
      return [p, newPod(job, { name: 'mypod-1', phase: 'Running' })];
    },
    expectedActive: 1,
    expectedTerminating: 1,
  },
};

describe('syncJob: TestSyncJobWithJobPodFailurePolicy', () => {
  for (const [name, tc] of Object.entries(podFailurePolicyCases)) {
    it(name, async () => {
      checkSyncCase(tc, await runSyncCase(tc));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// TestSyncJobWithJobSuccessPolicy

const spJob = (completions: number, parallelism: number, rules: { succeededIndexes?: string; succeededCount?: number }[], extra: JobOptions = {}): JobOptions => ({
  completionMode: 'Indexed',
  completions,
  parallelism,
  successPolicy: { rules },
  ...extra,
});
const SCM_SP = (i = 0): Cond => ['SuccessCriteriaMet', 'True', 'SuccessPolicy', `Matched rules at index ${i}`];
const COMPLETE_SP = (i = 0): Cond => ['Complete', 'True', 'SuccessPolicy', `Matched rules at index ${i}`];

const successPolicyCases: Record<string, SyncCase> = {
  'job with successPolicy; job has SuccessCriteriaMet condition if job meets to successPolicy and some indexes fail': {
    job: spJob(3, 3, [{ succeededIndexes: '0,1', succeededCount: 1 }]),
    podsWithIndexes: [
      ['0', 'Failed'],
      ['0', 'Succeeded'],
      ['1', 'Running'],
      ['2', 'Running'],
    ],
    // The lingering pods are deleted but not counted as failed; Complete waits for them.
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedFailed: 1,
    expectedDeletions: 2,
    expectedTerminating: 2,
    expectedPodPatches: 4,
    expectedConditions: [SCM_SP()],
  },
  'job with successPolicy; job has SuccessCriteriaMet and Complete condition when job meets to successPolicy and all pods have been already removed': {
    job: spJob(3, 3, [{ succeededIndexes: '0,1', succeededCount: 1 }]),
    initialStatus: { succeeded: 1, completedIndexes: '0', conditions: [conditionOf(SCM_SP())] },
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedConditions: [SCM_SP(), COMPLETE_SP()],
    expectedEvents: ['Normal Completed Job completed'],
  },
  'job with successPolicy with succeededCount; completes in one sync when nothing is left running': {
    job: spJob(4, 2, [{ succeededCount: 2 }]),
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Succeeded'],
    ],
    expectedSucceeded: 2,
    expectedCompletedIdxs: '0,1',
    expectedPodPatches: 2,
    expectedConditions: [SCM_SP(), COMPLETE_SP()],
  },
  'job with successPolicy not yet met keeps creating pods': {
    job: spJob(4, 2, [{ succeededIndexes: '0-2' }]),
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Running'],
    ],
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedPodPatches: 1,
    expectedCreations: 1,
    expectedCreatedIndexes: [2],
    expectedActive: 2,
  },
  'the message names the first matching rule': {
    job: spJob(4, 1, [{ succeededIndexes: '3' }, { succeededCount: 1 }]),
    podsWithIndexes: [['0', 'Succeeded']],
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedPodPatches: 1,
    expectedConditions: [SCM_SP(1), COMPLETE_SP(1)],
  },
  'job with successPolicy and backoffLimitPerIndex; failed indexes win over the success policy': {
    job: spJob(2, 2, [{ succeededCount: 1 }], { backoffLimitPerIndex: 0 }),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }), newPod(job, { index: '1', phase: 'Succeeded' })],
    expectedSucceeded: 1,
    expectedCompletedIdxs: '1',
    expectedFailed: 1,
    expectedPodPatches: 2,
    expectedConditions: [
      ['FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes'],
      ['Failed', 'True', 'FailedIndexes', 'Job has failed indexes'],
    ],
  },
  'job with successPolicy and podFailurePolicy; a FailJob match wins over the success policy': {
    job: spJob(2, 2, [{ succeededIndexes: '0' }], { podFailurePolicy: { rules: [onExitCodes('FailJob', 'In', [5])] } }),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Succeeded' }), newPod(job, { name: 'mypod-1', index: '1', phase: 'Failed', exitCode: 5 })],
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedFailed: 1,
    expectedPodPatches: 2,
    expectedConditions: [FT_PFP(failJobMsg(5, 0, 'main-container', 'mypod-1')), FAILED_PFP(failJobMsg(5, 0, 'main-container', 'mypod-1'))],
  },
  'job with successPolicy and backoffLimit reached; the failure wins': {
    job: spJob(3, 3, [{ succeededIndexes: '0' }], { backoffLimit: 0 }),
    podsWithIndexes: [
      ['0', 'Succeeded'],
      ['1', 'Failed'],
    ],
    expectedSucceeded: 1,
    expectedCompletedIdxs: '0',
    expectedFailed: 1,
    expectedPodPatches: 2,
    expectedConditions: [FT_BACKOFF, FAILED_BACKOFF],
  },
};

describe('syncJob: TestSyncJobWithJobSuccessPolicy', () => {
  for (const [name, tc] of Object.entries(successPolicyCases)) {
    it(name, async () => {
      checkSyncCase(tc, await runSyncCase(tc));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// TestSyncJobWithJobBackoffLimitPerIndex

const blpiJob = (completions: number, parallelism: number, backoffLimitPerIndex: number, extra: JobOptions = {}): JobOptions => ({
  completionMode: 'Indexed',
  completions,
  parallelism,
  backoffLimitPerIndex,
  backoffLimit: 2147483647,
  ...extra,
});

const backoffLimitPerIndexCases: Record<string, SyncCase & { expectedFailedIdxs?: string; expectedCreatedAnnotations?: Record<string, string>[] }> = {
  'successful job after a single failure': {
    job: blpiJob(2, 2, 1),
    podsList: (job) => [
      newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }),
      newPod(job, { index: '0', phase: 'Succeeded', failureCount: 1 }),
      newPod(job, { index: '1', phase: 'Succeeded', failureCount: 0 }),
    ],
    expectedFailed: 1,
    expectedSucceeded: 2,
    expectedCompletedIdxs: '0,1',
    expectedFailedIdxs: '',
    expectedPodPatches: 3,
    expectedConditions: [SCM, COMPLETE],
  },
  'single failed pod, not counted as the replacement pod creation is delayed': {
    job: blpiJob(2, 2, 1),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0, finishedAt: REFERENCE_TIME }), newPod(job, { index: '1', phase: 'Running', failureCount: 0 })],
    // The failed pod keeps its finalizer until its replacement exists, which waits 10 s.
    expectedActive: 1,
    expectedFailedIdxs: '',
    expectedRequeues: [10_000],
  },
  'single failed pod replaced already': {
    job: blpiJob(2, 2, 1),
    podsList: (job) => [
      newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }),
      newPod(job, { index: '0', phase: 'Pending', failureCount: 1 }),
      newPod(job, { index: '1', phase: 'Pending', failureCount: 0 }),
    ],
    expectedActive: 2,
    expectedFailed: 1,
    expectedFailedIdxs: '',
    expectedPodPatches: 1,
  },
  'single failed index due to exceeding the backoff limit per index, the job continues': {
    job: blpiJob(2, 2, 1),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 1 }), newPod(job, { index: '1', phase: 'Running', failureCount: 0 })],
    expectedActive: 1,
    expectedFailed: 1,
    expectedFailedIdxs: '0',
    expectedPodPatches: 1,
  },
  'single failed index due to FailIndex action, the job continues': {
    job: blpiJob(2, 2, 1, { podFailurePolicy: { rules: [onExitCodes('FailIndex', 'In', [3])] } }),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0, exitCode: 3 }), newPod(job, { index: '1', phase: 'Running', failureCount: 0 })],
    expectedActive: 1,
    expectedFailed: 1,
    expectedFailedIdxs: '0',
    expectedPodPatches: 1,
  },
  'job failed index due to FailJob action': {
    job: blpiJob(2, 2, 6, { podFailurePolicy: { rules: [onExitCodes('FailJob', 'In', [3])] } }),
    podsList: (job) => [
      newPod(job, { name: 'mypod-0', index: '0', phase: 'Failed', failureCount: 0, exitCode: 3 }),
      newPod(job, { index: '1', phase: 'Running', failureCount: 0 }),
    ],
    expectedFailed: 2,
    expectedDeletions: 1,
    expectedTerminating: 1,
    expectedFailedIdxs: '',
    expectedPodPatches: 2,
    expectedConditions: [FT_PFP(failJobMsg(3))],
  },
  'job pod failure ignored due to matching Ignore action': {
    job: blpiJob(2, 2, 0, { podFailurePolicy: { rules: [onExitCodes('Ignore', 'In', [3])] } }),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0, exitCode: 3 }), newPod(job, { index: '1', phase: 'Running', failureCount: 0 })],
    // The index is not failed: a replacement comes, carrying one ignored failure.
    expectedActive: 2,
    expectedFailedIdxs: '',
    expectedCreations: 1,
    expectedCreatedIndexes: [0],
    expectedCreatedAnnotations: [{ 'batch.kubernetes.io/job-index-failure-count': '0', 'batch.kubernetes.io/job-index-ignored-failure-count': '1' }],
  },
  'job failed due to exceeding backoffLimit before backoffLimitPerIndex': {
    job: blpiJob(2, 2, 1, { backoffLimit: 1 }),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }), newPod(job, { index: '1', phase: 'Failed', failureCount: 0 })],
    expectedFailed: 2,
    expectedFailedIdxs: '',
    expectedPodPatches: 2,
    expectedConditions: [FT_BACKOFF, FAILED_BACKOFF],
  },
  'job failed due to failed indexes': {
    job: blpiJob(2, 2, 0),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }), newPod(job, { index: '1', phase: 'Succeeded', failureCount: 0 })],
    expectedFailed: 1,
    expectedSucceeded: 1,
    expectedCompletedIdxs: '1',
    expectedFailedIdxs: '0',
    expectedPodPatches: 2,
    expectedConditions: [
      ['FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes'],
      ['Failed', 'True', 'FailedIndexes', 'Job has failed indexes'],
    ],
    expectedEvents: ['Warning FailedIndexes Job has failed indexes'],
  },
  'job failed due to exceeding max failed indexes': {
    job: blpiJob(4, 4, 0, { maxFailedIndexes: 1 }),
    podsList: (job) => [
      newPod(job, { index: '0', phase: 'Failed', failureCount: 0 }),
      newPod(job, { index: '1', phase: 'Succeeded', failureCount: 0 }),
      newPod(job, { index: '2', phase: 'Failed', failureCount: 0 }),
      newPod(job, { index: '3', phase: 'Running', failureCount: 0 }),
    ],
    expectedFailed: 3,
    expectedSucceeded: 1,
    expectedCompletedIdxs: '1',
    expectedFailedIdxs: '0,2',
    expectedDeletions: 1,
    expectedTerminating: 1,
    expectedPodPatches: 4,
    expectedConditions: [['FailureTarget', 'True', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes']],
  },
  'replacement pod carries the index failure count': {
    job: blpiJob(2, 2, 3),
    podsList: (job) => [newPod(job, { index: '0', phase: 'Failed', failureCount: 1 }), newPod(job, { index: '1', phase: 'Running', failureCount: 0 })],
    expectedActive: 2,
    expectedFailedIdxs: '',
    expectedCreations: 1,
    expectedCreatedIndexes: [0],
    expectedCreatedAnnotations: [{ 'batch.kubernetes.io/job-index-failure-count': '2' }],
  },
  'per-index backoff grows with the index failure count': {
    job: blpiJob(2, 2, 6),
    podsList: (job) => [
      newPod(job, { index: '0', phase: 'Failed', failureCount: 2, finishedAt: at(REFERENCE_TIME, -5_000) }),
      newPod(job, { index: '1', phase: 'Running', failureCount: 0 }),
    ],
    // Third failure of index 0: 40 s after it finished, 35 s from now.
    expectedActive: 1,
    expectedFailedIdxs: '',
    expectedRequeues: [35_000],
  },
};

describe('syncJob: TestSyncJobWithJobBackoffLimitPerIndex', () => {
  for (const [name, tc] of Object.entries(backoffLimitPerIndexCases)) {
    it(name, async () => {
      const r = await runSyncCase(tc);
      checkSyncCase(tc, r);
      expect(r.t.lastJob?.status?.failedIndexes).toBe(tc.expectedFailedIdxs);
      if (tc.expectedCreatedAnnotations) {
        expect(
          r.podControl.templates.map((p) => {
            const a = { ...p.metadata?.annotations };
            delete a[COMPLETION_INDEX_ANNOTATION];
            return a;
          }),
        ).toEqual(tc.expectedCreatedAnnotations);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Adoption and release (R16): TestClaimPods-style cases through syncJob.

describe('syncJob: adoption and release of pods', () => {
  it('adopts a matching orphan: controller ownerRef and tracking finalizer, after a fresh read of the Job', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [newPod(job, { name: 'orphan', uid: 'orphan-uid', owned: false, finalizer: false })],
      expectedActive: 1,
      expectedPodPatches: 1,
    });
    expect(r.err).toBeUndefined();
    expect(r.podControl.patches[0]).toEqual({
      namespace: 'default',
      name: 'orphan',
      patch: {
        metadata: {
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'foobar', uid: 'uid-foobar', controller: true, blockOwnerDeletion: true }],
          uid: 'orphan-uid',
          finalizers: ['batch.kubernetes.io/job-tracking'],
        },
      },
    });
    expect(r.t.clientset.actionsFor('get', 'jobs')).toHaveLength(1);
    expect(r.podControl.templates).toHaveLength(0);
  });

  it('counts an adopted finished orphan through the tracking finalizer it just got', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [newPod(job, { name: 'orphan', uid: 'orphan-uid', owned: false, finalizer: false, phase: 'Succeeded' })],
      expectedSucceeded: 1,
      expectedPodPatches: 2,
      expectedConditions: [SCM, COMPLETE],
    });
    expect(r.podControl.patches.map((p) => Object.keys((p.patch.metadata ?? {}) as object))).toEqual([
      ['ownerReferences', 'uid', 'finalizers'],
      ['$deleteFromPrimitiveList/finalizers'],
    ]);
  });

  it('releases an owned pod that stopped matching, and replaces it', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [newPod(job, { name: 'relabelled', uid: 'p-uid', labels: { foo: 'other' } })],
      expectedCreations: 1,
      expectedActive: 1,
      expectedPodPatches: 1,
    });
    expect(r.podControl.patches[0].patch).toEqual({
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-foobar' }], uid: 'p-uid', '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] },
    });
  });

  it('leaves pods controlled by someone else alone', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => {
        const p = newPod(job, { name: 'theirs' });
        p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }];
        return [p];
      },
      expectedCreations: 1,
      expectedActive: 1,
    });
    expect(r.podControl.patches).toEqual([]);
  });

  it('does not adopt orphans that are being deleted or do not match', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [
        newPod(job, { name: 'dying', owned: false, deleting: true }),
        newPod(job, { name: 'unrelated', owned: false, labels: { app: 'x' } }),
      ],
      expectedCreations: 1,
      expectedActive: 1,
    });
    expect(r.podControl.patches).toEqual([]);
    expect(r.t.clientset.actionsFor('get', 'jobs')).toHaveLength(0);
  });

  it('fails the sync instead of adopting when a fresh read shows the Job being deleted', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [newPod(job, { name: 'orphan', owned: false })],
      setup: (t, job) => {
        t.clientset.prependReactor('get', 'jobs', () => ({ object: { ...job, metadata: { ...job.metadata, deletionTimestamp: REFERENCE_TIME } } }));
      },
      expectError: true,
      expectedActive: 0,
    }).catch((e: unknown) => e);
    const { err, podControl } = r as Awaited<ReturnType<typeof runSyncCase>>;
    expect((err as Error).message).toBe(`default/foobar has just been deleted at ${REFERENCE_TIME}`);
    expect(podControl.patches).toEqual([]);
    expect(podControl.templates).toEqual([]);
  });

  it('fails the sync when the Job was replaced by one with another uid', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1 },
      podsList: (job) => [newPod(job, { name: 'orphan', owned: false })],
      setup: (t, job) => {
        t.clientset.prependReactor('get', 'jobs', () => ({ object: { ...job, metadata: { ...job.metadata, uid: 'new-uid' } } }));
      },
    });
    expect((r.err as Error).message).toBe('original Job default/foobar is gone: got uid new-uid, wanted uid-foobar');
  });

  it('neither adopts nor releases while the Job is being deleted', async () => {
    const r = await runSyncCase({
      job: { parallelism: 1, completions: 1, deleting: true },
      podsList: (job) => [newPod(job, { name: 'orphan', owned: false, finalizer: false }), newPod(job, { name: 'relabelled', labels: { foo: 'x' }, finalizer: false })],
    });
    expect(r.err).toBeUndefined();
    expect(r.podControl.patches).toEqual([]);
    expect(r.t.lastJob?.status?.active).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Exact counting across crashes: the controller dies at every single write (before it reaches
// the API, or after the API applied it but before the answer came back); a fresh controller with
// no memory then syncs until nothing changes. No pod may be lost or counted twice.

type Fault = 'lost-request' | 'lost-response';

interface CrashScenario {
  job: JobOptions;
  pods: (job: Job) => Pod[];
  want: { succeeded: number; failed: number; conditions: Cond[]; completedIndexes?: string };
}

const crashScenarios: Record<string, CrashScenario> = {
  'a running Job with finished pods (non-indexed)': {
    job: { parallelism: 0, completions: 10 },
    pods: (job) => [...podsByPhase(job, { succeeded: 3, failed: 2 }), newPod(job, { phase: 'Failed', deleting: true })],
    want: { succeeded: 3, failed: 3, conditions: [] },
  },
  'a Job completing (non-indexed)': {
    job: { parallelism: 2, completions: 2 },
    pods: (job) => podsByPhase(job, { succeeded: 2, failed: 1 }),
    want: { succeeded: 2, failed: 1, conditions: [SCM, COMPLETE] },
  },
  'a Job failing on its backoff limit': {
    job: { parallelism: 3, completions: 5, backoffLimit: 1 },
    pods: (job) => podsByPhase(job, { succeeded: 1, failed: 2 }),
    want: { succeeded: 1, failed: 2, conditions: [FT_BACKOFF, FAILED_BACKOFF] },
  },
  'an Indexed Job completing with a repeated index': {
    job: { parallelism: 3, completions: 3, completionMode: 'Indexed' },
    pods: (job) =>
      podsWithIndexes(job, [
        ['0', 'Succeeded'],
        ['1', 'Failed'],
        ['1', 'Succeeded'],
        ['2', 'Succeeded'],
        ['2', 'Succeeded'],
      ]),
    want: { succeeded: 3, failed: 1, conditions: [SCM, COMPLETE], completedIndexes: '0-2' },
  },
};

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

/** Applies the write the way the API would, for faults that lose only the answer. */
function applyWrite(t: TestController, a: FakeAction): void {
  const info = a.resource === 'jobs' ? Resources.jobs : Resources.pods;
  const tr = t.clientset.tracker;
  if (a.verb === 'patch') tr.patch(info, a.namespace, a.name ?? '', a.patchType ?? 'strategic', a.patch, a.subresource, t.clientset.strategicMerge);
  else if (a.verb === 'update') tr.update(info, a.namespace, a.object as Job, a.subresource);
  else if (a.verb === 'delete') tr.delete(info, a.namespace, a.name ?? '', a.deleteOptions ?? {}, false);
  else if (a.verb === 'create') tr.create(info, a.namespace, a.object as Pod);
}

async function runUntilStable(t: TestController, job: Job): Promise<number> {
  for (let round = 0; round < 10; round++) {
    t.loadCachesFromApi();
    const before = t.clientset.actions.filter((a) => WRITE_VERBS.has(a.verb)).length;
    t.controller.expectations.deleteExpectations('default/foobar');
    await t.sync(job);
    const after = t.clientset.actions.filter((a) => WRITE_VERBS.has(a.verb)).length;
    if (after === before) return round;
  }
  throw new Error('the controller did not settle');
}

function seed(scenario: CrashScenario): { t: TestController; job: Job; pods: Pod[] } {
  const t = new TestController({ realStatusWrites: true, realPodControl: true });
  const job = newJob(scenario.job);
  t.clientset.tracker.add(Resources.jobs, job);
  const pods = scenario.pods(job);
  for (const p of pods) t.clientset.tracker.add(Resources.pods, p);
  return { t, job, pods };
}

describe('exact counting through uncountedTerminatedPods and the tracking finalizer', () => {
  for (const [name, scenario] of Object.entries(crashScenarios)) {
    it(`${name}: the fault-free run counts every pod once`, async () => {
      const { t, job } = seed(scenario);
      await runUntilStable(t, job);
      const stored = t.clientset.tracker.get(Resources.jobs, 'default', 'foobar') as Job;
      expect(stored.status?.succeeded ?? 0).toBe(scenario.want.succeeded);
      expect(stored.status?.failed ?? 0).toBe(scenario.want.failed);
      expect(conditionSummary(stored.status?.conditions)).toEqual(scenario.want.conditions);
    });

    for (const fault of ['lost-request', 'lost-response'] as Fault[]) {
      it(`${name}: a crash at any write (${fault}) neither loses nor double-counts a pod`, async () => {
        // How many writes a fault-free run makes.
        const clean = seed(scenario);
        await runUntilStable(clean.t, clean.job);
        const writes = clean.t.clientset.actions.filter((a) => WRITE_VERBS.has(a.verb)).length;
        expect(writes).toBeGreaterThan(0);

        for (let k = 0; k < writes; k++) {
          const { t, job, pods } = seed(scenario);
          let n = 0;
          t.clientset.prependReactor('*', '*', (a) => {
            if (!WRITE_VERBS.has(a.verb) || n++ !== k) return undefined;
            if (fault === 'lost-response') applyWrite(t, a);
            return { error: new Error(`injected ${fault} at write ${k}`) };
          });
          // Controller #1 syncs once and dies at write k.
          t.loadCachesFromApi();
          const err = await t.sync(job);
          expect(err, `write ${k}`).toBeDefined();

          // Controller #2 starts from nothing but the API's state.
          const t2 = new TestController({ realStatusWrites: true, realPodControl: true, clientset: t.clientset });
          await runUntilStable(t2, job);

          const stored = t.clientset.tracker.get(Resources.jobs, 'default', 'foobar') as Job;
          const ctxMsg = `${fault} at write ${k} of ${writes}`;
          expect(stored.status?.succeeded ?? 0, ctxMsg).toBe(scenario.want.succeeded);
          expect(stored.status?.failed ?? 0, ctxMsg).toBe(scenario.want.failed);
          expect(stored.status?.uncountedTerminatedPods, ctxMsg).toEqual({});
          expect(conditionSummary(stored.status?.conditions), ctxMsg).toEqual(scenario.want.conditions);
          if (scenario.want.completedIndexes) expect(stored.status?.completedIndexes, ctxMsg).toBe(scenario.want.completedIndexes);
          const left = t.clientset.tracker.list(Resources.pods, 'default') as Pod[];
          expect(left.filter((p) => p.metadata.finalizers?.length), ctxMsg).toEqual([]);
          // Pods already being deleted go away with their finalizer; the others stay.
          expect(left).toHaveLength(pods.filter((p) => !p.metadata.deletionTimestamp).length);
        }
      });
    }
  }
});

