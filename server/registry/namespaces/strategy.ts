// The Namespace's rules (pkg/registry/core/namespace/strategy.go): names are DNS labels,
// spec.finalizers always holds "kubernetes" on create, the status is Active (Terminating
// only once deletion started), and the kubernetes.io/metadata.name label.
import type { KubeObject, ObjectMeta } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';
import type { ResourceStrategy, StatusStrategy, SubresourceUpdateStrategy } from '../resource.js';
import {
  nameIsDNSLabel,
  validateKubeFinalizerName,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateQualifiedName,
} from '../meta-validation.js';
import { keepAllButStatus } from '../status-subresource.js';

export interface NamespaceObject extends KubeObject {
  metadata: ObjectMeta;
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating'; conditions?: unknown[] };
}

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The finalizer the namespace controller removes once the namespace is empty. */
export const KUBERNETES_FINALIZER = 'kubernetes';

function setNameLabel(ns: NamespaceObject): void {
  if (!ns.metadata.name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.metadata.name };
}

/** ValidateNamespace: a DNS-label name, valid spec.finalizers. */
export function validateNamespace(ns: NamespaceObject): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameFn: nameIsDNSLabel });
  const fp = new FieldPath('spec').child('finalizers');
  for (const f of ns.spec?.finalizers ?? []) {
    errs.push(...validateQualifiedName(f, fp));
    errs.push(...validateKubeFinalizerName(f, fp));
  }
  return errs;
}

/** ValidateNamespaceStatusUpdate: Active unless a deletionTimestamp is set, then Terminating. */
export function validateNamespaceStatusUpdate(ns: NamespaceObject, old: NamespaceObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = ns.status?.phase ?? '';
  const path = new FieldPath('status').child('Phase');
  if (!ns.metadata.deletionTimestamp) {
    if (phase !== 'Active') errs.push(fieldErrors.invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    errs.push(fieldErrors.invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

export const namespaceStrategy: ResourceStrategy<NamespaceObject> = {
  defaults(ns) {
    setNameLabel(ns);
    const status = (ns.status ??= {});
    if (!status.phase) status.phase = 'Active';
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    const finalizers = spec.finalizers ?? [];
    if (!finalizers.includes(KUBERNETES_FINALIZER)) spec.finalizers = [...finalizers, KUBERNETES_FINALIZER];
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers changes only through the finalize subresource.
    ns.spec = { ...(ns.spec ?? {}), finalizers: old.spec?.finalizers };
    if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
    if (old.status === undefined) delete ns.status;
    else ns.status = structuredClone(old.status);
  },
  validate: validateNamespace,
  validateUpdate(ns, old) {
    return [...validateNamespace(ns), ...validateObjectMetaUpdate(ns.metadata, old.metadata)];
  },
  // The name label is set after generateName picked a name.
  canonicalize: setNameLabel,
  // Deleting a namespace makes it Terminating; the namespace controller empties it and then
  // clears spec.finalizers through the finalize subresource, which lets it go.
  beginDeletion(ns) {
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    return (ns.spec?.finalizers?.length ?? 0) > 0;
  },
  hasPendingFinalizers(ns) {
    return (ns.spec?.finalizers?.length ?? 0) > 0;
  },
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const namespaceStatusStrategy: StatusStrategy<NamespaceObject> = {
  prepareForUpdate(ns, old) {
    keepAllButStatus(ns, old);
  },
  validateUpdate: validateNamespaceStatusUpdate,
};

/**
 * namespaces/finalize: only spec.finalizers changes; everything else is kept from the stored
 * namespace, and the namespace's own update validation applies.
 */
export const namespaceFinalizeStrategy: SubresourceUpdateStrategy<NamespaceObject> = {
  prepareForUpdate(ns, old) {
    const finalizers = ns.spec?.finalizers;
    for (const key of Object.keys(ns)) delete ns[key];
    Object.assign(ns, structuredClone(old));
    ns.spec = { ...(ns.spec ?? {}), finalizers: finalizers ?? [] };
  },
  validateUpdate: (ns, old) => namespaceStrategy.validateUpdate(ns, old),
};
