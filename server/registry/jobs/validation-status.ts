// The Job's /status subresource, as upstream's ValidateJobUpdateStatus with JobManagedBy on:
// counters, conditions and index lists, most rules applied only to the fields that changed.
import type { JobCondition } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import { validateNonnegativeField, validateObjectMetaUpdate } from '../meta-validation.js';
import { semanticEqual } from '../semantic-equal.js';
import type { JobObject } from './types.js';
import { isSet, parseIndexInterval, validateIndexesFormat } from './validation-spec.js';

function isConditionTrue(conditions: JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** True once the Job has a Complete=True or Failed=True condition. */
export function isJobFinished(job: JobObject): boolean {
  return isConditionTrue(job.status?.conditions, 'Complete') || isConditionTrue(job.status?.conditions, 'Failed');
}

interface StatusChecks {
  rejectDecreasingSucceeded: boolean;
  rejectInvalidCompletedIndexes: boolean;
  rejectInvalidFailedIndexes: boolean;
  rejectCompletedIndexesForNonIndexed: boolean;
  rejectFailedIndexesForNoBackoffLimitPerIndex: boolean;
  rejectFailedIndexesOverlappingCompleted: boolean;
  rejectFinishedWithActive: boolean;
  rejectFinishedWithoutStartTime: boolean;
  rejectFinishedWithUncounted: boolean;
  rejectStartTimeUpdateForUnsuspended: boolean;
  rejectCompletionTimeBeforeStartTime: boolean;
  rejectNotCompleteWithCompletionTime: boolean;
  rejectCompleteWithoutCompletionTime: boolean;
  rejectCompleteWithFailed: boolean;
  rejectCompleteWithFailureTarget: boolean;
  rejectFailedWithoutFailureTarget: boolean;
  rejectCompleteWithoutSuccessCriteriaMet: boolean;
  rejectFinishedWithTerminating: boolean;
  rejectMoreReadyThanActive: boolean;
}

/** getStatusValidationOptions (JobManagedBy on): most rules apply only to fields that changed. */
function statusChecks(job: JobObject, old: JobObject): StatusChecks {
  const s = job.status ?? {};
  const o = old.status ?? {};
  const indexed = job.spec?.completionMode === 'Indexed';
  const finishedChanged = isJobFinished(old) !== isJobFinished(job);
  const completeChanged = isConditionTrue(o.conditions, 'Complete') !== isConditionTrue(s.conditions, 'Complete');
  const failedChanged = isConditionTrue(o.conditions, 'Failed') !== isConditionTrue(s.conditions, 'Failed');
  const failureTargetChanged = isConditionTrue(o.conditions, 'FailureTarget') !== isConditionTrue(s.conditions, 'FailureTarget');
  const completedIndexesChanged = (o.completedIndexes ?? '') !== (s.completedIndexes ?? '');
  const failedIndexesChanged = o.failedIndexes !== s.failedIndexes;
  const activeChanged = (o.active ?? 0) !== (s.active ?? 0);
  const startTimeChanged = o.startTime !== s.startTime;
  const completionTimeChanged = o.completionTime !== s.completionTime;
  const uncountedChanged = !semanticEqual(o.uncountedTerminatedPods, s.uncountedTerminatedPods);
  const successCriteriaMetChanged = isConditionTrue(o.conditions, 'SuccessCriteriaMet') !== isConditionTrue(s.conditions, 'SuccessCriteriaMet');
  const terminatingChanged = (o.terminating ?? 0) !== (s.terminating ?? 0);
  const readyChanged = (o.ready ?? 0) !== (s.ready ?? 0);
  return {
    rejectDecreasingSucceeded: !indexed || job.spec?.completions !== job.spec?.parallelism,
    rejectInvalidCompletedIndexes: completedIndexesChanged,
    rejectInvalidFailedIndexes: failedIndexesChanged,
    rejectCompletedIndexesForNonIndexed: completedIndexesChanged,
    rejectFailedIndexesForNoBackoffLimitPerIndex: failedIndexesChanged,
    rejectFailedIndexesOverlappingCompleted: failedIndexesChanged || completedIndexesChanged,
    rejectFinishedWithActive: finishedChanged || activeChanged,
    // A suspended Job with completions 0 completes without ever starting (kubernetes#132144, #132614).
    rejectFinishedWithoutStartTime: (finishedChanged || startTimeChanged) && !(job.spec?.suspend === true && job.spec?.completions === 0),
    rejectFinishedWithUncounted: finishedChanged || uncountedChanged,
    rejectStartTimeUpdateForUnsuspended: startTimeChanged,
    rejectCompletionTimeBeforeStartTime: startTimeChanged || completionTimeChanged,
    rejectNotCompleteWithCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteWithoutCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteWithFailed: completeChanged || failedChanged,
    rejectCompleteWithFailureTarget: completeChanged || failureTargetChanged,
    rejectFailedWithoutFailureTarget: failedChanged || failureTargetChanged,
    rejectCompleteWithoutSuccessCriteriaMet: completeChanged || successCriteriaMetChanged,
    rejectFinishedWithTerminating: finishedChanged || terminatingChanged,
    rejectMoreReadyThanActive: readyChanged || activeChanged,
  };
}

function indexesOverlap(completed: string, failed: string, completions: number): string | undefined {
  const parse = (s: string): [number, number][] => {
    const out: [number, number][] = [];
    for (const part of s ? s.split(',') : []) {
      try {
        out.push(parseIndexInterval(part, completions));
      } catch {
        // Format errors are reported by the format check.
      }
    }
    return out;
  };
  for (const [cx, cy] of parse(completed)) {
    for (const [fx, fy] of parse(failed)) {
      if (cx <= fy && fx <= cy) return `failedIndexes and completedIndexes overlap at index: ${Math.max(cx, fx)}`;
    }
  }
  return undefined;
}

function validateJobStatus(job: JobObject, checks: StatusChecks): FieldError[] {
  const p = new FieldPath('status');
  const s = job.status ?? {};
  const conditions = s.conditions;
  const complete = isConditionTrue(conditions, 'Complete');
  const failed = isConditionTrue(conditions, 'Failed');
  const failureTarget = isConditionTrue(conditions, 'FailureTarget');
  const successCriteriaMet = isConditionTrue(conditions, 'SuccessCriteriaMet');
  const finished = complete || failed;
  const omit = (path: FieldPath, detail: string): FieldError => ({ ...fieldErrors.invalid(path, null, detail), omitValue: true });
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) {
    const v = s[f];
    if (isSet(v)) errs.push(...validateNonnegativeField(v, p.child(f)));
  }
  if (s.uncountedTerminatedPods) {
    const up = p.child('uncountedTerminatedPods');
    const seen = new Set<string>();
    for (const key of ['succeeded', 'failed'] as const) {
      (s.uncountedTerminatedPods[key] ?? []).forEach((uid, i) => {
        const ip = up.child(key).index(i);
        if (!uid) errs.push(fieldErrors.invalid(ip, uid, 'must not be empty'));
        else if (seen.has(uid)) errs.push(fieldErrors.duplicate(ip, uid));
        else seen.add(uid);
      });
    }
  }
  if (checks.rejectCompleteWithFailed && complete && failed) errs.push(omit(p.child('conditions'), 'cannot set Complete=True and Failed=true conditions'));
  if (checks.rejectCompleteWithFailureTarget && complete && failureTarget) {
    errs.push(omit(p.child('conditions'), 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if (checks.rejectNotCompleteWithCompletionTime && s.completionTime && !complete) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'cannot set completionTime when there is no Complete=True condition'));
  }
  if (checks.rejectCompleteWithoutCompletionTime && !s.completionTime && complete) {
    errs.push(fieldErrors.required(p.child('completionTime'), 'completionTime is required for Complete jobs'));
  }
  if (checks.rejectCompletionTimeBeforeStartTime && s.startTime && s.completionTime && Date.parse(s.completionTime) < Date.parse(s.startTime)) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'completionTime cannot be set before startTime'));
  }
  if (checks.rejectFailedWithoutFailureTarget && failed && !failureTarget) errs.push(omit(p.child('conditions'), 'cannot set Failed=True condition without the FailureTarget=true condition'));
  if (checks.rejectCompleteWithoutSuccessCriteriaMet && complete && !successCriteriaMet) errs.push(omit(p.child('conditions'), 'cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  if (checks.rejectFinishedWithActive && (s.active ?? 0) > 0 && finished) {
    errs.push(fieldErrors.invalid(p.child('active'), s.active, 'active>0 is invalid for finished job'));
  }
  if (checks.rejectFinishedWithoutStartTime && !s.startTime && finished) {
    errs.push(fieldErrors.required(p.child('startTime'), 'startTime is required for finished job'));
  }
  const uncounted = (s.uncountedTerminatedPods?.failed?.length ?? 0) + (s.uncountedTerminatedPods?.succeeded?.length ?? 0);
  if (checks.rejectFinishedWithUncounted && finished && uncounted > 0) {
    errs.push(fieldErrors.invalid(p.child('uncountedTerminatedPods'), s.uncountedTerminatedPods, 'uncountedTerminatedPods needs to be empty for finished job'));
  }
  const completions = job.spec?.completions;
  if (checks.rejectInvalidCompletedIndexes && isSet(completions)) {
    try {
      validateIndexesFormat(s.completedIndexes ?? '', completions);
    } catch (e) {
      errs.push(fieldErrors.invalid(p.child('completedIndexes'), s.completedIndexes ?? '', `error parsing completedIndexes: ${(e as Error).message}`));
    }
  }
  if (checks.rejectInvalidFailedIndexes && isSet(completions) && isSet(job.spec?.backoffLimitPerIndex) && isSet(s.failedIndexes)) {
    try {
      validateIndexesFormat(s.failedIndexes, completions);
    } catch (e) {
      errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, `error parsing failedIndexes: ${(e as Error).message}`));
    }
  }
  const indexed = job.spec?.completionMode === 'Indexed';
  if (checks.rejectCompletedIndexesForNonIndexed && (s.completedIndexes ?? '') !== '' && !indexed) {
    errs.push(fieldErrors.invalid(p.child('completedIndexes'), s.completedIndexes, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (checks.rejectFailedIndexesForNoBackoffLimitPerIndex && !isSet(job.spec?.backoffLimitPerIndex) && isSet(s.failedIndexes)) {
    errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if (checks.rejectFailedIndexesOverlappingCompleted && isSet(completions) && isSet(s.failedIndexes)) {
    const overlap = indexesOverlap(s.completedIndexes ?? '', s.failedIndexes, completions);
    if (overlap) errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, overlap));
  }
  if (checks.rejectFinishedWithTerminating && (s.terminating ?? 0) > 0 && finished) errs.push(fieldErrors.invalid(p.child('terminating'), s.terminating, 'terminating>0 is invalid for finished job'));
  if (checks.rejectMoreReadyThanActive && isSet(s.ready) && s.ready > (s.active ?? 0)) errs.push(fieldErrors.invalid(p.child('ready'), s.ready, 'cannot set more ready pods than active'));
  if (successCriteriaMet && failed) errs.push(omit(p.child('conditions'), 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  if (successCriteriaMet && failureTarget) errs.push(omit(p.child('conditions'), 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  if (job.spec?.successPolicy && !successCriteriaMet && complete) {
    errs.push(omit(p.child('conditions'), 'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'));
  }
  return errs;
}

/**
 * ValidateJobUpdateStatus: counters >= 0, then (upstream's JobManagedBy rules, run
 * on the fields that changed) terminal conditions are never removed, counters never go
 * down, Complete needs SuccessCriteriaMet and completionTime, Failed needs FailureTarget,
 * a finished Job has no active or terminating pods, ready <= active, completionTime is
 * never changed once set, and startTime changes only while the Job is suspended or
 * in the status write that resumes it.
 */
export function validateJobStatusUpdate(job: JobObject, old: JobObject): FieldError[] {
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata);
  const checks = statusChecks(job, old);
  errs.push(...validateJobStatus(job, checks));
  const p = new FieldPath('status');
  const s = job.status ?? {};
  const o = old.status ?? {};
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (isConditionTrue(o.conditions, type) && !isConditionTrue(s.conditions, type)) {
      errs.push({ ...fieldErrors.invalid(p.child('conditions'), null, `cannot disable the terminal ${type}=True condition`), omitValue: true });
    }
  }
  if ((s.failed ?? 0) < (o.failed ?? 0)) errs.push(fieldErrors.invalid(p.child('failed'), s.failed ?? 0, 'cannot decrease the failed counter'));
  if (checks.rejectDecreasingSucceeded && (s.succeeded ?? 0) < (o.succeeded ?? 0)) {
    errs.push(fieldErrors.invalid(p.child('succeeded'), s.succeeded ?? 0, 'cannot decrease the succeeded counter'));
  }
  if (s.completionTime && o.completionTime && s.completionTime !== o.completionTime) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'completionTime cannot be mutated'));
  }
  // Resuming (Suspended True -> False) resets startTime: allowed (kubernetes#134769, for Jobs
  // suspended while they kept a startTime).
  const resuming = isConditionTrue(o.conditions, 'Suspended') && (s.conditions ?? []).some((c) => c.type === 'Suspended' && c.status === 'False');
  if (checks.rejectStartTimeUpdateForUnsuspended && o.startTime && o.startTime !== s.startTime && job.spec?.suspend !== true && !resuming) {
    errs.push(fieldErrors.required(p.child('startTime'), 'startTime cannot be removed for unsuspended job'));
  }
  if (isConditionTrue(o.conditions, 'SuccessCriteriaMet') && !isConditionTrue(s.conditions, 'SuccessCriteriaMet')) {
    errs.push({ ...fieldErrors.invalid(p.child('conditions'), null, 'cannot disable the SuccessCriteriaMet=True condition'), omitValue: true });
  }
  if (isConditionTrue(o.conditions, 'Complete') && !isConditionTrue(o.conditions, 'SuccessCriteriaMet') && isConditionTrue(s.conditions, 'SuccessCriteriaMet')) {
    errs.push({
      ...fieldErrors.invalid(p.child('conditions'), null, 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'),
      omitValue: true,
    });
  }
  return errs;
}
