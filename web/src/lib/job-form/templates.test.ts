import { describe, expect, it } from 'vitest';
import { newJobForm, newProbeForm, switchProbeType, PROBE_INITIAL_DELAY_SECONDS } from './model.js';
import { applyJobTemplate, JOB_TEMPLATES, jobShapeOf } from './templates.js';
import { formToJob } from './to-job.js';

describe('the four job shapes (docs/product.md#job-shapes)', () => {
  it('has one template per job shape, each classified as its own shape', () => {
    expect(JOB_TEMPLATES.map((t) => t.shape)).toEqual(['oneShot', 'fixedCompletions', 'parallelFixedCompletions', 'workQueue']);
    for (const t of JOB_TEMPLATES) expect(jobShapeOf(t.completions, t.parallelism)).toBe(t.shape);
  });

  it('one-shot: completions 1, parallelism 1', () => {
    const spec = formToJob(applyJobTemplate({ ...newJobForm(), name: 'a' }, 'oneShot')).spec;
    expect([spec.completions, spec.parallelism]).toEqual([1, 1]);
  });

  it('fixed completions: completions ≥ 2, parallelism 1', () => {
    const spec = formToJob(applyJobTemplate(newJobForm(), 'fixedCompletions')).spec;
    expect(spec.completions).toBeGreaterThanOrEqual(2);
    expect(spec.parallelism).toBe(1);
  });

  it('fixed completions in parallel: both ≥ 2', () => {
    const spec = formToJob(applyJobTemplate(newJobForm(), 'parallelFixedCompletions')).spec;
    expect(spec.completions).toBeGreaterThanOrEqual(2);
    expect(spec.parallelism).toBeGreaterThanOrEqual(2);
  });

  it('parallel work queue: parallelism ≥ 2 and completions left unset', () => {
    const spec = formToJob(applyJobTemplate(newJobForm(), 'workQueue')).spec;
    expect('completions' in spec).toBe(false);
    expect(spec.parallelism).toBeGreaterThanOrEqual(2);
  });

  it('changes only completions and parallelism', () => {
    const f = { ...newJobForm(), backoffLimit: 2, activeDeadlineSeconds: 60, restartPolicy: 'OnFailure' as const };
    const t = applyJobTemplate(f, 'workQueue');
    expect([t.backoffLimit, t.activeDeadlineSeconds, t.restartPolicy]).toEqual([2, 60, 'OnFailure']);
  });

  it.each([
    [1, 1, 'oneShot'],
    [null, null, 'oneShot'],
    [5, 1, 'fixedCompletions'],
    [5, null, 'fixedCompletions'],
    [2, 2, 'parallelFixedCompletions'],
    [null, 4, 'workQueue'],
    [null, 1, undefined],
    [1, 3, undefined],
  ] as const)('classifies completions %s / parallelism %s as %s', (c, p, shape) => {
    expect(jobShapeOf(c, p)).toBe(shape);
  });
});

describe('form defaults (docs/product.md#job-settings)', () => {
  it('starts in namespace default with completions 1, parallelism 1, backoffLimit 6, Never and tag latest', () => {
    const f = newJobForm();
    expect([f.cluster, f.namespace, f.completions, f.parallelism, f.backoffLimit, f.restartPolicy, f.activeDeadlineSeconds]).toEqual(['local', 'default', 1, 1, 6, 'Never', null]);
    expect(f.containers).toHaveLength(1);
    expect([f.containers[0].tag, f.containers[0].imagePullPolicy, f.containers[0].init]).toEqual(['latest', 'IfNotPresent', false]);
  });

  it('pre-fills probes: initial delay HTTP 3 s, TCP 15 s, command 5 s; period 10, timeout 1, success 1, failure 3', () => {
    expect(PROBE_INITIAL_DELAY_SECONDS).toEqual({ httpGet: 3, tcpSocket: 15, exec: 5 });
    for (const type of ['httpGet', 'tcpSocket', 'exec'] as const) {
      const p = newProbeForm(type);
      expect([p.enabled, p.initialDelaySeconds, p.periodSeconds, p.timeoutSeconds, p.successThreshold, p.failureThreshold]).toEqual([false, PROBE_INITIAL_DELAY_SECONDS[type], 10, 1, 1, 3]);
    }
  });

  it('moves an untouched initial delay to the new kind’s default and keeps a typed one', () => {
    const http = newProbeForm('httpGet');
    expect(switchProbeType(http, 'tcpSocket').initialDelaySeconds).toBe(15);
    expect(switchProbeType(switchProbeType(http, 'tcpSocket'), 'exec').initialDelaySeconds).toBe(5);
    expect(switchProbeType({ ...http, initialDelaySeconds: 30 }, 'exec').initialDelaySeconds).toBe(30);
    expect(switchProbeType({ ...http, initialDelaySeconds: null }, 'exec').initialDelaySeconds).toBe(5);
  });
});
