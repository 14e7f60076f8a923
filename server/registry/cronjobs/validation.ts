// CronJob validation, as pkg/apis/batch/validation/validation.go: ValidateCronJobCreate,
// ValidateCronJobUpdate and ValidateJobTemplateSpec, with upstream's paths and messages.
// Pure: returns FieldError[], never throws.
import type { CronJobSpec, JobSpec, JobTemplateSpec } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import { parseCronSchedule, timeZoneError } from '../../../machinery/cron-schedule.js';
import { nameIsDNSSubdomain, validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { validateJobSpecFields } from '../jobs/validation-spec.js';
import type { CronJobObject } from './types.js';

/**
 * DNS1035LabelMaxLength (63) minus the 11 characters the controller appends
 * ("-<minutes since the epoch>") to name each Job.
 */
export const MAX_CRONJOB_NAME_LENGTH = 52;

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
const TZ_IN_SCHEDULE = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
/** One component of a time zone name (upstream validTimeZoneCharacters, after the IANA naming rules). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
/** robfig/cron's "TZ=<zone> " / "CRON_TZ=<zone> " schedule prefix. */
const TZ_PREFIX = /^\s*(CRON_)?TZ=\S*\s*/;

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/**
 * validateScheduleFormat: the parser's message for a schedule it cannot read, and TZ or
 * CRON_TZ in the schedule, which only a CronJob that already had one may keep (and then
 * not together with timeZone).
 */
function validateScheduleFormat(schedule: string, allowTZInSchedule: boolean, timeZone: string | undefined | null, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream's parser accepts the TZ= prefix and the rule below decides about it; ours
  // refuses it outright, so the rest of the schedule is what it reads.
  try {
    parseCronSchedule(schedule.replace(TZ_PREFIX, ''));
  } catch (e) {
    errs.push(fieldErrors.invalid(p, schedule, (e as Error).message));
  }
  const hasTZ = schedule.includes('TZ');
  if (allowTZInSchedule && hasTZ && isSet(timeZone)) {
    errs.push(fieldErrors.invalid(p, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZInSchedule && hasTZ) {
    errs.push(fieldErrors.invalid(p, schedule, TZ_IN_SCHEDULE));
  }
  return errs;
}

/** validateTimeZone: unset, or a name the time zone database knows (never "Local"). */
export function validateTimeZone(timeZone: string | undefined | null, p: FieldPath): FieldError[] {
  if (!isSet(timeZone)) return [];
  if (timeZone === '') return [fieldErrors.invalid(p, timeZone, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) {
      return [fieldErrors.invalid(p, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  const errs: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local') {
    errs.push(fieldErrors.invalid(p, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  // Go's time.LoadLocation("Local") succeeds; any other name must be in the database.
  if (timeZone !== 'Local') {
    const err = timeZoneError(timeZone);
    if (err) errs.push(fieldErrors.invalid(p, timeZone, err));
  }
  return errs;
}

function validateConcurrencyPolicy(policy: string | undefined, p: FieldPath): FieldError[] {
  if (!policy) return [fieldErrors.required(p)];
  if (!CONCURRENCY_POLICIES.includes(policy)) return [fieldErrors.notSupported(p, policy, CONCURRENCY_POLICIES)];
  return [];
}

/**
 * ValidateJobTemplateSpec: the Job spec's rules (restartPolicy Never or OnFailure, the pod
 * template...) without a selector, which each Job gets when it is created: a selector or
 * manualSelector true in the template is refused.
 */
export function validateJobTemplateSpec(template: JobTemplateSpec | undefined, p: FieldPath): FieldError[] {
  const spec = template?.spec ?? ({} as JobSpec);
  const sp = p.child('spec');
  const errs = validateJobSpecFields(spec, sp);
  if (isSet(spec.selector)) errs.push(fieldErrors.invalid(sp.child('selector'), spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldErrors.notSupported(sp.child('manualSelector'), true, ['nil', 'false']));
  return errs;
}

/** validateCronJobSpec; `oldSpec` on update, where an unchanged timeZone is not checked again. */
function validateCronJobSpec(spec: CronJobSpec | undefined, oldSpec: CronJobSpec | undefined, p: FieldPath): FieldError[] {
  if (!spec || typeof spec !== 'object') return [fieldErrors.required(p)];
  const errs: FieldError[] = [];
  const sp = p.child('schedule');
  if (!spec.schedule) errs.push(fieldErrors.required(sp));
  else errs.push(...validateScheduleFormat(spec.schedule, (oldSpec?.schedule ?? '').includes('TZ'), spec.timeZone, sp));
  if (isSet(spec.startingDeadlineSeconds)) errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, p.child('startingDeadlineSeconds')));
  if (!oldSpec || (oldSpec.timeZone ?? undefined) !== (spec.timeZone ?? undefined)) errs.push(...validateTimeZone(spec.timeZone, p.child('timeZone')));
  errs.push(...validateConcurrencyPolicy(spec.concurrencyPolicy, p.child('concurrencyPolicy')));
  errs.push(...validateJobTemplateSpec(spec.jobTemplate, p.child('jobTemplate')));
  if (isSet(spec.successfulJobsHistoryLimit)) errs.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, p.child('successfulJobsHistoryLimit')));
  if (isSet(spec.failedJobsHistoryLimit)) errs.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, p.child('failedJobsHistoryLimit')));
  return errs;
}

/** ValidateCronJobCreate: metadata (a DNS subdomain name of at most 52 characters) and the spec. */
export function validateCronJob(cronJob: CronJobObject): FieldError[] {
  const errs = validateObjectMeta(cronJob.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateCronJobSpec(cronJob.spec, undefined, new FieldPath('spec')));
  const name = cronJob.metadata?.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) {
    errs.push(fieldErrors.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  }
  return errs;
}

/**
 * ValidateCronJobUpdate: metadata update rules and the spec, every part of which may
 * change. The 52-character limit is not applied, so older CronJobs with longer names can
 * still be updated and deleted.
 */
export function validateCronJobUpdate(cronJob: CronJobObject, old: CronJobObject): FieldError[] {
  const errs = validateObjectMetaUpdate(cronJob.metadata, old.metadata);
  errs.push(...validateCronJobSpec(cronJob.spec, old.spec ?? undefined, new FieldPath('spec')));
  return errs;
}

/** The /status subresource: upstream validates nothing of a CronJob's status; metadata keeps its update rules. */
export function validateCronJobStatusUpdate(cronJob: CronJobObject, old: CronJobObject): FieldError[] {
  return validateObjectMetaUpdate(cronJob.metadata, old.metadata);
}
