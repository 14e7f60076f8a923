import { describe, expect, it } from 'vitest';
import { jobs } from './index.js';
import type { JobObject } from './types.js';

const NOW = new Date('2026-01-01T01:00:00Z');

function job(spec: Partial<JobObject['spec']>, status: JobObject['status'] = {}, meta: Partial<JobObject['metadata']> = {}): JobObject {
  return {
    metadata: { name: 'pi', namespace: 'default', creationTimestamp: '2026-01-01T00:58:00Z', ...meta },
    spec: {
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: { spec: { containers: [{ name: 'a', image: 'busybox:1.36' }, { name: 'b', image: 'alpine' }] } },
      ...spec,
    },
    status,
  };
}
const cells = (j: JobObject) => jobs.table!.cells(j, NOW);
const byName = (name: string) => jobs.table!.columns.findIndex((c) => c.name === name);

describe('job table', () => {
  it('has upstream columns, the wide ones at priority 1', () => {
    expect(jobs.table!.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Status', 0],
      ['Completions', 0],
      ['Duration', 0],
      ['Age', 0],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ]);
  });

  it('fills a complete fixed-completions Job', () => {
    const j = job(
      { completions: 2, parallelism: 2 },
      {
        succeeded: 2,
        startTime: '2026-01-01T00:58:05Z',
        completionTime: '2026-01-01T00:58:35Z',
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True' },
          { type: 'Complete', status: 'True' },
        ],
      },
    );
    expect(cells(j)).toEqual(['pi', 'Complete', '2/2', '30s', '2m', 'a,b', 'busybox:1.36,alpine', 'batch.kubernetes.io/controller-uid=u1']);
  });

  it.each<[string, Partial<JobObject['spec']>, number, string]>([
    ['work queue of 3', { parallelism: 3 }, 1, '1/1 of 3'],
    ['work queue of 1', { parallelism: 1 }, 0, '0/1'],
    ['work queue without parallelism', {}, 0, '0/1'],
    ['fixed completions', { completions: 5, parallelism: 2 }, 3, '3/5'],
    ['completions 0', { completions: 0 }, 0, '0/0'],
  ])('COMPLETIONS for a %s', (_name, spec, succeeded, expected) => {
    expect(cells(job(spec, { succeeded }))[byName('Completions')]).toBe(expected);
  });

  it.each<[string, JobObject['status'], string]>([
    ['not started', {}, ''],
    ['running for 3m10s', { startTime: '2026-01-01T00:56:50Z' }, '3m10s'],
    ['running for 12 minutes', { startTime: '2026-01-01T00:48:00Z' }, '12m'],
    ['done after 75 seconds', { startTime: '2026-01-01T00:10:00Z', completionTime: '2026-01-01T00:11:15Z' }, '75s'],
  ])('DURATION when %s', (_name, status, expected) => {
    expect(cells(job({ completions: 1 }, status))[byName('Duration')]).toBe(expected);
  });

  it.each<[string, JobObject['status'], Partial<JobObject['metadata']>, string]>([
    ['Running', {}, {}, 'Running'],
    ['Failed', { conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] }, {}, 'Failed'],
    ['FailureTarget', { conditions: [{ type: 'FailureTarget', status: 'True' }] }, {}, 'FailureTarget'],
    ['Suspended', { conditions: [{ type: 'Suspended', status: 'True' }] }, {}, 'Suspended'],
    ['resumed', { conditions: [{ type: 'Suspended', status: 'False' }] }, {}, 'Running'],
    ['Terminating', {}, { deletionTimestamp: '2026-01-01T00:59:00Z' }, 'Terminating'],
    ['Complete while terminating', { conditions: [{ type: 'Complete', status: 'True' }] }, { deletionTimestamp: '2026-01-01T00:59:00Z' }, 'Complete'],
  ])('STATUS %s', (_name, status, meta, expected) => {
    expect(cells(job({ completions: 1 }, status, meta))[byName('Status')]).toBe(expected);
  });

  it('prints <none> for a Job without selector', () => {
    expect(cells(job({ selector: undefined }))[byName('Selector')]).toBe('<none>');
  });
});
