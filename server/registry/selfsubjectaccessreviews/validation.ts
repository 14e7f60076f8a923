// ValidateSelfSubjectAccessReview (upstream pkg/apis/authorization/validation, Kubernetes
// 1.31-1.34): exactly one of resourceAttributes and nonResourceAttributes, well-formed
// selector limits, and empty metadata (a review is never stored, so it has no name).
import type {
  FieldSelectorRequirement,
  LabelSelectorRequirement,
  ObjectMeta,
  ResourceAttributes,
  SelfSubjectAccessReview,
} from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isValidLabelValue } from '../../../machinery/index.js';
import { validateQualifiedName } from '../meta-validation.js';

/** What the validation reads: the wire type, metadata possibly absent on a hand-built object. */
export type SelfSubjectAccessReviewObject = SelfSubjectAccessReview & { metadata: ObjectMeta };

/** Go's zero value: what an empty ObjectMeta holds after decoding (protobuf sends creationTimestamp as an empty Time). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(isZero);
  return false;
}

export function validateSelfSubjectAccessReview(review: SelfSubjectAccessReviewObject): FieldError[] {
  const errs = validateSelfSubjectAccessReviewSpec(review.spec ?? {}, FieldPath.root('spec'));
  // managedFields are the field manager's, not the client's: upstream clears them first.
  const { managedFields: _managed, ...meta } = review.metadata ?? {};
  if (!isZero(meta)) errs.push(fieldErrors.invalid('metadata', review.metadata, 'must be empty'));
  return errs;
}

export function validateSelfSubjectAccessReviewSpec(spec: SelfSubjectAccessReview['spec'], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const { resourceAttributes, nonResourceAttributes } = spec;
  if (resourceAttributes && nonResourceAttributes) {
    errs.push(fieldErrors.invalid(p.child('nonResourceAttributes'), nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!resourceAttributes && !nonResourceAttributes) {
    errs.push(fieldErrors.invalid(p.child('resourceAttributes'), null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  errs.push(...validateResourceAttributes(resourceAttributes, p.child('resourceAttributes')));
  return errs;
}

function validateResourceAttributes(attributes: ResourceAttributes | undefined, p: FieldPath): FieldError[] {
  if (!attributes) return [];
  return [
    ...validateSelectorAttributes(attributes.fieldSelector, p.child('fieldSelector'), validateFieldSelectorRequirement),
    ...validateSelectorAttributes(attributes.labelSelector, p.child('labelSelector'), validateLabelSelectorRequirement),
  ];
}

function validateSelectorAttributes<R>(
  selector: { rawSelector?: string; requirements?: R[] } | undefined,
  p: FieldPath,
  validateRequirement: (r: R, p: FieldPath) => FieldError[],
): FieldError[] {
  if (!selector) return [];
  const errs: FieldError[] = [];
  const raw = selector.rawSelector ?? '';
  const requirements = selector.requirements ?? [];
  if (raw.length > 0 && requirements.length > 0) {
    errs.push(fieldErrors.invalid(p.child('rawSelector'), raw, 'may not specified at the same time as requirements'));
  }
  if (raw.length === 0 && requirements.length === 0) {
    errs.push(fieldErrors.required(p.child('requirements'), `when ${p.toString()} is specified, requirements or rawSelector is required`));
  }
  requirements.forEach((r, i) => errs.push(...validateRequirement(r, p.child('requirements').index(i))));
  return errs;
}

// Both requirement kinds are validated with AllowUnknownOperatorInRequirement: a newer client
// may know operators this server does not, and a limit it cannot read only narrows the question.

/** metav1 ValidateLabelSelectorRequirement: values by operator, a qualified-name key, label values. */
function validateLabelSelectorRequirement(r: LabelSelectorRequirement, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  const operator: string = r.operator;
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    errs.push(fieldErrors.required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    errs.push(fieldErrors.forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  }
  errs.push(...validateQualifiedName(r.key ?? '', p.child('key')));
  values.forEach((v, i) => {
    for (const m of isValidLabelValue(v)) errs.push(fieldErrors.invalid(p.child('values').index(i), v, m));
  });
  return errs;
}

/** metav1 ValidateFieldSelectorRequirement: a key, and values by operator. */
function validateFieldSelectorRequirement(r: FieldSelectorRequirement, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  if (!r.key) errs.push(fieldErrors.required(p.child('key'), 'must be specified'));
  if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) {
    errs.push(fieldErrors.required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) {
    errs.push(fieldErrors.forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  }
  return errs;
}
