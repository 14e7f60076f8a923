// The CronJob's rules (pkg/registry/batch/cronjob/strategy.go): status cleared on create and
// kept on update, generation bumps on spec changes, dependents deleted in the background by
// default (batch/v1; only the removed batch/v1beta1 orphaned them), and the /status strategy.
import { isDNS1123Label } from '../../../machinery/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { jobSpecWarnings } from '../jobs/strategy.js';
import { goStringList } from '../pods/strategy.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { setCronJobDefaults } from './defaults.js';
import type { CronJobObject } from './types.js';
import { validateCronJob, validateCronJobStatusUpdate, validateCronJobUpdate } from './validation.js';

const JOB_TEMPLATE_SPEC_PATH = 'spec.jobTemplate.spec';

/** The warning for a schedule that names its time zone inside (only older CronJobs may keep one). */
function tzInScheduleWarning(cronJob: CronJobObject, name: string | undefined): string[] {
  if (!(cronJob.spec?.schedule ?? '').includes('TZ')) return [];
  return [
    `cronjob ${name ?? ''}: CRON_TZ or TZ used in spec.schedule is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
  ];
}

export const cronJobStrategy: ResourceStrategy<CronJobObject> = {
  defaults: setCronJobDefaults,

  prepareForCreate(cronJob) {
    cronJob.status = {};
    cronJob.metadata.generation = 1;
  },

  prepareForUpdate(cronJob, old) {
    if (old.status === undefined) delete cronJob.status;
    else cronJob.status = structuredClone(old.status);
    if (!semanticEqual(cronJob.spec, old.spec)) cronJob.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },

  validate: validateCronJob,
  validateUpdate: validateCronJobUpdate,

  warningsOnCreate(cronJob) {
    const warnings: string[] = [];
    const msgs = isDNS1123Label(cronJob.metadata.name ?? '');
    if (msgs.length) {
      warnings.push(`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: ${goStringList(msgs)}`);
    }
    warnings.push(...jobSpecWarnings(cronJob.spec?.jobTemplate?.spec, JOB_TEMPLATE_SPEC_PATH));
    warnings.push(...tzInScheduleWarning(cronJob, cronJob.metadata.name));
    return warnings;
  },

  warningsOnUpdate(cronJob, old) {
    const warnings = cronJob.metadata.generation !== old.metadata.generation ? jobSpecWarnings(cronJob.spec?.jobTemplate?.spec, JOB_TEMPLATE_SPEC_PATH) : [];
    warnings.push(...tzInScheduleWarning(cronJob, old.metadata.name));
    return warnings;
  },

  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  // Upstream DefaultGarbageCollectionPolicy: DeleteDependents for batch/v1 (OrphanDependents
  // was kept for batch/v1beta1 only): a DELETE without propagationPolicy leaves the Jobs to
  // the garbage collector, which deletes them after the CronJob is gone.
  defaultGarbageCollectionPolicy: 'Background',
};

export const cronJobStatusStrategy: StatusStrategy<CronJobObject> = {
  prepareForUpdate(cronJob, old) {
    keepAllButStatus(cronJob, old);
  },
  validateUpdate: validateCronJobStatusUpdate,
};
