// CronJob → form: the inverse of toCronJob. The jobTemplate is read as a Job (jobToForm) under the
// CronJob's name, namespace and labels; what the form does not show is kept in cron.extra.
import type { CronJob, Job } from '../../../../api/batch.js';
import { jobToForm } from './from-job.js';
import { newCronForm, type CronJobExtra, type JobForm } from './model.js';

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The form that describes `cronJob` (type CronJob). */
export function cronJobToForm(cronJob: CronJob, cluster = 'local'): JobForm {
  const cj = clone(cronJob);
  const { name, namespace, labels, ...metaRest } = cj.metadata ?? {};
  const {
    schedule,
    timeZone,
    concurrencyPolicy,
    startingDeadlineSeconds,
    successfulJobsHistoryLimit,
    failedJobsHistoryLimit,
    jobTemplate,
    ...specRest
  } = cj.spec ?? ({} as CronJob['spec']);
  const { labels: templateLabels, ...templateMetaRest } = jobTemplate?.metadata ?? {};
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...templateMetaRest },
    spec: jobTemplate?.spec ?? { template: { spec: { containers: [] } } },
  };
  const form = jobToForm(job, cluster);
  form.kind = 'CronJob';

  // Template labels equal to the CronJob's are regenerated from the form; others are kept.
  const ownTemplateLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(templateLabels ?? {})) if ((labels ?? {})[k] !== v) ownTemplateLabels[k] = v;
  const extraSpec: CronJobExtra['spec'] = { ...specRest };
  if (Object.keys(ownTemplateLabels).length > 0) extraSpec.jobTemplate = { metadata: { labels: ownTemplateLabels } };
  const { apiVersion: _a, kind: _k, metadata: _m, spec: _s, status: _st, ...topRest } = cj;
  const extra: CronJobExtra = { ...topRest, metadata: metaRest, spec: extraSpec };

  const defaults = newCronForm();
  form.cron = {
    schedule: schedule ?? '',
    timeZone: timeZone ?? '',
    concurrencyPolicy: concurrencyPolicy ?? defaults.concurrencyPolicy,
    startingDeadlineSeconds: startingDeadlineSeconds ?? null,
    successfulJobsHistoryLimit: successfulJobsHistoryLimit ?? null,
    failedJobsHistoryLimit: failedJobsHistoryLimit ?? null,
    extra,
  };
  return form;
}
