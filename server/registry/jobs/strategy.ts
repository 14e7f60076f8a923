// The Job's rules (pkg/registry/batch/job/strategy.go): generated selector and labels,
// status cleared on create and kept on update, generation bumps on spec changes,
// Orphan as the batch/v1 default for DELETE, and the /status strategy.
import { type JobSpec, JobLabels } from '../../../api/index.js';
import { isDNS1123Label } from '../../../machinery/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { goStringList, podSpecWarnings } from '../pods/strategy.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { hasLabelsFromTemplate, setJobDefaults } from './defaults.js';
import type { JobObject } from './types.js';
import { jobValidationOptions, validateJob, validateJobUpdate } from './validation.js';
import { validateJobStatusUpdate } from './validation-status.js';

/**
 * generateSelector: the template gets the four job labels (a value the user already set
 * is kept, and validation rejects it if wrong), and the selector matches the uid label.
 */
export function generateSelector(job: JobObject): void {
  const spec = job.spec;
  const template = (spec.template ??= { spec: { containers: [] } });
  const meta = (template.metadata ??= {});
  const labels = (meta.labels ??= {});
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const key of [JobLabels.legacyJobName, JobLabels.jobName]) if (!(key in labels)) labels[key] = name;
  for (const key of [JobLabels.legacyControllerUid, JobLabels.controllerUid]) if (!(key in labels)) labels[key] = uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  if (!(JobLabels.controllerUid in matchLabels)) matchLabels[JobLabels.controllerUid] = uid;
}

/**
 * WarningsForJobSpec: very large Indexed Jobs, and the pod template's warnings; `path` is
 * where the JobSpec sits ("spec" in a Job, "spec.jobTemplate.spec" in a CronJob).
 */
export function jobSpecWarnings(spec: JobSpec | undefined, path = 'spec'): string[] {
  const warnings: string[] = [];
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > 100_000 && (spec.parallelism ?? 0) > 10_000) {
    warnings.push(
      `${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`,
    );
  }
  warnings.push(...podSpecWarnings(spec?.template?.spec, `${path}.template.spec`));
  return warnings;
}

export const jobStrategy: ResourceStrategy<JobObject> = {
  defaults: setJobDefaults,

  prepareForCreate(job) {
    const spec = job.spec;
    if (!spec || typeof spec !== 'object') return;
    if (spec.manualSelector !== true) generateSelector(job);
    // When defaulting gave the Job its template's labels, upstream's Job and template share
    // one label map, so the generated labels land on the Job too (and are validated there).
    if (hasLabelsFromTemplate(job) && spec.template?.metadata?.labels) job.metadata.labels = { ...spec.template.metadata.labels };
    job.status = {};
    job.metadata.generation = 1;
  },

  prepareForUpdate(job, old) {
    if (old.status === undefined) delete job.status;
    else job.status = structuredClone(old.status);
    if (!semanticEqual(job.spec, old.spec)) job.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },

  validate(job) {
    return validateJob(job, jobValidationOptions());
  },

  validateUpdate(job, old) {
    const opts = jobValidationOptions(old);
    return [...validateJob(job, opts), ...validateJobUpdate(job, old, opts)];
  },

  // A Job without labels of its own shows its template's (upstream defaults them whenever
  // it decodes a stored Job, so kubectl get job -o yaml lists the four generated labels).
  canonicalize(job) {
    const templateLabels = job.spec?.template?.metadata?.labels;
    if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
  },

  warningsOnCreate(job) {
    const warnings: string[] = [];
    const msgs = isDNS1123Label(job.metadata.name ?? '');
    if (msgs.length) {
      warnings.push(`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: ${goStringList(msgs)}`);
    }
    warnings.push(...jobSpecWarnings(job.spec));
    return warnings;
  },

  warningsOnUpdate(job, old) {
    return job.metadata.generation !== old.metadata.generation ? jobSpecWarnings(job.spec) : [];
  },

  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  // batch/v1 keeps the old behaviour: a DELETE without propagationPolicy orphans the pods.
  defaultGarbageCollectionPolicy: 'Orphan',
};

export const jobStatusStrategy: StatusStrategy<JobObject> = {
  prepareForUpdate(job, old) {
    keepAllButStatus(job, old);
  },
  validateUpdate: validateJobStatusUpdate,
};
