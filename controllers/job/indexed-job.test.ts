import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from '../../api/index.js';
import { addCompletionIndexEnvVariables, appendDuplicatedIndexPodsForRemoval, firstPendingIndexes, podGenerateNameWithIndex } from './indexed-job.js';
import { parseIndexesFromString } from './intervals.js';
import { newJob, newPod } from './testing/builders.js';

describe('indexed job helpers', () => {
  it('firstPendingIndexes skips succeeded, active, failed and (Failed policy) terminating indexes', () => {
    const job = newJob({ completionMode: 'Indexed', completions: 10, podReplacementPolicy: 'Failed' });
    const pods = [newPod(job, { index: '1' }), newPod(job, { index: '4', deleting: true })];
    const view = { job, pods, activePods: [pods[0]], succeededIndexes: parseIndexesFromString('0,2', 10), failedIndexes: parseIndexesFromString('5', 10) };
    expect(firstPendingIndexes(view, 4, 10)).toEqual([3, 6, 7, 8]);
    expect(firstPendingIndexes(view, 10, 10)).toEqual([3, 6, 7, 8, 9]);
    expect(firstPendingIndexes({ ...view, job: newJob({ completionMode: 'Indexed', completions: 10 }) }, 2, 10)).toEqual([3, 4]);
    expect(firstPendingIndexes(view, 0, 10)).toEqual([]);
  });

  it('removes pods without index, beyond completions, and all but one per repeated index', () => {
    const job = newJob({ completionMode: 'Indexed', completions: 3 });
    const keep = newPod(job, { name: 'keep', index: '1', phase: 'Running', ready: true });
    const dup = newPod(job, { name: 'dup', index: '1', phase: 'Pending' });
    const none = newPod(job, { name: 'none' });
    const beyond = newPod(job, { name: 'beyond', index: '3' });
    const single = newPod(job, { name: 'single', index: '0' });
    const { rm, left } = appendDuplicatedIndexPodsForRemoval([beyond, keep, none, dup, single], 3);
    expect(rm.map((p) => p.metadata.name).sort()).toEqual(['beyond', 'dup', 'none']);
    expect(left.map((p) => p.metadata.name).sort()).toEqual(['keep', 'single']);
  });

  it('adds JOB_COMPLETION_INDEX from the index label unless a container defines it', () => {
    const t: PodTemplateSpec = {
      spec: {
        initContainers: [{ name: 'init' }],
        containers: [{ name: 'a' }, { name: 'b', env: [{ name: 'JOB_COMPLETION_INDEX', value: 'mine' }] }],
      },
    };
    addCompletionIndexEnvVariables(t);
    const ref = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } };
    expect(t.spec.initContainers?.[0].env).toEqual([ref]);
    expect(t.spec.containers[0].env).toEqual([ref]);
    expect(t.spec.containers[1].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', value: 'mine' }]);
  });

  it('cuts the generateName prefix to 58 characters', () => {
    expect(podGenerateNameWithIndex('pi', 3)).toBe('pi-3-');
    const long = 'x'.repeat(60);
    const name = podGenerateNameWithIndex(long, 123);
    expect(name).toHaveLength(58);
    expect(name.endsWith('-123-')).toBe(true);
  });
});
