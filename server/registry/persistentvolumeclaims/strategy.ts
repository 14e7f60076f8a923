// The PersistentVolumeClaim's rules (pkg/registry/core/persistentvolumeclaim/strategy.go,
// ValidatePersistentVolumeClaim[Update]): access modes and a storage request are required,
// the spec is immutable after creation but for binding and resizing a bound claim.
import type { KubeObject, LabelSelector, ObjectMeta } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, parseQuantity, compareQuantities, QUANTITY_FORMAT_ERROR } from '../../../machinery/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import {
  nameIsDNSSubdomain,
  validateImmutableField,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../meta-validation.js';
import { semanticDiffPaths, semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';

export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  selector?: LabelSelector;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
  volumeAttributesClassName?: string;
  dataSource?: unknown;
  dataSourceRef?: unknown;
}

export interface PersistentVolumeClaimObject extends KubeObject {
  metadata: ObjectMeta;
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; accessModes?: string[]; capacity?: Record<string, string>; conditions?: unknown[] };
}

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaimObject): FieldError[] {
  const errs = validateObjectMeta(pvc.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validatePersistentVolumeClaimSpec(pvc.spec ?? {}, new FieldPath('spec')));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec: also a generic ephemeral volume's volumeClaimTemplate.spec. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(fieldErrors.required(p.child('accessModes'), 'at least 1 access mode is required'));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, p.child('selector')));
  let rwop = false;
  let other = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) errs.push(fieldErrors.notSupported(p.child('accessModes'), mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(fieldErrors.forbidden(p.child('accessModes'), 'may not use ReadWriteOncePod with other access modes'));
  // Upstream's path really is spec.resources[storage].
  const storagePath = p.child('resources').key('storage');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined || storage === null) errs.push(fieldErrors.required(storagePath));
  else {
    try {
      if (compareQuantities(parseQuantity(String(storage)), '0') <= 0) errs.push(fieldErrors.invalid(storagePath, String(storage), 'must be greater than zero'));
    } catch {
      errs.push(fieldErrors.invalid(storagePath, storage, QUANTITY_FORMAT_ERROR));
    }
  }
  if (spec.storageClassName) {
    for (const m of nameIsDNSSubdomain(spec.storageClassName, false)) errs.push(fieldErrors.invalid(p.child('storageClassName'), spec.storageClassName, m));
  }
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(fieldErrors.notSupported(p.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  return errs;
}

function storageOf(list: Record<string, string> | undefined): string | undefined {
  return list?.storage;
}

export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaimObject, old: PersistentVolumeClaimObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pvc.metadata, old.metadata);
  errs.push(...validatePersistentVolumeClaim(pvc));
  const next = structuredClone(pvc.spec ?? {});
  const prev = structuredClone(old.spec ?? {});
  // The binder sets volumeName once.
  if (!prev.volumeName) prev.volumeName = next.volumeName;
  const bound = pvc.status?.phase === 'Bound';
  if (bound) {
    // A bound claim may be resized and change its VolumeAttributesClass.
    if (next.resources?.requests) next.resources.requests.storage = storageOf(prev.resources?.requests) as string;
    next.volumeAttributesClassName = prev.volumeAttributesClassName;
  }
  if (!semanticEqual(next, prev)) {
    const changed = semanticDiffPaths(prev, next).map((f) => `spec.${f}`);
    errs.push(fieldErrors.forbidden('spec', `${SPEC_IMMUTABLE}\n  changed: ${changed.join(', ')}`));
  }
  const newSize = storageOf(pvc.spec?.resources?.requests);
  const oldSize = storageOf(old.spec?.resources?.requests);
  if (newSize && oldSize) {
    try {
      if (compareQuantities(newSize, oldSize) < 0) {
        // RecoverVolumeExpansionFailure: shrinking is allowed down to (not to) status.capacity.
        const capacity = storageOf(old.status?.capacity) ?? '0';
        if (compareQuantities(newSize, capacity) <= 0) {
          errs.push(fieldErrors.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
        }
      }
    } catch {
      // Bad quantities are reported by validatePersistentVolumeClaim.
    }
  }
  errs.push(...validateImmutableField(pvc.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  return errs;
}

export const persistentVolumeClaimStrategy: ResourceStrategy<PersistentVolumeClaimObject> = {
  defaults(pvc) {
    if (pvc.spec && typeof pvc.spec === 'object' && !pvc.spec.volumeMode) pvc.spec.volumeMode = 'Filesystem';
    const status = (pvc.status ??= {});
    if (!status.phase) status.phase = 'Pending';
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' };
  },
  prepareForUpdate(pvc, old) {
    if (old.status === undefined) delete pvc.status;
    else pvc.status = structuredClone(old.status);
  },
  validate: validatePersistentVolumeClaim,
  validateUpdate: validatePersistentVolumeClaimUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const persistentVolumeClaimStatusStrategy: StatusStrategy<PersistentVolumeClaimObject> = {
  prepareForUpdate(pvc, old) {
    keepAllButStatus(pvc, old);
  },
  validateUpdate(pvc, old) {
    const errs = validateObjectMetaUpdate(pvc.metadata, old.metadata);
    const cp = new FieldPath('status').child('capacity');
    for (const [name, value] of Object.entries(pvc.status?.capacity ?? {})) {
      try {
        if (parseQuantity(String(value)).num < 0n) errs.push(fieldErrors.invalid(cp.key(name), String(value), 'must be greater than or equal to 0'));
      } catch {
        errs.push(fieldErrors.invalid(cp.key(name), value, QUANTITY_FORMAT_ERROR));
      }
    }
    return errs;
  },
};
