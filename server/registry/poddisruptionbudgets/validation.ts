// PodDisruptionBudget validation (pkg/apis/policy/validation/validation.go): minAvailable and
// maxUnavailable exclusive, each a non-negative count or a percentage up to 100%, a valid
// selector and eviction policy; the status counts non-negative and its conditions well formed.
import type { IntOrString, MetaCondition } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isValidPercent, percentValue } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateLabelSelector, validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName } from '../meta-validation.js';
import type { PodDisruptionBudgetObject } from './types.js';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const MAX_REASON_LENGTH = 1024;
const MAX_MESSAGE_LENGTH = 32768;

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent (apps validation). */
function validateIntOrPercent(v: IntOrString, p: FieldPath): FieldError[] {
  if (typeof v === 'number') return validateNonnegativeField(v, p);
  const errs = isValidPercent(v).map((msg) => fieldErrors.invalid(p, v, msg));
  const percent = percentValue(v);
  if (percent !== undefined && percent > 100) errs.push(fieldErrors.invalid(p, v, 'must not be greater than 100%'));
  return errs;
}

export function validatePodDisruptionBudgetSpec(pdb: PodDisruptionBudgetObject): FieldError[] {
  const spec = pdb.spec ?? {};
  const p = new FieldPath('spec');
  const errs: FieldError[] = [];
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) errs.push(fieldErrors.invalid(p, spec, 'minAvailable and maxUnavailable cannot be both set'));
  if (hasMin) errs.push(...validateIntOrPercent(spec.minAvailable!, p.child('minAvailable')));
  if (hasMax) errs.push(...validateIntOrPercent(spec.maxUnavailable!, p.child('maxUnavailable')));
  errs.push(...validateLabelSelector(spec.selector, p.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !UNHEALTHY_POD_EVICTION_POLICIES.includes(policy)) {
    errs.push(fieldErrors.notSupported(p.child('unhealthyPodEvictionPolicy'), policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudgetObject): FieldError[] {
  return [...validateObjectMeta(pdb.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validatePodDisruptionBudgetSpec(pdb)];
}

export function validatePodDisruptionBudgetUpdate(pdb: PodDisruptionBudgetObject, old: PodDisruptionBudgetObject): FieldError[] {
  return [...validateObjectMetaUpdate(pdb.metadata, old.metadata), ...validatePodDisruptionBudgetSpec(pdb)];
}

/** metav1validation.ValidateConditions: unique types, qualified names, a status, a time and a reason. */
export function validateConditions(conditions: MetaCondition[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const ip = p.index(i);
    if (seen.has(c.type)) errs.push(fieldErrors.duplicate(ip.child('type'), c.type));
    seen.add(c.type);
    errs.push(...validateQualifiedName(c.type ?? '', ip.child('type')));
    if (!c.status) errs.push(fieldErrors.required(ip.child('status')));
    else if (!CONDITION_STATUSES.includes(c.status)) errs.push(fieldErrors.notSupported(ip.child('status'), c.status, CONDITION_STATUSES));
    if (c.observedGeneration !== undefined) errs.push(...validateNonnegativeField(c.observedGeneration, ip.child('observedGeneration')));
    if (!c.lastTransitionTime) errs.push(fieldErrors.required(ip.child('lastTransitionTime'), 'must be set'));
    if (!c.reason) errs.push(fieldErrors.required(ip.child('reason'), 'must be set'));
    else {
      if (!CONDITION_REASON.test(c.reason)) {
        errs.push(
          fieldErrors.invalid(
            ip.child('reason'),
            c.reason,
            "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
          ),
        );
      }
      if (c.reason.length > MAX_REASON_LENGTH) errs.push(fieldErrors.tooLong(ip.child('reason'), MAX_REASON_LENGTH));
    }
    if ((c.message ?? '').length > MAX_MESSAGE_LENGTH) errs.push(fieldErrors.tooLong(ip.child('message'), MAX_MESSAGE_LENGTH));
  });
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate: the four counts non-negative, the conditions valid. */
export function validatePodDisruptionBudgetStatusUpdate(pdb: PodDisruptionBudgetObject, old: PodDisruptionBudgetObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pdb.metadata, old.metadata);
  const p = new FieldPath('status');
  const s = pdb.status;
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) {
    errs.push(...validateNonnegativeField(s?.[f] ?? 0, p.child(f)));
  }
  errs.push(...validateConditions(s?.conditions, p.child('conditions')));
  return errs;
}
