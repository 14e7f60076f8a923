// Job validation, as pkg/apis/batch/validation/validation.go: create and update of the object
// (metadata, generated selector, what an update may change) here, the spec in validation-spec.ts,
// the /status subresource in validation-status.ts; upstream's paths and messages.
// Pure: returns FieldError[], never throws.
import type { JobSpec } from '../../../api/index.js';
import { JobLabels } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Label, labelSelectorAsSelector } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { semanticEqual } from '../semantic-equal.js';
import type { JobObject } from './types.js';
import { isSet, validateJobSpec } from './validation-spec.js';

/** Options upstream derives per request (validationOptionsForJob). */
export interface JobValidationOptions {
  /** Require the batch.kubernetes.io/ prefixed labels too (always on create). */
  requirePrefixedLabels: boolean;
  /** A suspended Job that never started may change the template's scheduling directives. */
  allowMutableSchedulingDirectives: boolean;
}

/** validationOptionsForJob: what the old object (if any) allows. */
export function jobValidationOptions(old?: JobObject): JobValidationOptions {
  if (!old) return { requirePrefixedLabels: true, allowMutableSchedulingDirectives: false };
  const labels = old.spec?.template?.metadata?.labels ?? {};
  return {
    requirePrefixedLabels: JobLabels.jobName in labels && JobLabels.controllerUid in labels,
    allowMutableSchedulingDirectives: old.spec?.suspend === true && !old.status?.startTime,
  };
}

function validateHasLabel(labels: Record<string, string> | undefined, p: FieldPath, key: string, expected: string): FieldError[] {
  const lp = p.child('labels').key(key);
  if (!labels || !(key in labels)) return [fieldErrors.required(lp, expected)];
  if (labels[key] !== expected) return [fieldErrors.invalid(lp, labels, `must be '${expected}'`)];
  return [];
}

/** validateGeneratedSelector: with manualSelector false, the generated labels and selector must be intact. */
function validateGeneratedSelector(job: JobObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector === true || !spec?.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  if (!uid) errs.push(fieldErrors.required('metadata.uid'));
  const tp = new FieldPath('spec').child('template').child('metadata');
  const labels = spec.template?.metadata?.labels;
  errs.push(...validateHasLabel(labels, tp, JobLabels.legacyControllerUid, uid));
  errs.push(...validateHasLabel(labels, tp, JobLabels.legacyJobName, name));
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errs.push(...validateHasLabel(labels, tp, JobLabels.controllerUid, uid));
    errs.push(...validateHasLabel(labels, tp, JobLabels.jobName, name));
    expected[JobLabels.controllerUid] = uid;
    expected[JobLabels.jobName] = name;
  }
  expected[JobLabels.legacyControllerUid] = uid;
  expected[JobLabels.legacyJobName] = name;
  try {
    if (!labelSelectorAsSelector(spec.selector).matches(expected)) {
      errs.push(fieldErrors.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
    }
  } catch {
    // An unparsable selector is reported by validateLabelSelector.
  }
  return errs;
}

/** ValidateJob (create): metadata (a DNS subdomain name), generated selector, spec, indexed hostnames. */
export function validateJob(job: JobObject, opts: JobValidationOptions = jobValidationOptions()): FieldError[] {
  const errs = validateObjectMeta(job.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateGeneratedSelector(job, opts.requirePrefixedLabels));
  errs.push(...validateJobSpec(job.spec));
  const spec = job.spec;
  if (spec?.completionMode === 'Indexed' && isSet(spec.completions) && spec.completions > 0) {
    // Indexed pods get the hostname <job>-<index>: the largest one must be a DNS label.
    const maxHostname = `${job.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(maxHostname).length > 0) {
      errs.push(fieldErrors.invalid('metadata.name', job.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${maxHostname}`));
    }
  }
  return errs;
}

function validateCompletionsUpdate(spec: JobSpec, old: JobSpec, p: FieldPath): FieldError[] {
  // ElasticIndexedJob: an Indexed Job may change completions together with parallelism.
  if (spec.completionMode !== 'Indexed') return validateImmutableField(spec.completions, old.completions, p);
  if (semanticEqual(spec.completions, old.completions) || !isSet(spec.completions)) return [];
  if (spec.completions !== spec.parallelism) {
    return [fieldErrors.invalid(p, spec.completions, 'can only be modified in tandem with spec.parallelism')];
  }
  return [];
}

function validatePodTemplateUpdate(spec: JobSpec, old: JobSpec, p: FieldPath, opts: JobValidationOptions): FieldError[] {
  let oldTemplate = old.template;
  if (opts.allowMutableSchedulingDirectives && oldTemplate) {
    oldTemplate = structuredClone(oldTemplate);
    const tmpl = spec.template;
    const oldAffinity = (oldTemplate.spec.affinity ?? undefined) as Record<string, unknown> | undefined;
    const newAffinity = (tmpl?.spec?.affinity ?? undefined) as Record<string, unknown> | undefined;
    if (!newAffinity && oldAffinity) {
      const rest = { ...oldAffinity };
      delete rest.nodeAffinity;
      oldTemplate.spec.affinity = Object.keys(rest).length ? rest : undefined;
    } else if (newAffinity && !oldAffinity) {
      oldTemplate.spec.affinity = newAffinity.nodeAffinity === undefined ? {} : { nodeAffinity: newAffinity.nodeAffinity };
    } else if (newAffinity && oldAffinity) {
      oldTemplate.spec.affinity = { ...oldAffinity, nodeAffinity: newAffinity.nodeAffinity };
    }
    oldTemplate.spec.nodeSelector = tmpl?.spec?.nodeSelector;
    oldTemplate.spec.tolerations = tmpl?.spec?.tolerations;
    oldTemplate.spec.schedulingGates = tmpl?.spec?.schedulingGates;
    oldTemplate.metadata = { ...(oldTemplate.metadata ?? {}), annotations: tmpl?.metadata?.annotations, labels: tmpl?.metadata?.labels };
  }
  return validateImmutableField(spec.template, oldTemplate, p.child('template'));
}

/**
 * ValidateJobUpdate: metadata update rules, and the spec's immutable parts (selector,
 * template, completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy,
 * successPolicy, completions but for Indexed scaling in tandem with parallelism).
 */
export function validateJobUpdate(job: JobObject, old: JobObject, opts: JobValidationOptions = jobValidationOptions(old)): FieldError[] {
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata);
  const spec = job.spec ?? ({} as JobSpec);
  const oldSpec = old.spec ?? ({} as JobSpec);
  const p = new FieldPath('spec');
  errs.push(...validateCompletionsUpdate(spec, oldSpec, p.child('completions')));
  errs.push(...validateImmutableField(spec.selector, oldSpec.selector, p.child('selector')));
  errs.push(...validatePodTemplateUpdate(spec, oldSpec, p, opts));
  errs.push(...validateImmutableField(spec.completionMode, oldSpec.completionMode, p.child('completionMode')));
  errs.push(...validateImmutableField(spec.podFailurePolicy, oldSpec.podFailurePolicy, p.child('podFailurePolicy')));
  errs.push(...validateImmutableField(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, p.child('backoffLimitPerIndex')));
  errs.push(...validateImmutableField(spec.managedBy, oldSpec.managedBy, p.child('managedBy')));
  errs.push(...validateImmutableField(spec.successPolicy, oldSpec.successPolicy, p.child('successPolicy')));
  return errs;
}
