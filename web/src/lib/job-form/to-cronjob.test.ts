import { describe, expect, it } from 'vitest';
import type { CronJob } from '../../../../api/batch.js';
import { formPathFor, mapCausesToForm, stepOfFormPath } from './field-errors.js';
import { fullForm } from './fixtures.js';
import { cronJobToForm } from './from-cronjob.js';
import { newJobForm, type JobForm } from './model.js';
import { formToJob } from './to-job.js';
import { buildCronJob, buildWorkload, toCronJob } from './to-cronjob.js';

function cronForm(): JobForm {
  const f = fullForm();
  f.kind = 'CronJob';
  f.cron = { ...f.cron, schedule: ' 0 2 * * * ', timeZone: ' Asia/Shanghai ', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 };
  return f;
}

describe('toCronJob', () => {
  it('wraps the Job the form describes: its metadata on the CronJob, its spec as jobTemplate.spec', () => {
    const f = cronForm();
    const job = formToJob(f);
    const cj = toCronJob(f);
    expect(cj.apiVersion).toBe('batch/v1');
    expect(cj.kind).toBe('CronJob');
    expect(cj.metadata).toEqual({ name: 'report', namespace: 'batch', labels: { app: 'report', team: 'data' } });
    expect(cj.spec.jobTemplate).toEqual({ metadata: { labels: { app: 'report', team: 'data' } }, spec: job.spec });
    // Every job setting and container of steps 2 and 3 is in the template.
    expect(cj.spec.jobTemplate.spec).toMatchObject({ completions: 4, parallelism: 2, activeDeadlineSeconds: 600, backoffLimit: 3 });
    expect(cj.spec.jobTemplate.spec?.template.spec.restartPolicy).toBe('OnFailure');
    expect(cj.spec.jobTemplate.spec?.template.spec.containers.map((c) => c.image)).toEqual(['registry.example.com:5000/team/report:v2', 'busybox:latest']);
  });

  it('writes every schedule setting of step 1, trimmed, schedule settings before the template', () => {
    const cj = toCronJob(cronForm());
    const { jobTemplate: _t, ...settings } = cj.spec;
    expect(settings).toEqual({
      schedule: '0 2 * * *',
      timeZone: 'Asia/Shanghai',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 2,
    });
    expect(Object.keys(cj.spec)).toEqual(['schedule', 'timeZone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'jobTemplate']);
  });

  it('starts from upstream’s defaults: Allow, 3 successful and 1 failed Job kept, no time zone or deadline', () => {
    const f = { ...newJobForm(), kind: 'CronJob' as const, name: 'nightly' };
    f.cron = { ...f.cron, schedule: '0 0 1 1 *' };
    f.containers[0].image = 'busybox';
    const cj = toCronJob(f);
    expect(cj.metadata).toEqual({ name: 'nightly', namespace: 'default', labels: { app: 'nightly' } });
    expect(cj.spec).toEqual({
      schedule: '0 0 1 1 *',
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: 'nightly' } },
        spec: {
          completions: 1,
          parallelism: 1,
          backoffLimit: 6,
          template: { metadata: { labels: { app: 'nightly' } }, spec: { containers: [{ name: 'container-0', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Never' } },
        },
      },
    });
  });

  it('leaves cleared optional settings out so the server defaults them', () => {
    const f = cronForm();
    f.cron = { ...f.cron, timeZone: '  ', startingDeadlineSeconds: null, successfulJobsHistoryLimit: null, failedJobsHistoryLimit: null };
    const spec = toCronJob(f).spec;
    for (const k of ['timeZone', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) expect(k in spec).toBe(false);
    // Zero is a value, not "unset".
    f.cron = { ...f.cron, startingDeadlineSeconds: 0, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 };
    expect(toCronJob(f).spec).toMatchObject({ startingDeadlineSeconds: 0, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
  });

  it('builds the Job or the CronJob by the form’s type', () => {
    const f = cronForm();
    expect(buildWorkload(f).kind).toBe('CronJob');
    expect(buildWorkload(f).object).toEqual(toCronJob(f));
    const asJob = buildWorkload({ ...f, kind: 'Job' });
    expect(asJob.kind).toBe('Job');
    expect(asJob.object).toEqual(formToJob(f));
  });
});

describe('cronJobToForm', () => {
  const stored: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'backup', namespace: 'ops', labels: { app: 'backup', tier: 'db' }, annotations: { owner: 'ops-team' } },
    spec: {
      schedule: '30 3 * * 0',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 7,
      failedJobsHistoryLimit: 4,
      jobTemplate: {
        metadata: { labels: { app: 'backup', tier: 'db', run: 'weekly' }, annotations: { note: 'weekly' } },
        spec: {
          completions: 2,
          backoffLimit: 1,
          ttlSecondsAfterFinished: 600,
          template: { metadata: { labels: { app: 'backup', tier: 'db' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'dump', image: 'postgres:16', command: ['pg_dumpall'] }] } },
        },
      },
      suspend: true,
    },
  };

  it('reads the schedule settings into step 1 and the template into the rest of the form', () => {
    const f = cronJobToForm(stored, 'prod');
    expect(f.kind).toBe('CronJob');
    expect([f.cluster, f.name, f.namespace]).toEqual(['prod', 'backup', 'ops']);
    expect(f.labels).toEqual([{ key: 'tier', value: 'db' }]);
    expect(f.cron).toMatchObject({ schedule: '30 3 * * 0', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 7, failedJobsHistoryLimit: 4 });
    expect([f.completions, f.backoffLimit, f.restartPolicy]).toEqual([2, 1, 'OnFailure']);
    expect(f.containers.map((c) => [c.name, c.image, c.tag, c.command])).toEqual([['dump', 'postgres', '16', 'pg_dumpall']]);
  });

  it('gives back the same CronJob, fields the form does not show included (suspend, annotations, template labels)', () => {
    expect(toCronJob(cronJobToForm(stored))).toEqual(stored);
  });

  it('round-trips a form of every field', () => {
    const f = cronForm();
    const back = cronJobToForm(toCronJob(f), f.cluster);
    expect(toCronJob(back)).toEqual(toCronJob(f));
    expect(back.cron).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Asia/Shanghai', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 });
  });
});

describe('the server’s CronJob field errors on the form', () => {
  const { fieldMap } = buildCronJob(fullForm());

  it.each([
    ['metadata.name', ['name']],
    ['metadata.namespace', ['namespace']],
    ['metadata.labels', ['labels']],
    ['spec.jobTemplate.metadata.labels', ['labels']],
    ['spec.schedule', ['cron', 'schedule']],
    ['spec.timeZone', ['cron', 'timeZone']],
    ['spec.concurrencyPolicy', ['cron', 'concurrencyPolicy']],
    ['spec.startingDeadlineSeconds', ['cron', 'startingDeadlineSeconds']],
    ['spec.successfulJobsHistoryLimit', ['cron', 'successfulJobsHistoryLimit']],
    ['spec.failedJobsHistoryLimit', ['cron', 'failedJobsHistoryLimit']],
    ['spec.jobTemplate.spec.completions', ['completions']],
    ['spec.jobTemplate.spec.parallelism', ['parallelism']],
    ['spec.jobTemplate.spec.backoffLimit', ['backoffLimit']],
    ['spec.jobTemplate.spec.activeDeadlineSeconds', ['activeDeadlineSeconds']],
    ['spec.jobTemplate.spec.template.spec.restartPolicy', ['restartPolicy']],
    ['spec.jobTemplate.spec.template.spec.containers[0].image', ['containers', 1, 'image']],
    ['spec.jobTemplate.spec.template.spec.initContainers[0].name', ['containers', 0, 'name']],
    ['spec.jobTemplate.spec.template.spec.containers[0].resources.limits[cpu]', ['containers', 1, 'limits', 'cpu', 'millicores']],
    ['spec.jobTemplate.spec.template.spec.containers[0].livenessProbe.successThreshold', ['containers', 1, 'livenessProbe', 'successThreshold']],
    ['spec.jobTemplate.spec.template.spec.volumes[1].hostPath.path', ['containers', 1, 'volumes', 0, 'source']],
  ])('maps %s to %j', (field, formPath) => {
    expect(formPathFor(field, fieldMap)).toEqual(formPath);
  });

  it('does not map a Job’s own paths: a CronJob has none of them', () => {
    expect(formPathFor('spec.completions', fieldMap)).toBeUndefined();
    expect(formPathFor('spec.template.spec.containers[0].image', fieldMap)).toBeUndefined();
  });

  it('shows schedule errors on step 1 and template errors on their steps; the rest are general', () => {
    const r = mapCausesToForm(
      [
        { field: 'spec.schedule', reason: 'FieldValueInvalid', message: 'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61' },
        { field: 'spec.jobTemplate.spec.template.spec.containers[0].image', reason: 'FieldValueRequired', message: 'Required value' },
        { field: 'spec.jobTemplate.spec.completions', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' },
        { field: 'spec.jobTemplate.spec.selector', reason: 'FieldValueInvalid', message: '`selector` will be auto-generated' },
      ],
      fieldMap,
    );
    expect(r.fields.map((e) => [e.formPath, stepOfFormPath(e.formPath)])).toEqual([
      [['cron', 'schedule'], 0],
      [['containers', 1, 'image'], 1],
      [['completions'], 2],
    ]);
    expect(r.fields[0].messages).toEqual(['Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    expect(r.general).toEqual(['spec.jobTemplate.spec.selector: `selector` will be auto-generated']);
  });
});
