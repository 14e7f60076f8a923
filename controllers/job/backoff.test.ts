import { describe, expect, it } from 'vitest';
import { BackoffStore, DEFAULT_POD_FAILURE_BACKOFF, backoffDelay, getFinishedTime, remainingTime, remainingTimePerIndex } from './backoff.js';
import { newJob, newPod } from './testing/builders.js';

const job = newJob();
const at = (s: string) => new Date(s);

describe('pod failure backoff', () => {
  it('defaults to 10 s doubling, capped at 6 minutes (docs/product.md#job-settings), as constructor settings', () => {
    expect(DEFAULT_POD_FAILURE_BACKOFF).toEqual({ baseMs: 10_000, capMs: 360_000 });
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n) / 1000)).toEqual([0, 10, 20, 40, 80, 160, 320, 360, 360]);
    expect([1, 6, 7, 8].map((n) => backoffDelay(n, { baseMs: 10_000, capMs: 600_000 }) / 1000)).toEqual([10, 320, 600, 600]);
  });

  it('TestGetRemainingBackoffTime: base 5 s, cap 700 s', () => {
    const s = { baseMs: 5_000, capMs: 700_000 };
    const now = at('2026-01-01T00:10:00Z');
    const rec = (n: number, last: string) => ({ key: 'k', failuresAfterLastSuccess: n, lastFailureTime: at(last) });
    expect(remainingTime(rec(0, '2026-01-01T00:10:00Z'), now, s)).toBe(0);
    expect(remainingTime(rec(1, '2026-01-01T00:10:00Z'), now, s)).toBe(5_000);
    expect(remainingTime(rec(3, '2026-01-01T00:10:00Z'), now, s)).toBe(20_000);
    expect(remainingTime(rec(8, '2026-01-01T00:10:00Z'), now, s)).toBe(640_000);
    expect(remainingTime(rec(9, '2026-01-01T00:10:00Z'), now, s)).toBe(700_000);
    expect(remainingTime(rec(3, '2026-01-01T00:09:50Z'), now, s)).toBe(10_000);
    expect(remainingTime(rec(3, '2026-01-01T00:00:00Z'), now, s)).toBe(0);
  });

  it('TestGetRemainingBackoffTimePerIndex: the last failed pod counts its index failures plus one', () => {
    const now = at('2026-01-01T00:10:00Z');
    const s = { baseMs: 5_000, capMs: 700_000 };
    expect(remainingTimePerIndex(undefined, now, s)).toBe(0);
    expect(remainingTimePerIndex(newPod(job, { phase: 'Failed', failureCount: 0, finishedAt: '2026-01-01T00:10:00Z' }), now, s)).toBe(5_000);
    expect(remainingTimePerIndex(newPod(job, { phase: 'Failed', failureCount: 1, ignoredFailureCount: 1, finishedAt: '2026-01-01T00:09:58Z' }), now, s)).toBe(18_000);
  });

  it('takes the finish time from containers, then Ready=False, then deletion minus grace, then creation', () => {
    expect(getFinishedTime(newPod(job, { phase: 'Failed', finishedAt: '2026-01-01T00:00:07Z' }))).toEqual(at('2026-01-01T00:00:07Z'));
    const ready = newPod(job, { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:05Z' }] });
    delete ready.status?.containerStatuses;
    expect(getFinishedTime(ready)).toEqual(at('2026-01-01T00:00:05Z'));
    const deleted = newPod(job, { phase: 'Running', deleting: true });
    expect(getFinishedTime(deleted)).toEqual(new Date(Date.parse(deleted.metadata.deletionTimestamp as string) - 30_000));
    expect(getFinishedTime(newPod(job, { phase: 'Pending', creationTimestamp: '2026-01-01T00:00:01Z' }))).toEqual(at('2026-01-01T00:00:01Z'));
  });

  it('counts failures since the last success and resets on a new success', () => {
    const store = new BackoffStore();
    const failed = (t: string) => newPod(job, { phase: 'Failed', finishedAt: t });
    const succeeded = (t: string) => newPod(job, { phase: 'Succeeded', finishedAt: t });
    let r = store.newBackoffRecord('k', [], [failed('2026-01-01T00:00:02Z'), failed('2026-01-01T00:00:01Z')]);
    expect(r).toEqual({ key: 'k', failuresAfterLastSuccess: 2, lastFailureTime: at('2026-01-01T00:00:02Z') });
    store.updateBackoffRecord(r);
    r = store.newBackoffRecord('k', [], [failed('2026-01-01T00:00:05Z')]);
    expect(r.failuresAfterLastSuccess).toBe(3);
    store.updateBackoffRecord(r);
    r = store.newBackoffRecord('k', [succeeded('2026-01-01T00:00:10Z')], [failed('2026-01-01T00:00:09Z'), failed('2026-01-01T00:00:12Z')]);
    expect(r).toEqual({ key: 'k', failuresAfterLastSuccess: 1, lastFailureTime: at('2026-01-01T00:00:12Z') });
    expect(store.newBackoffRecord('k', [succeeded('2026-01-01T00:00:20Z')], [])).toEqual({ key: 'k', failuresAfterLastSuccess: 0, lastFailureTime: undefined });
    store.removeBackoffRecord('k');
    expect(store.get('k')).toBeUndefined();
  });
});
