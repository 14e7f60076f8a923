import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../api/batch.js';
import { copyName, jobForClone, jobForRerun } from './clone.js';

function serverJob(): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'busybox',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 2,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'busybox', 'batch.kubernetes.io/controller-uid': 'u-1', 'controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'busybox', 'job-name': 'busybox' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
      managedFields: [{ manager: 'kubectl' }],
      finalizers: ['x'],
    },
    spec: {
      completions: 2,
      parallelism: 2,
      suspend: true,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      manualSelector: false,
      template: {
        metadata: { labels: { app: 'busybox', 'batch.kubernetes.io/controller-uid': 'u-1', 'controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'busybox', 'job-name': 'busybox' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' },
      },
    },
    status: { succeeded: 2, conditions: [{ type: 'Complete', status: 'True' }] },
  };
}

describe('jobForClone', () => {
  it('drops what the server set and keeps what the person wrote', () => {
    expect(jobForClone(serverJob(), 'busybox-copy')).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'busybox-copy', namespace: 'default', labels: { app: 'busybox' }, annotations: { keep: 'me' } },
      spec: {
        completions: 2,
        parallelism: 2,
        template: { metadata: { labels: { app: 'busybox' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } },
      },
    });
  });

  it('keeps a manual selector and its template labels', () => {
    const j = serverJob();
    j.spec.manualSelector = true;
    j.spec.selector = { matchLabels: { mine: 'yes' } };
    j.spec.template.metadata = { labels: { mine: 'yes' } };
    const c = jobForClone(j);
    expect(c.spec.selector).toEqual({ matchLabels: { mine: 'yes' } });
    expect(c.spec.template.metadata?.labels).toEqual({ mine: 'yes' });
  });

  it('does not change the Job it copies', () => {
    const j = serverJob();
    jobForClone(j);
    expect(j).toEqual(serverJob());
  });
});

describe('jobForRerun', () => {
  it('asks the server for a generated name and records the original', () => {
    const r = jobForRerun(serverJob());
    expect(r.metadata.name).toBeUndefined();
    expect(r.metadata.generateName).toBe('busybox-');
    expect(r.metadata.annotations).toEqual({ keep: 'me', 'jobyard.io/rerun-of': 'busybox' });
    expect(r.spec.selector).toBeUndefined();
    expect(r.status).toBeUndefined();
  });
});

describe('copyName', () => {
  it('appends -copy, then a number, within 63 characters', () => {
    expect(copyName('job')).toBe('job-copy');
    expect(copyName('job', new Set(['job-copy']))).toBe('job-copy-2');
    const long = 'a'.repeat(63);
    expect(copyName(long)).toHaveLength(63);
    expect(copyName(long).endsWith('-copy')).toBe(true);
  });
});
