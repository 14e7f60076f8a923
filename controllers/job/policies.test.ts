import { describe, expect, it } from 'vitest';
import { parseIndexesFromString } from './intervals.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import { newJob, newPod } from './testing/builders.js';

const job = newJob();

describe('matchPodFailurePolicy', () => {
  it('counts by default, and the first matching rule decides', () => {
    const pod = newPod(job, { name: 'p', phase: 'Failed', exitCode: 42 });
    expect(matchPodFailurePolicy(undefined, pod)).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy({ rules: [] }, pod)).toEqual({ countFailed: true });
    expect(
      matchPodFailurePolicy({ rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] }, pod),
    ).toEqual({ countFailed: true, action: 'FailJob', jobFailureMessage: 'Container main-container for pod default/p failed with exit code 42 matching FailJob rule at index 1' });
  });

  it('never matches exit code 0 and honours containerName', () => {
    const ok = newPod(job, { phase: 'Failed', exitCode: 0 });
    expect(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }] }, ok)).toEqual({ countFailed: true });
    const pod = newPod(job, { phase: 'Failed', exitCode: 3 });
    expect(matchPodFailurePolicy({ rules: [{ action: 'Ignore', onExitCodes: { containerName: 'sidecar', operator: 'In', values: [3] } }] }, pod)).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy({ rules: [{ action: 'Ignore', onExitCodes: { containerName: 'main-container', operator: 'In', values: [3] } }] }, pod)).toEqual({
      countFailed: false,
      action: 'Ignore',
    });
  });

  it('matches pod conditions by type and status (status defaulting to True)', () => {
    const pod = newPod(job, { name: 'p', phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, pod).jobFailureMessage).toBe(
      'Pod default/p has condition DisruptionTarget matching FailJob rule at index 0',
    );
    expect(matchPodFailurePolicy({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'False' }] }] }, pod)).toEqual({ countFailed: true });
  });
});

describe('matchSuccessPolicy', () => {
  const succeeded = parseIndexesFromString('0,2-4', 10);
  it('matches listed indexes, counts, or both', () => {
    expect(matchSuccessPolicy({ rules: [{ succeededIndexes: '2-4' }] }, 10, succeeded)).toBe('Matched rules at index 0');
    expect(matchSuccessPolicy({ rules: [{ succeededIndexes: '0-2' }] }, 10, succeeded)).toBeUndefined();
    expect(matchSuccessPolicy({ rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] }, 10, succeeded)).toBe('Matched rules at index 0');
    expect(matchSuccessPolicy({ rules: [{ succeededCount: 5 }, { succeededCount: 4 }] }, 10, succeeded)).toBe('Matched rules at index 1');
    expect(matchSuccessPolicy({ rules: [{ succeededIndexes: '12' }] }, 10, succeeded)).toBeUndefined();
    expect(matchSuccessPolicy(undefined, 10, succeeded)).toBeUndefined();
    expect(matchSuccessPolicy({ rules: [{ succeededCount: 0 }] }, 10, [])).toBeUndefined();
  });
});
