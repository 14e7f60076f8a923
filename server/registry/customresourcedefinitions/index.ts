// apiextensions.k8s.io/v1 customresourcedefinitions (cluster-scoped): the ResourceDefinition
// the API server serves. What a CRD makes served (its custom resources) is the business of
// server/registry/customresources (the CRD controller and the dynamic definitions).
import type { CustomResourceDefinition } from '../../../api/index.js';
import { APIEXTENSIONS } from '../../../api/schema/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { NAME_COLUMN, column } from '../table.js';
import { crdStatusStrategy, crdStrategy } from './strategy.js';

export { CUSTOM_RESOURCE_CLEANUP_FINALIZER, setCRDDefaults } from './strategy.js';
export { validateCRD, withoutKubeFinalizerRule } from './validation.js';

/** Upstream serves CRDs with the default table: NAME and CREATED AT (the creation time itself). */
const crdTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp],
};

export const customResourceDefinitions: ResourceDefinition<CustomResourceDefinition> = {
  names: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  },
  strategy: crdStrategy,
  status: crdStatusStrategy,
  table: crdTable,
  schema: { type: 'ref', ref: APIEXTENSIONS + 'CustomResourceDefinition' },
};
