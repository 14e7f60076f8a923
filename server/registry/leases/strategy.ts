// The Lease's rules (pkg/registry/coordination/lease/strategy.go, validation ValidateLease):
// a DNS-subdomain name, a positive duration and non-negative transitions; no status.
import type { KubeObject, LeaseSpec, ObjectMeta } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import type { ResourceStrategy } from '../resource.js';
import { nameIsDNSSubdomain, validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';

export interface LeaseObject extends KubeObject {
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}

/** ValidateLeaseSpec: leaseDurationSeconds > 0, leaseTransitions >= 0, preferredHolder needs a strategy. */
export function validateLeaseSpec(lease: LeaseObject): FieldError[] {
  const spec = lease.spec ?? {};
  const p = new FieldPath('spec');
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldErrors.invalid(p.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null) errs.push(...validateNonnegativeField(spec.leaseTransitions, p.child('leaseTransitions')));
  if (spec.preferredHolder && !spec.strategy) errs.push(fieldErrors.forbidden(p.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  return errs;
}

export const leaseStrategy: ResourceStrategy<LeaseObject> = {
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: (lease) => [...validateObjectMeta(lease.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateLeaseSpec(lease)],
  validateUpdate: (lease, old) => [...validateObjectMetaUpdate(lease.metadata, old.metadata), ...validateLeaseSpec(lease)],
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: false,
};
