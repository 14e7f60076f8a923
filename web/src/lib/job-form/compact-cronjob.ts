// The CronJobs page's compact create form: the wizard's CronJob model cut down to one container
// given as an image and a shell line. It shares the wizard's schedule settings (CronForm,
// writeCronSettings) and its error mapping (a field map read by formPathFor).
import type { CronJob, CronJobSpec } from '../../../../api/batch.js';
import type { Container } from '../../../../api/core.js';
import { formPathFor } from './field-errors.js';
import type { CronForm, JobForm, RestartPolicyForm } from './model.js';
import { CRON_FIELD_PATHS, writeCronSettings } from './to-cronjob.js';
import type { FieldMapEntry } from './to-job.js';

export const RESTART_POLICIES: readonly RestartPolicyForm[] = ['Never', 'OnFailure'];

/** The compact form's fields: the wizard's name, namespace, restart policy and schedule settings, one image and a shell line. */
export interface CronJobForm extends Pick<JobForm, 'namespace' | 'name' | 'restartPolicy'>, Pick<CronForm, 'schedule' | 'timeZone' | 'concurrencyPolicy'> {
  image: string;
  /** A shell line, run as `sh -c`; '' = the image's own command. */
  command: string;
}

export function emptyCronJobForm(namespace: string): CronJobForm {
  return { namespace, name: '', schedule: '', timeZone: '', concurrencyPolicy: 'Allow', image: '', command: '', restartPolicy: 'Never' };
}

/** The CronJob the form describes; only fields with a value are written (the server defaults the rest). */
export function formToCronJob(f: CronJobForm): CronJob {
  const container: Container = { name: 'container-0', image: f.image.trim() };
  if (f.command.trim()) container.command = ['sh', '-c', f.command.trim()];
  const spec: CronJobSpec = {
    schedule: f.schedule.trim(),
    jobTemplate: { spec: { template: { spec: { containers: [container], restartPolicy: f.restartPolicy } } } },
  };
  writeCronSettings(spec, f);
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: f.name.trim(), namespace: f.namespace }, spec };
}

const POD = 'spec.jobTemplate.spec.template.spec';
const SHOWN: ReadonlySet<string> = new Set(['schedule', 'timeZone', 'concurrencyPolicy']);

/** The compact form's field map, in the wizard's terms: the CronJob paths it writes and the field each came from. */
export const COMPACT_CRONJOB_FIELD_MAP: readonly FieldMapEntry[] = [
  { jobPath: 'metadata.name', formPath: ['name'] },
  { jobPath: 'metadata.namespace', formPath: ['namespace'] },
  ...CRON_FIELD_PATHS.filter(([, field]) => SHOWN.has(field)).map(([jobPath, field]) => ({ jobPath, formPath: [field] })),
  { jobPath: `${POD}.restartPolicy`, formPath: ['restartPolicy'] },
  { jobPath: `${POD}.containers[0].image`, formPath: ['image'] },
  { jobPath: `${POD}.containers[0].command`, formPath: ['command'] },
];

/** The form field a server field path (a 422 cause) belongs to, if the form shows it. */
export function formFieldOf(path: string | undefined): keyof CronJobForm | undefined {
  if (!path) return undefined;
  return formPathFor(path, COMPACT_CRONJOB_FIELD_MAP)?.[0] as keyof CronJobForm | undefined;
}
