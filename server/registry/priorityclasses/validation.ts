// ValidatePriorityClass and ValidatePriorityClassUpdate (pkg/apis/scheduling/validation), with
// upstream's messages: "system-" names only for the built-in classes with their exact value and
// globalDefault, user values at most HighestUserDefinablePriority, value and preemptionPolicy immutable.
import {
  HIGHEST_USER_DEFINABLE_PRIORITY,
  type PriorityClass,
  SYSTEM_PRIORITY_CLASSES,
  SYSTEM_PRIORITY_CLASS_PREFIX,
} from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';

/** IsKnownSystemPriorityClass: undefined when it is one, else why not. */
export function knownSystemPriorityClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.metadata.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if ((spc.globalDefault ?? false) !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${spc.globalDefault ?? false}`;
  return undefined;
}

/** ValidatePreemptionPolicy (core validation). */
export function validatePreemptionPolicy(policy: string, p: FieldPath | string): FieldError[] {
  if (policy === 'PreemptLowerPriority' || policy === 'Never') return [];
  if (policy === '') return [fieldErrors.required(p, '')];
  return [fieldErrors.notSupported(p, policy, ['PreemptLowerPriority', 'Never'])];
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const name = pc.metadata.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = knownSystemPriorityClassError(name, pc.value ?? 0, pc.globalDefault ?? false);
    if (why) {
      errs.push(
        fieldErrors.forbidden(
          new FieldPath('metadata').child('name'),
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`,
        ),
      );
    }
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(fieldErrors.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== null) errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs = validateObjectMetaUpdate(pc.metadata, old.metadata);
  if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}
