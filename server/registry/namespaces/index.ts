// core/v1 namespaces (cluster-scoped): the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { namespaceFinalizeStrategy, namespaceStatusStrategy, namespaceStrategy, type NamespaceObject } from './strategy.js';

export { KUBERNETES_FINALIZER, NAMESPACE_NAME_LABEL, type NamespaceObject } from './strategy.js';

/** kubectl get namespaces: NAME STATUS AGE. */
export const namespaceTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Status', 'The status of the namespace'), AGE_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ns = obj as NamespaceObject;
    return [ns.metadata.name, ns.status?.phase ?? '', translateTimestampSince(ns.metadata.creationTimestamp, now)];
  },
};

export const namespaces: ResourceDefinition<NamespaceObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
  },
  strategy: namespaceStrategy,
  status: namespaceStatusStrategy,
  // "name" is an upstream bug kept for compatibility.
  selectableFields: (obj) => ({ 'status.phase': String((obj as NamespaceObject).status?.phase ?? ''), name: obj.metadata.name ?? '' }),
  table: namespaceTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Namespace' },
  // The namespace controller empties spec.finalizers through it (discovery lists update only).
  subresources: [{ name: 'finalize', verbs: ['update'], update: namespaceFinalizeStrategy }],
  // No deletecollection for namespaces, as upstream.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
};
