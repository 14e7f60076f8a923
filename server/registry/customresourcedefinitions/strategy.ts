// The CustomResourceDefinition's rules (upstream pkg/registry/customresourcedefinition and the
// v1 defaults): singular and listKind from kind, conversion None; status cleared on create
// (the storage version recorded in storedVersions) and kept on update; generation bumps on
// spec changes; the cleanup finalizer, which the CRD controller removes once every custom
// resource of the definition is gone.
import type { CustomResourceDefinition } from '../../../api/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { validateCRD, validateCRDStatusUpdate, validateCRDUpdate } from './validation.js';

/** Upstream's CustomResourceCleanupFinalizer. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** SetDefaults_CustomResourceDefinitionSpec. */
export function setCRDDefaults(crd: CustomResourceDefinition): void {
  const spec = crd.spec;
  if (!spec || typeof spec !== 'object') return;
  const names = spec.names;
  if (names?.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

/** Adds the storage version to status.storedVersions (upstream's strategy on create and update). */
function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = crd.spec?.versions?.find((v) => v.storage)?.name;
  if (!storage) return;
  const status = (crd.status ??= {});
  const stored = (status.storedVersions ??= []);
  if (!stored.includes(storage)) stored.push(storage);
}

export const crdStrategy: ResourceStrategy<CustomResourceDefinition> = {
  defaults: setCRDDefaults,
  prepareForCreate(crd) {
    crd.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
    crd.metadata.generation = 1;
    recordStorageVersion(crd);
    const finalizers = (crd.metadata.finalizers ??= []);
    if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) finalizers.push(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
  },
  prepareForUpdate(crd, old) {
    if (old.status === undefined) delete crd.status;
    else crd.status = structuredClone(old.status);
    if (!semanticEqual(crd.spec, old.spec)) crd.metadata.generation = (old.metadata.generation ?? 0) + 1;
    recordStorageVersion(crd);
  },
  validate: validateCRD,
  validateUpdate: validateCRDUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
};

export const crdStatusStrategy: StatusStrategy<CustomResourceDefinition> = {
  prepareForUpdate(crd, old) {
    keepAllButStatus(crd, old);
  },
  validateUpdate: validateCRDStatusUpdate,
};
