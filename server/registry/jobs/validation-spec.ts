// The Job's spec, as upstream's validateJobSpec and what it calls: counts and their limits, the
// pod failure policy, the success policy, completed/failed index lists, managedBy, the template.
import type { JobSpec, PodFailurePolicyRule, SuccessPolicyRule } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isDNS1123Subdomain, labelSelectorAsSelector } from '../../../machinery/index.js';
import { validateLabelSelector, validateNonnegativeField, validateQualifiedName } from '../meta-validation.js';
import { validatePodTemplateSpec } from '../pods/validation.js';

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

export const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Go's %q of a []string: ["a" "b"]. */
function goQuotedList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
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

export function parseIndexInterval(interval: string, completions: number): [number, number] {
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
