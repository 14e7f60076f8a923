// SetObjectDefaults_CronJob (pkg/apis/batch/v1): SetDefaults_CronJob, then the pod defaults
// reached through spec.jobTemplate.spec.template.spec. Upstream has no defaulter for a
// JobSpec on its own (SetDefaults_Job takes a whole Job), so the template's JobSpec keeps its
// unset fields (backoffLimit, completions, parallelism...): the Job created from it gets
// them when it is created.
import { setPodTemplateDefaults } from '../pods/defaults.js';
import type { CronJobObject } from './types.js';

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/**
 * CronJob defaults: concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3,
 * failedJobsHistoryLimit 1, and the pod template's defaults.
 */
export function setCronJobDefaults(cronJob: CronJobObject): void {
  const spec = cronJob.spec;
  if (!spec || typeof spec !== 'object') return;
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (!isSet(spec.suspend)) spec.suspend = false;
  if (!isSet(spec.successfulJobsHistoryLimit)) spec.successfulJobsHistoryLimit = 3;
  if (!isSet(spec.failedJobsHistoryLimit)) spec.failedJobsHistoryLimit = 1;
  setPodTemplateDefaults(spec.jobTemplate?.spec?.template);
}
