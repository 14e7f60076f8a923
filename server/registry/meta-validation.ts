// ObjectMeta and the small generic rules every strategy uses, as upstream's
// k8s.io/apimachinery/pkg/api/validation (objectmeta.go, generic.go),
// .../apis/meta/v1/validation (labels, selectors) and pkg/apis/core/validation's
// finalizer rule. Pure: every function returns FieldError[] and never throws.
import type { LabelSelector, ObjectMeta, OwnerReference } from '../../api/index.js';
import {
  type FieldError,
  FieldPath,
  fieldErrors,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../../machinery/index.js';
import { semanticEqual } from './semantic-equal.js';

type PathLike = FieldPath | string;
const path = (p: PathLike): FieldPath => (typeof p === 'string' ? new FieldPath(p) : p);

/** Upstream's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';
/** TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
const IS_NEGATIVE = 'must be greater than or equal to 0';

/**
 * A name rule (upstream ValidateNameFunc): the messages for a bad name; `prefix` is true
 * when the value is a generateName prefix, which may end in a dash.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** maskTrailingDash: a generateName prefix may end in '-' (upstream replaces the tail). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** NameIsDNSSubdomain: most resources (Jobs, Pods, ConfigMaps, Secrets, Nodes, PVCs). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** NameIsDNSLabel: Namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** ValidatePathSegmentName: the rule every name must meet to sit in a URL (core/v1 Events use only this). */
export const validatePathSegmentName: NameValidator = (name, prefix) => {
  if (!prefix) {
    for (const bad of ['.', '..']) if (name === bad) return [`may not be '${bad}'`];
  }
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

/** ValidateNonnegativeField. */
export function validateNonnegativeField(value: number, p: PathLike): FieldError[] {
  return value < 0 ? [fieldErrors.invalid(path(p), value, IS_NEGATIVE)] : [];
}

/** ValidateImmutableField: semantic equality, the new value echoed in the error. */
export function validateImmutableField(newValue: unknown, oldValue: unknown, p: PathLike): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [fieldErrors.invalid(path(p), newValue ?? null, FIELD_IMMUTABLE)];
}

/** ValidateDNS1123Label: one error per message. */
export function validateDNS1123Label(value: string, p: PathLike): FieldError[] {
  return isDNS1123Label(value).map((m) => fieldErrors.invalid(path(p), value, m));
}

/** ValidateDNS1123Subdomain. */
export function validateDNS1123Subdomain(value: string, p: PathLike): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => fieldErrors.invalid(path(p), value, m));
}

/** ValidateQualifiedName. */
export function validateQualifiedName(value: string, p: PathLike): FieldError[] {
  return isQualifiedName(value).map((m) => fieldErrors.invalid(path(p), value, m));
}

/** metav1 ValidateLabels: keys are qualified names, values label values; the path is the map's. */
export function validateLabels(labels: Record<string, string> | undefined | null, p: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateQualifiedName(k, p));
    if (typeof v !== 'string') {
      errs.push(fieldErrors.invalid(path(p), v, 'must be a string'));
      continue;
    }
    for (const m of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path(p), v, m));
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, p: PathLike): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path(p), k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldErrors.tooLong(path(p), TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** metav1 ValidateLabelSelector: matchLabels as labels, each expression's operator and values. */
export function validateLabelSelector(selector: LabelSelector | undefined | null, p: PathLike): FieldError[] {
  if (!selector) return [];
  const base = path(p);
  const errs = validateLabels(selector.matchLabels, base.child('matchLabels'));
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const ep = base.child('matchExpressions').index(i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(ep.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(ep.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.invalid(ep.child('operator'), expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateQualifiedName(expr.key ?? '', ep.child('key')));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(fieldErrors.invalid(ep.child('values').index(j), v, m));
    });
  });
  return errs;
}

/** BannedOwners: v1 Events may not own anything. */
function validateOwnerReference(ref: OwnerReference, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = ref.apiVersion ?? '';
  const slash = apiVersion.lastIndexOf('/');
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  if (!version) errs.push(fieldErrors.invalid(p.child('apiVersion'), apiVersion, 'version must not be empty'));
  if (!ref.kind) errs.push(fieldErrors.invalid(p.child('kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(fieldErrors.invalid(p.child('name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(fieldErrors.invalid(p.child('uid'), ref.uid ?? '', 'must not be empty'));
  if (group === '' && version === 'v1' && ref.kind === 'Event') {
    errs.push(fieldErrors.invalid(p, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

/** ValidateOwnerReferences: each reference complete, at most one controller. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, p: PathLike): FieldError[] {
  const base = path(p);
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, base));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          fieldErrors.invalid(
            base,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateKubeFinalizerName: an unqualified finalizer must be one of the standard ones. */
export function validateKubeFinalizerName(finalizer: string, p: PathLike): FieldError[] {
  if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
    return [fieldErrors.invalid(path(p), finalizer, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** ValidateFinalizers (+ core's standard-name rule per index): qualified names, not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined, p: PathLike): FieldError[] {
  const base = path(p);
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) errs.push(...validateQualifiedName(f, base));
  const list = finalizers ?? [];
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(fieldErrors.invalid(base, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  list.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, base.index(i))));
  return errs;
}

export interface ObjectMetaRules {
  /** Namespaced resources need metadata.namespace; cluster-scoped ones may not have one. */
  namespaced: boolean;
  /** The resource's name rule. */
  nameFn: NameValidator;
}

/**
 * ValidateObjectMeta (create): name or generateName per the resource's rule, namespace
 * presence and form, generation, labels, annotations (256 KiB), ownerReferences, finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, rules: ObjectMetaRules, p: PathLike = 'metadata'): FieldError[] {
  const base = path(p);
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of rules.nameFn(m.generateName, true)) errs.push(fieldErrors.invalid(base.child('generateName'), m.generateName, msg));
  }
  if (!m.name) {
    errs.push(fieldErrors.required(base.child('name'), 'name or generateName is required'));
  } else {
    for (const msg of rules.nameFn(m.name, false)) errs.push(fieldErrors.invalid(base.child('name'), m.name, msg));
  }
  if (rules.namespaced) {
    if (!m.namespace) errs.push(fieldErrors.required(base.child('namespace')));
    else for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(fieldErrors.invalid(base.child('namespace'), m.namespace, msg));
  } else if (m.namespace) {
    errs.push(fieldErrors.forbidden(base.child('namespace'), 'not allowed on this type'));
  }
  if (m.generation !== undefined) errs.push(...validateNonnegativeField(m.generation, base.child('generation')));
  errs.push(...validateLabels(m.labels, base.child('labels')));
  errs.push(...validateAnnotations(m.annotations, base.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, base.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, base.child('finalizers')));
  return errs;
}

/**
 * ValidateObjectMetaUpdate: name, namespace, uid, creationTimestamp, deletionTimestamp and
 * deletionGracePeriodSeconds are immutable; generation may not go down; no new finalizers
 * once deletion started; labels, annotations and ownerReferences valid.
 * metadata.resourceVersion is the registry's business (conflicts, unconditional updates).
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, p: PathLike = 'metadata'): FieldError[] {
  const base = path(p);
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = [...new Set(m.finalizers ?? [])].filter((f) => !(o.finalizers ?? []).includes(f)).sort();
    if (added.length) {
      errs.push(
        fieldErrors.forbidden(
          base.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(fieldErrors.invalid(base.child('generation'), m.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(m.name, o.name, base.child('name')));
  errs.push(...validateImmutableField(m.namespace, o.namespace, base.child('namespace')));
  errs.push(...validateImmutableField(m.uid, o.uid, base.child('uid')));
  errs.push(...validateImmutableField(m.creationTimestamp, o.creationTimestamp, base.child('creationTimestamp')));
  errs.push(...validateImmutableField(m.deletionTimestamp, o.deletionTimestamp, base.child('deletionTimestamp')));
  errs.push(...validateImmutableField(m.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, base.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(m.labels, base.child('labels')));
  errs.push(...validateAnnotations(m.annotations, base.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, base.child('ownerReferences')));
  return errs;
}
