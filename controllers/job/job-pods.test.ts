import { describe, expect, it } from 'vitest';
import {
  compareActivePods,
  getCompletionIndex,
  isPodActive,
  isPodFailed,
  isPodReady,
  isPodTerminating,
  removeTrackingFinalizerPatch,
} from './job-pods.js';
import { newJob, newPod } from './testing/builders.js';

const job = newJob();

describe('pod classification', () => {
  it('active / terminating / ready', () => {
    expect(isPodActive(newPod(job, { phase: 'Pending' }))).toBe(true);
    expect(isPodActive(newPod(job, { phase: 'Running', deleting: true }))).toBe(false);
    expect(isPodActive(newPod(job, { phase: 'Succeeded' }))).toBe(false);
    expect(isPodTerminating(newPod(job, { phase: 'Running', deleting: true }))).toBe(true);
    expect(isPodTerminating(newPod(job, { phase: 'Failed', deleting: true }))).toBe(false);
    expect(isPodReady(newPod(job, { ready: true }))).toBe(true);
    expect(isPodReady(newPod(job))).toBe(false);
  });

  it('failed: phase Failed, or being deleted without success unless only failed pods are replaced', () => {
    const deleting = newPod(job, { phase: 'Running', deleting: true });
    expect(isPodFailed(newPod(job, { phase: 'Failed' }), job)).toBe(true);
    expect(isPodFailed(deleting, job)).toBe(true);
    expect(isPodFailed(newPod(job, { phase: 'Succeeded', deleting: true }), job)).toBe(false);
    expect(isPodFailed(deleting, newJob({ podReplacementPolicy: 'Failed' }))).toBe(false);
    expect(isPodFailed(deleting, newJob({ podFailurePolicy: { rules: [] } }))).toBe(false);
  });

  it('reads completion indexes strictly', () => {
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '3' })).toBe(3);
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '-1' })).toBe(-1);
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': 'x' })).toBe(-1);
    expect(getCompletionIndex(undefined)).toBe(-1);
  });

  it('builds the finalizer removal patch only for pods that hold it', () => {
    expect(removeTrackingFinalizerPatch(newPod(job))).toEqual({ metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } });
    expect(removeTrackingFinalizerPatch(newPod(job, { finalizer: false }))).toBeUndefined();
  });
});

describe('compareActivePods (the deletion order)', () => {
  it('deletes unscheduled before scheduled, pending before running, not ready before ready, more restarts, newer first', () => {
    const p = (name: string, o: Parameters<typeof newPod>[1]) => newPod(job, { name, ...o });
    const pods = [
      p('old-ready', { phase: 'Running', nodeName: 'n', ready: true, creationTimestamp: '2026-01-01T00:00:00Z' }),
      p('running', { phase: 'Running', nodeName: 'n', creationTimestamp: '2026-01-01T00:00:00Z' }),
      p('unscheduled', { phase: 'Pending' }),
      p('pending', { phase: 'Pending', nodeName: 'n' }),
      p('restarting', { phase: 'Running', nodeName: 'n', restartCount: 3, creationTimestamp: '2026-01-01T00:00:00Z' }),
      p('newer', { phase: 'Running', nodeName: 'n', creationTimestamp: '2026-01-02T00:00:00Z' }),
    ];
    expect(pods.sort(compareActivePods).map((x) => x.metadata.name)).toEqual(['unscheduled', 'pending', 'restarting', 'newer', 'running', 'old-ready']);
  });
});
