// What the wizard asks the server, and how it reads the answers: a dry run whose field errors
// map onto the form, and which step shows them.
import type { CronJob, Job } from '../../../../api/batch.js';
import { ApiError, isAlreadyExists, isInvalid, isNotFound } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { resources } from '../../lib/k8s/resources.js';
import { mapCausesToForm, stepOfFormPath, type FormFieldError, type MappedErrors } from '../../lib/job-form/field-errors.js';
import { buildWorkload, type WorkloadBuild } from '../../lib/job-form/to-cronjob.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import type { JobForm } from '../../lib/job-form/model.js';
import { pathKey } from '../../lib/job-form/paths.js';

export type DryRunResult = { ok: true; object: Job | CronJob } | { ok: false; errors: MappedErrors };

/** POSTs the Job or CronJob the form built to its collection (…/jobs or …/cronjobs). */
export function createWorkload(client: KubeClient, build: WorkloadBuild, opts: { dryRun?: boolean; fieldValidation?: 'Strict' }): Promise<Job | CronJob> {
  return build.kind === 'CronJob' ? client.create(resources.cronjobs, build.object, opts) : client.create(resources.jobs, build.object, opts);
}

/**
 * Validates the form's Job (or CronJob, by the form's type) with the server's own rules
 * (POST ?dryRun=All&fieldValidation=Strict). A 422 becomes field errors; a missing namespace is
 * an error on the namespace field; other failures (network, 500) are thrown.
 */
export async function dryRunJob(client: KubeClient, form: JobForm): Promise<DryRunResult> {
  const build = buildWorkload(form);
  const { fieldMap } = build;
  try {
    const defaulted = await createWorkload(client, build, { dryRun: true, fieldValidation: 'Strict' });
    return { ok: true, object: defaulted };
  } catch (err) {
    if (isInvalid(err) || (err instanceof ApiError && err.code === 422)) return { ok: false, errors: mapCausesToForm((err as ApiError).causes, fieldMap) };
    if (isAlreadyExists(err)) return { ok: false, errors: { fields: [{ formPath: ['name'], messages: [(err as ApiError).message] }], general: [] } };
    if (isNotFound(err) && (err as ApiError).status?.details?.kind === 'namespaces') {
      return { ok: false, errors: { fields: [{ formPath: ['namespace'], messages: [(err as ApiError).message] }], general: [] } };
    }
    if (err instanceof ApiError && err.code === 400 && /strict decoding error|unknown field/i.test(err.message)) {
      return { ok: false, errors: { fields: [], general: [err.message] } };
    }
    throw err;
  }
}

/** Field errors as the wizard keeps them: messages by path key. */
export function errorMap(fields: readonly FormFieldError[]): Map<string, { path: FormPath; messages: string[] }> {
  return new Map(fields.map((f) => [pathKey(f.formPath), { path: f.formPath, messages: f.messages }]));
}

/** Only the errors of steps up to `step` (later steps' fields have not been filled yet). */
export function errorsUpToStep(errors: MappedErrors, step: number): MappedErrors {
  return { fields: errors.fields.filter((f) => stepOfFormPath(f.formPath) <= step), general: step >= 2 ? errors.general : [] };
}

/** The first step with an error, or undefined. */
export function firstErrorStep(errors: MappedErrors): number | undefined {
  const steps = errors.fields.map((f) => stepOfFormPath(f.formPath));
  if (errors.general.length > 0) steps.push(2);
  return steps.length ? Math.min(...steps) : undefined;
}
