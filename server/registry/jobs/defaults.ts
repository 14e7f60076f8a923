// SetDefaults_Job (pkg/apis/batch/v1/defaults.go) and the pod template's core defaults.
import { setPodTemplateDefaults } from '../pods/defaults.js';
import { MAX_INT32, type JobObject } from './types.js';

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

// Jobs whose labels setJobDefaults copied from the template. Upstream shares one label map
// between Job and template then, so the labels generated at create time land on both.
const labelsCopiedFromTemplate = new WeakSet<JobObject>();

/** Whether this Job's labels are (still) the ones defaulted from its template. */
export function hasLabelsFromTemplate(job: JobObject): boolean {
  return labelsCopiedFromTemplate.has(job);
}

/**
 * Job defaults: completions and parallelism both 1 when both are unset (only parallelism
 * set leaves completions null: a work queue), parallelism 1, backoffLimit 6 (MaxInt32
 * with backoffLimitPerIndex), completionMode NonIndexed, suspend false, manualSelector
 * false, podReplacementPolicy Failed with a podFailurePolicy else TerminatingOrFailed,
 * onPodConditions status "True", the Job's labels from the template when it has none,
 * and the pod template's defaults.
 */
export function setJobDefaults(job: JobObject): void {
  const spec = job.spec;
  if (!spec || typeof spec !== 'object') return;
  if (!isSet(spec.completions) && !isSet(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (!isSet(spec.parallelism)) spec.parallelism = 1;
  if (!isSet(spec.backoffLimit)) spec.backoffLimit = isSet(spec.backoffLimitPerIndex) ? MAX_INT32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
    labelsCopiedFromTemplate.add(job);
  }
  if (!isSet(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (!isSet(spec.suspend)) spec.suspend = false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
  }
  if (!isSet(spec.podReplacementPolicy)) spec.podReplacementPolicy = spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  if (!isSet(spec.manualSelector)) spec.manualSelector = false;
  setPodTemplateDefaults(spec.template);
}
