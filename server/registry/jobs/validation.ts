// Job validation, as pkg/apis/batch/validation/validation.go: create (V1-V11),
// update (V12) and the /status subresource (V13), with upstream's paths and messages.
// Pure: returns FieldError[], never throws.
import type { JobCondition, JobSpec, PodFailurePolicyRule, SuccessPolicyRule } from '../../../api/index.js';
import { JobLabels } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Label, isDNS1123Subdomain, labelSelectorAsSelector } from '../../../machinery/index.js';
import {
  nameIsDNSSubdomain,
  validateImmutableField,
  validateLabelSelector,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateQualifiedName,
} from '../meta-validation.js';
import { validatePodTemplateSpec } from '../pods/validation.js';
import { semanticEqual } from '../semantic-equal.js';
import type { JobObject } from './types.js';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;

const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const ON_EXIT_CODES_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Go's %q of a []string: ["a" "b"]. */
function goQuotedList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

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

/** IsDomainPrefixedPath (spec.managedBy). */
function validateDomainPrefixedPath(value: string, p: FieldPath): FieldError[] {
  if (!value) return [fieldErrors.required(p)];
  const slash = value.indexOf('/');
  const host = slash >= 0 ? value.slice(0, slash) : value;
  const rest = slash >= 0 ? value.slice(slash + 1) : '';
  if (slash < 0 || !host || !rest) return [fieldErrors.invalid(p, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => fieldErrors.invalid(p, host, m));
  if (!HTTP_PATH_RE.test(rest)) errs.push(fieldErrors.invalid(p, rest, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

function validatePodFailurePolicyRule(spec: JobSpec, rule: PodFailurePolicyRule, p: FieldPath, containerNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const actionPath = p.child('action');
  const action = rule.action as string | undefined;
  if (!action) errs.push(fieldErrors.required(actionPath, `valid values: ${goQuotedList(POD_FAILURE_POLICY_ACTIONS)}`));
  else if (action === 'FailIndex') {
    if (!isSet(spec.backoffLimitPerIndex)) errs.push(fieldErrors.invalid(actionPath, action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!POD_FAILURE_POLICY_ACTIONS.includes(action)) errs.push(fieldErrors.notSupported(actionPath, action, POD_FAILURE_POLICY_ACTIONS));

  const onExitCodes = rule.onExitCodes;
  const onPodConditions = rule.onPodConditions ?? [];
  if (onExitCodes) {
    const ep = p.child('onExitCodes');
    const op = onExitCodes.operator as string | undefined;
    if (!op) errs.push(fieldErrors.required(ep.child('operator'), `valid values: ${goQuotedList(ON_EXIT_CODES_OPERATORS)}`));
    else if (!ON_EXIT_CODES_OPERATORS.includes(op)) errs.push(fieldErrors.notSupported(ep.child('operator'), op, ON_EXIT_CODES_OPERATORS));
    if (isSet(onExitCodes.containerName) && !containerNames.has(onExitCodes.containerName)) {
      errs.push(fieldErrors.invalid(ep.child('containerName'), onExitCodes.containerName, 'must be one of the container or initContainer names in the pod template'));
    }
    const vp = ep.child('values');
    const values = onExitCodes.values ?? [];
    if (values.length === 0) errs.push(fieldErrors.invalid(vp, values, 'at least one value is required'));
    else if (values.length > MAX_ON_EXIT_CODES_VALUES) errs.push(fieldErrors.tooMany(vp, values.length, MAX_ON_EXIT_CODES_VALUES));
    let ordered = true;
    const seen = new Set<number>();
    values.forEach((v, j) => {
      if (op === 'In' && v === 0) errs.push(fieldErrors.invalid(vp.index(j), v, 'must not be 0 for the In operator'));
      if (seen.has(v)) errs.push(fieldErrors.duplicate(vp.index(j), v));
      else seen.add(v);
      if (j > 0 && values[j - 1] > v) ordered = false;
    });
    if (!ordered) errs.push(fieldErrors.invalid(vp, values, 'must be ordered'));
  }
  if (onPodConditions.length > 0) {
    const cp = p.child('onPodConditions');
    if (onPodConditions.length > MAX_ON_POD_CONDITIONS_PATTERNS) errs.push(fieldErrors.tooMany(cp, onPodConditions.length, MAX_ON_POD_CONDITIONS_PATTERNS));
    onPodConditions.forEach((pattern, j) => {
      const pp = cp.index(j);
      errs.push(...validateQualifiedName(pattern.type ?? '', pp.child('type')));
      const status = pattern.status as string | undefined;
      if (!status) errs.push(fieldErrors.required(pp.child('status'), `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
      else if (!CONDITION_STATUSES.includes(status)) errs.push(fieldErrors.notSupported(pp.child('status'), status, CONDITION_STATUSES));
    });
  }
  if (onExitCodes && onPodConditions.length > 0) {
    errs.push({ ...fieldErrors.invalid(p, null, 'specifying both OnExitCodes and OnPodConditions is not supported'), omitValue: true });
  }
  if (!onExitCodes && onPodConditions.length === 0) {
    errs.push({ ...fieldErrors.invalid(p, null, 'specifying one of OnExitCodes and OnPodConditions is required'), omitValue: true });
  }
  return errs;
}

function parseIndexInterval(interval: string, completions: number): [number, number] {
  const limits = interval.split('-');
  if (limits.length > 2) throw new Error(`the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`);
  const parse = (s: string): number => {
    if (!/^[+-]?\d+$/.test(s)) throw new Error(`cannot convert string to integer for index: ${JSON.stringify(s)}`);
    const n = Number(s);
    if (n >= completions) throw new Error(`too large index: ${JSON.stringify(s)}`);
    return n;
  };
  const x = parse(limits[0]);
  if (limits.length === 1) return [x, x];
  const y = parse(limits[1]);
  if (x >= y) throw new Error(`non-increasing order, previous: ${x}, current: ${y}`);
  return [x, y];
}

/** validateIndexesFormat: "0,2-4": intervals below completions, increasing; returns how many indexes. */
export function validateIndexesFormat(indexes: string, completions: number): number {
  if (!indexes) return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of indexes.split(',')) {
    const [x, y] = parseIndexInterval(interval, completions);
    if (last !== undefined && last >= x) throw new Error(`non-increasing order, previous: ${last}, current: ${x}`);
    total += y - x + 1;
    last = y;
  }
  return total;
}

function validateSuccessPolicyRule(spec: JobSpec, rule: SuccessPolicyRule, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(rule.succeededCount) && !isSet(rule.succeededIndexes)) {
    errs.push(fieldErrors.required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
  }
  const completions = isSet(spec.completions) ? spec.completions : undefined;
  let totalIndexes = 0;
  if (isSet(rule.succeededIndexes)) {
    const ip = p.child('succeededIndexes');
    if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(fieldErrors.tooLong(ip, MAX_SUCCEEDED_INDEXES_LENGTH));
    if (completions !== undefined) {
      try {
        totalIndexes = validateIndexesFormat(rule.succeededIndexes, completions);
      } catch (e) {
        errs.push(fieldErrors.invalid(ip, rule.succeededIndexes, `error parsing succeededIndexes: ${(e as Error).message}`));
      }
    }
  }
  if (isSet(rule.succeededCount)) {
    const cp = p.child('succeededCount');
    errs.push(...validateNonnegativeField(rule.succeededCount, cp));
    if (completions !== undefined && rule.succeededCount > completions) {
      errs.push(fieldErrors.invalid(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
    }
    if (isSet(rule.succeededIndexes) && rule.succeededCount > totalIndexes) {
      errs.push(
        fieldErrors.invalid(cp, rule.succeededCount, `must be less than or equal to ${totalIndexes} (the number of indexes in the specified succeededIndexes field)`),
      );
    }
  }
  return errs;
}

/**
 * validateJobSpec (upstream's unexported one): everything about the spec but the selector.
 * ValidateJobSpec adds the selector rules; a CronJob's jobTemplate.spec uses this alone.
 */
export function validateJobSpecFields(spec: JobSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const) {
    const v = spec[f];
    if (isSet(v)) errs.push(...validateNonnegativeField(v, p.child(f)));
  }
  if (isSet(spec.maxFailedIndexes)) {
    errs.push(...validateNonnegativeField(spec.maxFailedIndexes, p.child('maxFailedIndexes')));
    if (!isSet(spec.backoffLimitPerIndex)) errs.push(fieldErrors.required(p.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (isSet(spec.managedBy)) {
    errs.push(...validateDomainPrefixedPath(spec.managedBy, p.child('managedBy')));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) errs.push(fieldErrors.tooLong(p.child('managedBy'), MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode as string | undefined;
  if (isSet(mode)) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldErrors.notSupported(p.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (!isSet(spec.completions)) errs.push(fieldErrors.required(p.child('completions'), 'when completion mode is Indexed'));
      if (isSet(spec.parallelism) && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(
          fieldErrors.invalid(p.child('parallelism'), spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`),
        );
      }
      if (isSet(spec.completions) && isSet(spec.maxFailedIndexes) && spec.maxFailedIndexes > spec.completions) {
        errs.push(fieldErrors.invalid(p.child('maxFailedIndexes'), spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (isSet(spec.maxFailedIndexes) && spec.maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
        errs.push(fieldErrors.invalid(p.child('maxFailedIndexes'), spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
      }
      if (isSet(spec.completions) && spec.completions > COMPLETIONS_SOFT_LIMIT && isSet(spec.backoffLimitPerIndex)) {
        if (!isSet(spec.maxFailedIndexes)) {
          errs.push(fieldErrors.required(p.child('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        }
        const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (isSet(spec.parallelism) && spec.parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
          errs.push(fieldErrors.invalid(p.child('parallelism'), spec.parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${suffix}`));
        }
        if (isSet(spec.maxFailedIndexes) && spec.maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
          errs.push(
            fieldErrors.invalid(p.child('maxFailedIndexes'), spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${suffix}`),
          );
        }
      }
    }
  }
  if (!isSet(mode) || mode === 'NonIndexed') {
    if (isSet(spec.backoffLimitPerIndex)) errs.push(fieldErrors.invalid(p.child('backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (isSet(spec.maxFailedIndexes)) errs.push(fieldErrors.invalid(p.child('maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
  }

  if (isSet(spec.podFailurePolicy)) {
    const pp = p.child('podFailurePolicy');
    const rules = spec.podFailurePolicy.rules ?? [];
    const rulesPath = pp.child('rules');
    if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(fieldErrors.tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
    const names = new Set<string>();
    for (const c of spec.template?.spec?.containers ?? []) names.add(c.name);
    for (const c of spec.template?.spec?.initContainers ?? []) names.add(c.name);
    rules.forEach((rule, i) => errs.push(...validatePodFailurePolicyRule(spec, rule, rulesPath.index(i), names)));
  }
  if (isSet(spec.successPolicy)) {
    const sp = p.child('successPolicy');
    if ((mode ?? 'NonIndexed') !== 'Indexed') {
      errs.push(fieldErrors.invalid(sp, spec.successPolicy, 'requires indexed completion mode'));
    } else {
      const rules = spec.successPolicy.rules ?? [];
      const rulesPath = sp.child('rules');
      if (rules.length === 0) errs.push(fieldErrors.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
      if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(fieldErrors.tooMany(rulesPath, rules.length, MAX_SUCCESS_POLICY_RULES));
      rules.forEach((rule, i) => errs.push(...validateSuccessPolicyRule(spec, rule, rulesPath.index(i))));
    }
  }
  const prp = spec.podReplacementPolicy as string | undefined;
  if (isSet(prp)) {
    if (isSet(spec.podFailurePolicy)) {
      if (prp !== 'Failed') errs.push(fieldErrors.notSupported(p.child('podReplacementPolicy'), prp, ['Failed']));
    } else if (!POD_REPLACEMENT_POLICIES.includes(prp)) {
      errs.push(fieldErrors.notSupported(p.child('podReplacementPolicy'), prp, POD_REPLACEMENT_POLICIES));
    }
  }

  errs.push(...validatePodTemplateSpec(spec.template, p.child('template')));

  // restartPolicy "" was defaulted to Always, which a Job may not use: both get "Required".
  const rpPath = p.child('template', 'spec', 'restartPolicy');
  const rp = (spec.template?.spec?.restartPolicy ?? '') as string;
  if (rp === 'Always' || rp === '') errs.push(fieldErrors.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(fieldErrors.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (isSet(spec.podFailurePolicy) && rp !== 'Never') errs.push(fieldErrors.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** ValidateJobSpec: the spec, a required valid selector that matches the template's labels. */
export function validateJobSpec(spec: JobSpec | undefined, p: FieldPath = new FieldPath('spec')): FieldError[] {
  if (!spec) return [fieldErrors.required(p)];
  const errs = validateJobSpecFields(spec, p);
  if (!spec.selector) errs.push(fieldErrors.required(p.child('selector')));
  else errs.push(...validateLabelSelector(spec.selector, p.child('selector')));
  if (spec.selector) {
    try {
      const labels = spec.template?.metadata?.labels;
      if (!labelSelectorAsSelector(spec.selector).matches(labels)) {
        errs.push(fieldErrors.invalid(p.child('template', 'metadata', 'labels'), labels ?? null, '`selector` does not match template `labels`'));
      }
    } catch {
      // Reported by validateLabelSelector.
    }
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

// ---- status (V13) ----------------------------------------------------------------------------

function isConditionTrue(conditions: JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** True once the Job has a Complete=True or Failed=True condition. */
export function isJobFinished(job: JobObject): boolean {
  return isConditionTrue(job.status?.conditions, 'Complete') || isConditionTrue(job.status?.conditions, 'Failed');
}

interface StatusChecks {
  rejectDecreasingSucceeded: boolean;
  rejectInvalidCompletedIndexes: boolean;
  rejectInvalidFailedIndexes: boolean;
  rejectCompletedIndexesForNonIndexed: boolean;
  rejectFailedIndexesForNoBackoffLimitPerIndex: boolean;
  rejectFailedIndexesOverlappingCompleted: boolean;
  rejectFinishedWithActive: boolean;
  rejectFinishedWithoutStartTime: boolean;
  rejectFinishedWithUncounted: boolean;
  rejectStartTimeUpdateForUnsuspended: boolean;
  rejectCompletionTimeBeforeStartTime: boolean;
  rejectNotCompleteWithCompletionTime: boolean;
  rejectCompleteWithoutCompletionTime: boolean;
  rejectCompleteWithFailed: boolean;
  rejectCompleteWithFailureTarget: boolean;
  rejectFailedWithoutFailureTarget: boolean;
  rejectCompleteWithoutSuccessCriteriaMet: boolean;
  rejectFinishedWithTerminating: boolean;
  rejectMoreReadyThanActive: boolean;
}

/** getStatusValidationOptions (JobManagedBy on): most rules apply only to fields that changed. */
function statusChecks(job: JobObject, old: JobObject): StatusChecks {
  const s = job.status ?? {};
  const o = old.status ?? {};
  const indexed = job.spec?.completionMode === 'Indexed';
  const finishedChanged = isJobFinished(old) !== isJobFinished(job);
  const completeChanged = isConditionTrue(o.conditions, 'Complete') !== isConditionTrue(s.conditions, 'Complete');
  const failedChanged = isConditionTrue(o.conditions, 'Failed') !== isConditionTrue(s.conditions, 'Failed');
  const failureTargetChanged = isConditionTrue(o.conditions, 'FailureTarget') !== isConditionTrue(s.conditions, 'FailureTarget');
  const completedIndexesChanged = (o.completedIndexes ?? '') !== (s.completedIndexes ?? '');
  const failedIndexesChanged = o.failedIndexes !== s.failedIndexes;
  const activeChanged = (o.active ?? 0) !== (s.active ?? 0);
  const startTimeChanged = o.startTime !== s.startTime;
  const completionTimeChanged = o.completionTime !== s.completionTime;
  const uncountedChanged = !semanticEqual(o.uncountedTerminatedPods, s.uncountedTerminatedPods);
  const successCriteriaMetChanged = isConditionTrue(o.conditions, 'SuccessCriteriaMet') !== isConditionTrue(s.conditions, 'SuccessCriteriaMet');
  const terminatingChanged = (o.terminating ?? 0) !== (s.terminating ?? 0);
  const readyChanged = (o.ready ?? 0) !== (s.ready ?? 0);
  return {
    rejectDecreasingSucceeded: !indexed || job.spec?.completions !== job.spec?.parallelism,
    rejectInvalidCompletedIndexes: completedIndexesChanged,
    rejectInvalidFailedIndexes: failedIndexesChanged,
    rejectCompletedIndexesForNonIndexed: completedIndexesChanged,
    rejectFailedIndexesForNoBackoffLimitPerIndex: failedIndexesChanged,
    rejectFailedIndexesOverlappingCompleted: failedIndexesChanged || completedIndexesChanged,
    rejectFinishedWithActive: finishedChanged || activeChanged,
    // A suspended Job with completions 0 completes without ever starting (kubernetes#132144, #132614).
    rejectFinishedWithoutStartTime: (finishedChanged || startTimeChanged) && !(job.spec?.suspend === true && job.spec?.completions === 0),
    rejectFinishedWithUncounted: finishedChanged || uncountedChanged,
    rejectStartTimeUpdateForUnsuspended: startTimeChanged,
    rejectCompletionTimeBeforeStartTime: startTimeChanged || completionTimeChanged,
    rejectNotCompleteWithCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteWithoutCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteWithFailed: completeChanged || failedChanged,
    rejectCompleteWithFailureTarget: completeChanged || failureTargetChanged,
    rejectFailedWithoutFailureTarget: failedChanged || failureTargetChanged,
    rejectCompleteWithoutSuccessCriteriaMet: completeChanged || successCriteriaMetChanged,
    rejectFinishedWithTerminating: finishedChanged || terminatingChanged,
    rejectMoreReadyThanActive: readyChanged || activeChanged,
  };
}

function indexesOverlap(completed: string, failed: string, completions: number): string | undefined {
  const parse = (s: string): [number, number][] => {
    const out: [number, number][] = [];
    for (const part of s ? s.split(',') : []) {
      try {
        out.push(parseIndexInterval(part, completions));
      } catch {
        // Format errors are reported by the format check.
      }
    }
    return out;
  };
  for (const [cx, cy] of parse(completed)) {
    for (const [fx, fy] of parse(failed)) {
      if (cx <= fy && fx <= cy) return `failedIndexes and completedIndexes overlap at index: ${Math.max(cx, fx)}`;
    }
  }
  return undefined;
}

function validateJobStatus(job: JobObject, checks: StatusChecks): FieldError[] {
  const p = new FieldPath('status');
  const s = job.status ?? {};
  const conditions = s.conditions;
  const complete = isConditionTrue(conditions, 'Complete');
  const failed = isConditionTrue(conditions, 'Failed');
  const failureTarget = isConditionTrue(conditions, 'FailureTarget');
  const successCriteriaMet = isConditionTrue(conditions, 'SuccessCriteriaMet');
  const finished = complete || failed;
  const omit = (path: FieldPath, detail: string): FieldError => ({ ...fieldErrors.invalid(path, null, detail), omitValue: true });
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) {
    const v = s[f];
    if (isSet(v)) errs.push(...validateNonnegativeField(v, p.child(f)));
  }
  if (s.uncountedTerminatedPods) {
    const up = p.child('uncountedTerminatedPods');
    const seen = new Set<string>();
    for (const key of ['succeeded', 'failed'] as const) {
      (s.uncountedTerminatedPods[key] ?? []).forEach((uid, i) => {
        const ip = up.child(key).index(i);
        if (!uid) errs.push(fieldErrors.invalid(ip, uid, 'must not be empty'));
        else if (seen.has(uid)) errs.push(fieldErrors.duplicate(ip, uid));
        else seen.add(uid);
      });
    }
  }
  if (checks.rejectCompleteWithFailed && complete && failed) errs.push(omit(p.child('conditions'), 'cannot set Complete=True and Failed=true conditions'));
  if (checks.rejectCompleteWithFailureTarget && complete && failureTarget) {
    errs.push(omit(p.child('conditions'), 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if (checks.rejectNotCompleteWithCompletionTime && s.completionTime && !complete) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'cannot set completionTime when there is no Complete=True condition'));
  }
  if (checks.rejectCompleteWithoutCompletionTime && !s.completionTime && complete) {
    errs.push(fieldErrors.required(p.child('completionTime'), 'completionTime is required for Complete jobs'));
  }
  if (checks.rejectCompletionTimeBeforeStartTime && s.startTime && s.completionTime && Date.parse(s.completionTime) < Date.parse(s.startTime)) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'completionTime cannot be set before startTime'));
  }
  if (checks.rejectFailedWithoutFailureTarget && failed && !failureTarget) errs.push(omit(p.child('conditions'), 'cannot set Failed=True condition without the FailureTarget=true condition'));
  if (checks.rejectCompleteWithoutSuccessCriteriaMet && complete && !successCriteriaMet) errs.push(omit(p.child('conditions'), 'cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  if (checks.rejectFinishedWithActive && (s.active ?? 0) > 0 && finished) {
    errs.push(fieldErrors.invalid(p.child('active'), s.active, 'active>0 is invalid for finished job'));
  }
  if (checks.rejectFinishedWithoutStartTime && !s.startTime && finished) {
    errs.push(fieldErrors.required(p.child('startTime'), 'startTime is required for finished job'));
  }
  const uncounted = (s.uncountedTerminatedPods?.failed?.length ?? 0) + (s.uncountedTerminatedPods?.succeeded?.length ?? 0);
  if (checks.rejectFinishedWithUncounted && finished && uncounted > 0) {
    errs.push(fieldErrors.invalid(p.child('uncountedTerminatedPods'), s.uncountedTerminatedPods, 'uncountedTerminatedPods needs to be empty for finished job'));
  }
  const completions = job.spec?.completions;
  if (checks.rejectInvalidCompletedIndexes && isSet(completions)) {
    try {
      validateIndexesFormat(s.completedIndexes ?? '', completions);
    } catch (e) {
      errs.push(fieldErrors.invalid(p.child('completedIndexes'), s.completedIndexes ?? '', `error parsing completedIndexes: ${(e as Error).message}`));
    }
  }
  if (checks.rejectInvalidFailedIndexes && isSet(completions) && isSet(job.spec?.backoffLimitPerIndex) && isSet(s.failedIndexes)) {
    try {
      validateIndexesFormat(s.failedIndexes, completions);
    } catch (e) {
      errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, `error parsing failedIndexes: ${(e as Error).message}`));
    }
  }
  const indexed = job.spec?.completionMode === 'Indexed';
  if (checks.rejectCompletedIndexesForNonIndexed && (s.completedIndexes ?? '') !== '' && !indexed) {
    errs.push(fieldErrors.invalid(p.child('completedIndexes'), s.completedIndexes, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (checks.rejectFailedIndexesForNoBackoffLimitPerIndex && !isSet(job.spec?.backoffLimitPerIndex) && isSet(s.failedIndexes)) {
    errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if (checks.rejectFailedIndexesOverlappingCompleted && isSet(completions) && isSet(s.failedIndexes)) {
    const overlap = indexesOverlap(s.completedIndexes ?? '', s.failedIndexes, completions);
    if (overlap) errs.push(fieldErrors.invalid(p.child('failedIndexes'), s.failedIndexes, overlap));
  }
  if (checks.rejectFinishedWithTerminating && (s.terminating ?? 0) > 0 && finished) errs.push(fieldErrors.invalid(p.child('terminating'), s.terminating, 'terminating>0 is invalid for finished job'));
  if (checks.rejectMoreReadyThanActive && isSet(s.ready) && s.ready > (s.active ?? 0)) errs.push(fieldErrors.invalid(p.child('ready'), s.ready, 'cannot set more ready pods than active'));
  if (successCriteriaMet && failed) errs.push(omit(p.child('conditions'), 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  if (successCriteriaMet && failureTarget) errs.push(omit(p.child('conditions'), 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  if (job.spec?.successPolicy && !successCriteriaMet && complete) {
    errs.push(omit(p.child('conditions'), 'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'));
  }
  return errs;
}

/**
 * ValidateJobUpdateStatus (V13): counters >= 0, then (upstream's JobManagedBy rules, run
 * on the fields that changed) terminal conditions are never removed, counters never go
 * down, Complete needs SuccessCriteriaMet and completionTime, Failed needs FailureTarget,
 * a finished Job has no active or terminating pods, ready <= active, completionTime is
 * never changed once set, and startTime changes only while the Job is suspended or
 * in the status write that resumes it.
 */
export function validateJobStatusUpdate(job: JobObject, old: JobObject): FieldError[] {
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata);
  const checks = statusChecks(job, old);
  errs.push(...validateJobStatus(job, checks));
  const p = new FieldPath('status');
  const s = job.status ?? {};
  const o = old.status ?? {};
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (isConditionTrue(o.conditions, type) && !isConditionTrue(s.conditions, type)) {
      errs.push({ ...fieldErrors.invalid(p.child('conditions'), null, `cannot disable the terminal ${type}=True condition`), omitValue: true });
    }
  }
  if ((s.failed ?? 0) < (o.failed ?? 0)) errs.push(fieldErrors.invalid(p.child('failed'), s.failed ?? 0, 'cannot decrease the failed counter'));
  if (checks.rejectDecreasingSucceeded && (s.succeeded ?? 0) < (o.succeeded ?? 0)) {
    errs.push(fieldErrors.invalid(p.child('succeeded'), s.succeeded ?? 0, 'cannot decrease the succeeded counter'));
  }
  if (s.completionTime && o.completionTime && s.completionTime !== o.completionTime) {
    errs.push(fieldErrors.invalid(p.child('completionTime'), s.completionTime, 'completionTime cannot be mutated'));
  }
  // Resuming (Suspended True -> False) resets startTime: allowed (kubernetes#134769, for Jobs
  // suspended while they kept a startTime).
  const resuming = isConditionTrue(o.conditions, 'Suspended') && (s.conditions ?? []).some((c) => c.type === 'Suspended' && c.status === 'False');
  if (checks.rejectStartTimeUpdateForUnsuspended && o.startTime && o.startTime !== s.startTime && job.spec?.suspend !== true && !resuming) {
    errs.push(fieldErrors.required(p.child('startTime'), 'startTime cannot be removed for unsuspended job'));
  }
  if (isConditionTrue(o.conditions, 'SuccessCriteriaMet') && !isConditionTrue(s.conditions, 'SuccessCriteriaMet')) {
    errs.push({ ...fieldErrors.invalid(p.child('conditions'), null, 'cannot disable the SuccessCriteriaMet=True condition'), omitValue: true });
  }
  if (isConditionTrue(o.conditions, 'Complete') && !isConditionTrue(o.conditions, 'SuccessCriteriaMet') && isConditionTrue(s.conditions, 'SuccessCriteriaMet')) {
    errs.push({
      ...fieldErrors.invalid(p.child('conditions'), null, 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'),
      omitValue: true,
    });
  }
  return errs;
}
