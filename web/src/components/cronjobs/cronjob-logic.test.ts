import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from '../../../../api/batch.js';
import { newJob } from '../../lib/k8s/fixtures.js';
import { emptyCronJobForm, formFieldOf, formToCronJob } from '../../lib/job-form/compact-cronjob.js';
import { isManualRun, jobFromCronJob, jobsOfCronJob, manualJobName, randomSuffix } from './cronjob-logic.js';

const cronJob: CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'team-a', uid: 'cj-uid', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: {
      metadata: { labels: { app: 'report' }, annotations: { 'team.example/owner': 'ops' } },
      spec: { backoffLimit: 2, template: { spec: { containers: [{ name: 'c', image: 'busybox:latest', command: ['sh', '-c', 'echo hi'] }], restartPolicy: 'OnFailure' } } },
    },
  },
};

function ownedJob(name: string, ownerUid: string, created: string, controller = true, annotations?: Record<string, string>): Job {
  const j = newJob({ name, namespace: 'team-a', creationTimestamp: created });
  j.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: ownerUid, controller }];
  if (annotations) j.metadata.annotations = annotations;
  return j;
}

describe('jobsOfCronJob', () => {
  it('keeps the Jobs whose controlling ownerReference is this CronJob, newest first', () => {
    const jobs = [
      ownedJob('nightly-29000000', 'cj-uid', '2026-01-01T02:00:00Z'),
      ownedJob('nightly-29001440', 'cj-uid', '2026-01-02T02:00:00Z'),
      ownedJob('nightly-manual-x2b4c', 'cj-uid', '2026-01-02T09:30:00Z'),
      ownedJob('other-29001440', 'other-uid', '2026-01-03T02:00:00Z'),
      ownedJob('not-controlled', 'cj-uid', '2026-01-03T02:00:00Z', false),
      newJob({ name: 'plain', namespace: 'team-a' }),
    ];
    expect(jobsOfCronJob(cronJob, jobs).map((j) => j.metadata.name)).toEqual(['nightly-manual-x2b4c', 'nightly-29001440', 'nightly-29000000']);
  });

  it('finds none for a CronJob without a uid (never stored)', () => {
    const { uid: _uid, ...meta } = cronJob.metadata;
    expect(jobsOfCronJob({ ...cronJob, metadata: meta }, [ownedJob('a', '', '2026-01-01T00:00:00Z')])).toEqual([]);
  });
});

describe('Run now', () => {
  it('names the Job <cronjob>-manual-<5 characters of upstream’s alphabet>', () => {
    const suffix = randomSuffix();
    expect(suffix).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(randomSuffix(() => 0)).toBe('bbbbb');
    expect(randomSuffix(() => 0.9999)).toBe('99999');
    expect(manualJobName('nightly', 'x2b4c')).toBe('nightly-manual-x2b4c');
  });

  it('cuts a long CronJob name so the Job’s name stays within 63 characters, without a dangling "-"', () => {
    const long = `${'a'.repeat(49)}-bbbbbbbbbb`;
    const name = manualJobName(long, 'x2b4c');
    expect(name).toHaveLength(62);
    expect(name).toBe(`${'a'.repeat(49)}-manual-x2b4c`);
    expect(manualJobName('c'.repeat(52), 'x2b4c')).toHaveLength(63);
    expect(manualJobName('c'.repeat(52), 'x2b4c')).toMatch(/^c{50}-manual-x2b4c$/);
  });

  it('builds the Job as kubectl create job --from=cronjob/NAME does', () => {
    const job = jobFromCronJob(cronJob, 'nightly-manual-x2b4c');
    expect(job).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-manual-x2b4c',
        namespace: 'team-a',
        labels: { app: 'report' },
        annotations: { 'team.example/owner': 'ops', 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }],
      },
      spec: cronJob.spec.jobTemplate.spec,
    });
    expect(isManualRun(job)).toBe(true);
    // A copy: changing the Job leaves the CronJob's template alone.
    job.spec.backoffLimit = 9;
    expect(cronJob.spec.jobTemplate.spec?.backoffLimit).toBe(2);
    expect(jobFromCronJob(cronJob).metadata.name).toMatch(/^nightly-manual-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('the create form', () => {
  it('writes the CronJob with only the fields that have a value', () => {
    const f = { ...emptyCronJobForm('team-a'), name: ' report ', schedule: ' 0 2 * * * ', image: 'busybox:latest', command: 'echo "hello from $(hostname)"' };
    expect(formToCronJob(f)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'team-a' },
      spec: {
        schedule: '0 2 * * *',
        concurrencyPolicy: 'Allow',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'container-0', image: 'busybox:latest', command: ['sh', '-c', 'echo "hello from $(hostname)"'] }], restartPolicy: 'Never' } } } },
      },
    });
    const withZone = formToCronJob({ ...f, timeZone: 'Asia/Shanghai', concurrencyPolicy: 'Forbid', restartPolicy: 'OnFailure', command: '  ' });
    expect(withZone.spec.timeZone).toBe('Asia/Shanghai');
    expect(withZone.spec.concurrencyPolicy).toBe('Forbid');
    expect(withZone.spec.jobTemplate.spec?.template.spec.restartPolicy).toBe('OnFailure');
    expect(withZone.spec.jobTemplate.spec?.template.spec.containers[0]).toEqual({ name: 'container-0', image: 'busybox:latest' });
  });

  it('maps the server’s field paths onto the form', () => {
    expect(formFieldOf('spec.schedule')).toBe('schedule');
    expect(formFieldOf('spec.timeZone')).toBe('timeZone');
    expect(formFieldOf('metadata.name')).toBe('name');
    expect(formFieldOf('spec.jobTemplate.spec.template.spec.containers[0].image')).toBe('image');
    expect(formFieldOf('spec.jobTemplate.spec.template.spec.restartPolicy')).toBe('restartPolicy');
    expect(formFieldOf('spec.startingDeadlineSeconds')).toBeUndefined();
    expect(formFieldOf(undefined)).toBeUndefined();
  });
});
