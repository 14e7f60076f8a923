// Form → CronJob: the Job the form describes (formToJob) wrapped in a batch/v1 CronJob. The
// Job's spec becomes spec.jobTemplate.spec; its field map moves there too, so the server's
// errors under spec.jobTemplate.spec.… show on the same form fields as a Job's spec.… do.
import type { CronJob, CronJobSpec, Job } from '../../../../api/batch.js';
import type { ObjectMeta } from '../../../../api/meta.js';
import type { CronForm, JobForm } from './model.js';
import { buildJob, type FieldMapEntry } from './to-job.js';

export interface CronJobBuild {
  cronJob: CronJob;
  fieldMap: FieldMapEntry[];
}

/** What the wizard sends: the Job, or the CronJob wrapping it, with the field map of either. */
export type WorkloadBuild = { kind: 'Job'; object: Job; fieldMap: FieldMapEntry[] } | { kind: 'CronJob'; object: CronJob; fieldMap: FieldMapEntry[] };

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The CronJob fields of step 1, by their API path. */
export const CRON_FIELD_PATHS: readonly [string, keyof Omit<JobForm['cron'], 'extra'>][] = [
  ['spec.schedule', 'schedule'],
  ['spec.timeZone', 'timeZone'],
  ['spec.concurrencyPolicy', 'concurrencyPolicy'],
  ['spec.startingDeadlineSeconds', 'startingDeadlineSeconds'],
  ['spec.successfulJobsHistoryLimit', 'successfulJobsHistoryLimit'],
  ['spec.failedJobsHistoryLimit', 'failedJobsHistoryLimit'],
];

/** The schedule settings a form may leave out (the compact form on the CronJobs page shows none of them). */
export type CronSettings = Pick<CronForm, 'timeZone' | 'concurrencyPolicy'> & Partial<Pick<CronForm, 'startingDeadlineSeconds' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit'>>;

/** Writes the schedule settings that have a value into `spec` (the server defaults the rest). */
export function writeCronSettings(spec: CronJobSpec, cron: CronSettings): void {
  const timeZone = cron.timeZone.trim();
  if (timeZone !== '') spec.timeZone = timeZone;
  spec.concurrencyPolicy = cron.concurrencyPolicy;
  if (cron.startingDeadlineSeconds !== null && cron.startingDeadlineSeconds !== undefined) spec.startingDeadlineSeconds = cron.startingDeadlineSeconds;
  if (cron.successfulJobsHistoryLimit !== null && cron.successfulJobsHistoryLimit !== undefined) spec.successfulJobsHistoryLimit = cron.successfulJobsHistoryLimit;
  if (cron.failedJobsHistoryLimit !== null && cron.failedJobsHistoryLimit !== undefined) spec.failedJobsHistoryLimit = cron.failedJobsHistoryLimit;
}

/** Builds the CronJob and the map from its field paths back to form fields. */
export function buildCronJob(form: JobForm): CronJobBuild {
  const { job, fieldMap: jobMap } = buildJob(form);
  const cron = form.cron;
  const cx = clone(cron.extra) ?? {};

  // metadata: name, namespace and labels as the Job would carry them, then what the form does not show.
  const { name, namespace, labels, ...jobMetaRest } = job.metadata;
  const { name: _n, namespace: _ns, labels: _l, ...cronMetaRest } = cx.metadata ?? {};
  const metadata: ObjectMeta = { name, namespace };
  if (labels) metadata.labels = labels;
  Object.assign(metadata, cronMetaRest);

  // jobTemplate.metadata: the labels again (its own extra labels under them), and the Job's other metadata.
  const {
    schedule: _s,
    timeZone: _tz,
    concurrencyPolicy: _cp,
    startingDeadlineSeconds: _sd,
    successfulJobsHistoryLimit: _sh,
    failedJobsHistoryLimit: _fh,
    jobTemplate: extraTemplate,
    ...specRest
  } = cx.spec ?? {};
  const { labels: extraTemplateLabels, ...extraTemplateMeta } = extraTemplate?.metadata ?? {};
  const templateLabels = { ...(extraTemplateLabels ?? {}), ...(labels ?? {}) };
  const templateMetadata: ObjectMeta = { ...extraTemplateMeta, ...jobMetaRest };
  if (Object.keys(templateLabels).length > 0) templateMetadata.labels = templateLabels;

  const spec: CronJobSpec = { schedule: cron.schedule.trim(), jobTemplate: { metadata: templateMetadata, spec: job.spec } };
  writeCronSettings(spec, cron);
  Object.assign(spec, specRest);
  // The template last, so the schedule settings read first in the YAML.
  const { jobTemplate } = spec;
  delete (spec as Partial<CronJobSpec>).jobTemplate;
  spec.jobTemplate = jobTemplate;
  if (Object.keys(templateMetadata).length === 0) delete spec.jobTemplate.metadata;

  const fieldMap: FieldMapEntry[] = [];
  for (const e of jobMap) {
    if (e.jobPath.startsWith('metadata.')) fieldMap.push(e);
    else if (e.jobPath.startsWith('spec.')) fieldMap.push({ jobPath: `spec.jobTemplate.${e.jobPath}`, formPath: e.formPath });
  }
  fieldMap.push({ jobPath: 'spec.jobTemplate.metadata.labels', formPath: ['labels'] });
  for (const [path, field] of CRON_FIELD_PATHS) fieldMap.push({ jobPath: path, formPath: ['cron', field] });

  const { apiVersion: _av, kind: _k, metadata: _m, spec: _sp, status: _st, ...topRest } = cx;
  const cronJob: CronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec, ...topRest };
  return { cronJob, fieldMap };
}

/** The CronJob the form describes: its Job as jobTemplate, with the schedule settings of step 1. */
export function toCronJob(form: JobForm): CronJob {
  return buildCronJob(form).cronJob;
}

/** The object the form's type asks for (Job or CronJob) and its field map. */
export function buildWorkload(form: JobForm): WorkloadBuild {
  if (form.kind === 'CronJob') {
    const { cronJob, fieldMap } = buildCronJob(form);
    return { kind: 'CronJob', object: cronJob, fieldMap };
  }
  const { job, fieldMap } = buildJob(form);
  return { kind: 'Job', object: job, fieldMap };
}
