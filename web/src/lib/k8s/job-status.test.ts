import { describe, expect, it } from 'vitest';
import { condition, containerStatus, newJob, newPod, running, terminated, waiting } from './fixtures.js';
import { jobCompletionsText, jobCompletionTime, jobDurationText, jobFailureSummary, jobPodSelector, jobProgressPercent, jobStatusText } from './job-status.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('jobStatusText (kubectl STATUS)', () => {
  it.each([
    [newJob({ conditions: [condition('Complete')] }), 'Complete'],
    [newJob({ conditions: [condition('Failed', 'BackoffLimitExceeded')] }), 'Failed'],
    [newJob({ deletionTimestamp: '2026-01-01T00:00:10Z' }), 'Terminating'],
    [newJob({ suspend: true, conditions: [condition('Suspended', 'JobSuspended')] }), 'Suspended'],
    [newJob({ conditions: [condition('FailureTarget', 'BackoffLimitExceeded')] }), 'FailureTarget'],
    [newJob({ conditions: [condition('SuccessCriteriaMet', 'CompletionsReached')] }), 'SuccessCriteriaMet'],
    [newJob({ active: 2 }), 'Running'],
  ])('%#: %s', (job, text) => {
    expect(jobStatusText(job)).toBe(text);
  });

  it('ignores conditions whose status is not True', () => {
    const job = newJob({ conditions: [{ ...condition('Suspended'), status: 'False' }] });
    expect(jobStatusText(job)).toBe('Running');
  });
});

describe('completions and progress', () => {
  it('prints succeeded/completions, and "x/1 of n" for a work queue', () => {
    expect(jobCompletionsText(newJob({ completions: 4, parallelism: 2, succeeded: 1 }))).toBe('1/4');
    expect(jobCompletionsText(newJob({ completions: null, parallelism: 3, succeeded: 0 }))).toBe('0/1 of 3');
    expect(jobCompletionsText(newJob({ completions: null, parallelism: 1 }))).toBe('0/1');
  });

  it('computes progress from succeeded pods; a work queue is 0 until complete', () => {
    expect(jobProgressPercent(newJob({ completions: 4, succeeded: 1 }))).toBe(25);
    expect(jobProgressPercent(newJob({ completions: 3, succeeded: 3 }))).toBe(100);
    expect(jobProgressPercent(newJob({ completions: null, parallelism: 2, succeeded: 1 }))).toBe(0);
    expect(jobProgressPercent(newJob({ completions: null, parallelism: 2, succeeded: 1, conditions: [condition('Complete')] }))).toBe(100);
  });
});

describe('jobCompletionTime (once, and only once, every pod has finished: docs/product.md#job-list-completion-time)', () => {
  const complete = { completionTime: '2026-01-01T00:02:00Z', startTime: '2026-01-01T00:00:00Z', conditions: [condition('Complete')] };

  it('shows the completion time of a Complete job with no active or terminating pods', () => {
    expect(jobCompletionTime(newJob({ ...complete, succeeded: 2, active: 0 }))).toBe('2026-01-01T00:02:00Z');
  });

  it('shows nothing while the job runs', () => {
    expect(jobCompletionTime(newJob({ startTime: complete.startTime, active: 2, succeeded: 0 }))).toBeUndefined();
  });

  it('shows nothing when a completion time comes without the Complete condition', () => {
    expect(jobCompletionTime(newJob({ completionTime: complete.completionTime }))).toBeUndefined();
  });

  it('shows nothing while pods are still active or terminating, or not yet counted', () => {
    expect(jobCompletionTime(newJob({ ...complete, active: 1 }))).toBeUndefined();
    expect(jobCompletionTime(newJob({ ...complete, terminating: 1 }))).toBeUndefined();
    const j = newJob(complete);
    j.status!.uncountedTerminatedPods = { succeeded: ['u1'] };
    expect(jobCompletionTime(j)).toBeUndefined();
  });

  it('with the pods known, shows nothing until every pod is Succeeded or Failed', () => {
    const job = newJob({ ...complete, succeeded: 2 });
    const done = newPod({ job, name: 'a', phase: 'Succeeded' });
    const runningPod = newPod({ job, name: 'b', phase: 'Running' });
    expect(jobCompletionTime(job, [done, runningPod])).toBeUndefined();
    expect(jobCompletionTime(job, [done, { ...runningPod, status: { phase: 'Succeeded' } }])).toBe('2026-01-01T00:02:00Z');
  });

  it('shows nothing for a failed job (it never completed)', () => {
    expect(jobCompletionTime(newJob({ conditions: [condition('Failed', 'BackoffLimitExceeded')] }))).toBeUndefined();
  });
});

describe('jobDurationText', () => {
  it('is empty before the job started', () => {
    expect(jobDurationText(newJob(), T0 + 5000)).toBe('');
  });
  it('counts up from the start time while running', () => {
    expect(jobDurationText(newJob({ startTime: '2026-01-01T00:00:00Z' }), T0 + 75_000)).toBe('75s');
  });
  it('stops at the completion time', () => {
    expect(jobDurationText(newJob({ startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:02:30Z', conditions: [condition('Complete')] }), T0 + 3_600_000)).toBe('2m30s');
  });
  it('stops at the Failed condition for a failed job', () => {
    expect(jobDurationText(newJob({ startTime: '2026-01-01T00:00:00Z', conditions: [condition('Failed', 'DeadlineExceeded', '', '2026-01-01T00:00:40Z')] }), T0 + 3_600_000)).toBe('40s');
  });
});

describe('jobFailureSummary (the failure card)', () => {
  it('joins the Failed condition with the most recently failed pod and its failed container', () => {
    const job = newJob({ conditions: [condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] });
    const early = newPod({ job, name: 'p1', phase: 'Failed', containerStatuses: [containerStatus('container-0', terminated(1, 'Error', '2026-01-01T00:00:10Z'))] });
    const late = newPod({ job, name: 'p2', phase: 'Failed', containerStatuses: [containerStatus('container-0', terminated(137, 'OOMKilled', '2026-01-01T00:00:50Z'))] });
    const s = jobFailureSummary(job, [early, late]);
    expect(s).toMatchObject({ kind: 'failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', pod: 'p2' });
    expect(s?.container).toMatchObject({ container: 'container-0', exitCode: 137, reason: 'OOMKilled', init: false, previous: false });
  });

  it('finds a failed init container first', () => {
    const job = newJob({ conditions: [condition('Failed', 'BackoffLimitExceeded')] });
    const pod = newPod({ job, phase: 'Failed', initContainers: ['init-0'], initContainerStatuses: [containerStatus('init-0', terminated(2))], containerStatuses: [containerStatus('container-0', waiting('PodInitializing'))] });
    expect(jobFailureSummary(job, [pod])?.container).toMatchObject({ container: 'init-0', init: true, exitCode: 2 });
  });

  it('uses the last run of a restarted container (OnFailure)', () => {
    const job = newJob({ conditions: [condition('Failed', 'BackoffLimitExceeded')] });
    const pod = newPod({ job, phase: 'Running', containerStatuses: [containerStatus('container-0', waiting('CrashLoopBackOff'), { restartCount: 3, lastState: terminated(3) })] });
    expect(jobFailureSummary(job, [pod])?.container).toMatchObject({ exitCode: 3, previous: true });
  });

  it('reports a failed job whose pods are gone without a pod', () => {
    const s = jobFailureSummary(newJob({ conditions: [condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline')] }), []);
    expect(s).toEqual({ kind: 'failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', pod: undefined, container: undefined });
  });

  it('reports a running job whose pod cannot pull its image as stuck', () => {
    const job = newJob({ active: 1 });
    const pod = newPod({ job, phase: 'Pending', containerStatuses: [containerStatus('container-0', waiting('ImagePullBackOff', 'Back-off pulling image "nope"'))] });
    expect(jobFailureSummary(job, [pod])).toMatchObject({ kind: 'stuck', reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"', pod: pod.metadata.name });
  });

  it('has nothing to say about a healthy or complete job', () => {
    const job = newJob({ active: 1 });
    expect(jobFailureSummary(job, [newPod({ job, phase: 'Running', containerStatuses: [containerStatus('container-0', running(), { ready: true })] })])).toBeUndefined();
    expect(jobFailureSummary(newJob({ conditions: [condition('Complete')] }), [])).toBeUndefined();
  });
});

describe('jobPodSelector', () => {
  it('uses the Job selector’s labels', () => {
    expect(jobPodSelector(newJob({ uid: 'abc' }))).toBe('batch.kubernetes.io/controller-uid=abc');
  });
});
