// k8s.io/apimachinery meta/v1 definitions: ObjectMeta, owner references, selectors, lists, Status, DeleteOptions.
// Field lists follow upstream (Kubernetes 1.34); patch tags from upstream's types.go; descriptions are ours.
import { META, any, bool, int32, int64, list, map, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

export const metaDefinitions: Definitions = {
  [META + 'ObjectMeta']: object(
    {
      annotations: map(str(), 'Unstructured key/value data stored with the object, not used for selection.'),
      creationTimestamp: time('When the object was created (RFC 3339, UTC). Read-only.'),
      deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination once deletion was requested. Read-only.'),
      deletionTimestamp: time('When the object will be deleted; set by the server when deletion is requested. Read-only.'),
      finalizers: list(str(), { patchStrategy: 'merge', listType: 'set' }, 'Conditions that must be cleared before the object is removed from storage.'),
      generateName: str('Prefix the server uses to generate a unique name when name is empty.'),
      generation: int64('Sequence number of the desired state; incremented on spec changes. Read-only.'),
      labels: map(str(), 'Key/value pairs used to organize and select objects.'),
      managedFields: list(ref(META + 'ManagedFieldsEntry'), { listType: 'atomic' }, 'Which field manager owns which fields (server-side apply bookkeeping).'),
      name: str('Unique name within a namespace; required on create unless generateName is set. Cannot be updated.'),
      namespace: str('The namespace the object lives in; empty for cluster-scoped objects.'),
      ownerReferences: list(ref(META + 'OwnerReference'), { mergeKey: 'uid', patchStrategy: 'merge', listType: 'map', listMapKeys: ['uid'] }, 'Objects this object depends on; it is garbage-collected once all owners are gone.'),
      resourceVersion: str('Opaque version of this object, for optimistic concurrency and watches. Read-only.'),
      selfLink: str('Deprecated and not set by the server.'),
      uid: str('Unique identifier assigned by the server on creation. Read-only.'),
    },
    { description: 'Metadata every persisted resource has: name, namespace, labels, annotations, owners.' },
  ),
  [META + 'ManagedFieldsEntry']: object(
    {
      apiVersion: str(),
      fieldsType: str(),
      fieldsV1: any(),
      manager: str(),
      operation: str(),
      subresource: str(),
      time: time(),
    },
  ),
  [META + 'OwnerReference']: object(
    {
      apiVersion: str(),
      blockOwnerDeletion: bool('Whether foreground deletion of the owner waits for this object.'),
      controller: bool('Whether this owner is the managing controller. At most one owner may be.'),
      kind: str(),
      name: str(),
      uid: str(),
    },
    { required: ['apiVersion', 'kind', 'name', 'uid'], description: 'Identifies an owning object; the owner must be in the same namespace or cluster-scoped.' },
  ),
  [META + 'LabelSelector']: object(
    {
      matchExpressions: list(ref(META + 'LabelSelectorRequirement'), { listType: 'atomic' }, 'Label selector requirements, ANDed.'),
      matchLabels: map(str(), 'Each {key,value} pair equals a matchExpressions entry with operator In.'),
    },
    { description: 'A label query; matchLabels and matchExpressions are ANDed. Empty matches everything.' },
  ),
  [META + 'LabelSelectorRequirement']: object(
    {
      key: str(),
      operator: str(),
      values: list(str(), { listType: 'atomic' }),
    },
    { required: ['key', 'operator'] },
  ),
  [META + 'Status']: object(
    {
      apiVersion: str(),
      code: int32(),
      details: ref(META + 'StatusDetails'),
      kind: str(),
      message: str(),
      metadata: ref(META + 'ListMeta'),
      reason: str(),
      status: str(),
    },
    { description: 'The result of an operation that returns no object, such as a failure or a delete.' },
  ),
  [META + 'StatusDetails']: object(
    {
      causes: list(ref(META + 'StatusCause'), { listType: 'atomic' }),
      group: str(),
      kind: str(),
      name: str(),
      retryAfterSeconds: int32(),
      uid: str(),
    },
  ),
  [META + 'StatusCause']: object(
    {
      field: str(),
      message: str(),
      reason: str(),
    },
  ),
  [META + 'ListMeta']: object(
    {
      continue: str(),
      remainingItemCount: int64(),
      resourceVersion: str(),
      selfLink: str(),
    },
    { description: 'Metadata of a list: resourceVersion and continue token.' },
  ),
  [META + 'DeleteOptions']: object(
    {
      apiVersion: str(),
      dryRun: list(str(), { listType: 'atomic' }),
      gracePeriodSeconds: int64('Seconds before the object is deleted; 0 deletes immediately.'),
      ignoreStoreReadErrorWithClusterBreakingPotential: bool(),
      kind: str(),
      orphanDependents: bool(),
      preconditions: ref(META + 'Preconditions'),
      propagationPolicy: str('Orphan, Background or Foreground garbage collection of dependents.'),
    },
    { description: 'Options for a delete request.' },
  ),
  [META + 'Preconditions']: object(
    {
      resourceVersion: str(),
      uid: str(),
    },
  ),
  [META + 'APIResource']: object(
    {
      categories: list(str(), { listType: 'atomic' }),
      group: str(),
      kind: str('The kind of the resource, e.g. "Job".'),
      name: str('The plural name of the resource, e.g. "jobs".'),
      namespaced: bool('Whether the resource lives in namespaces.'),
      shortNames: list(str(), { listType: 'atomic' }),
      singularName: str(),
      storageVersionHash: str(),
      verbs: list(str(), undefined, 'Supported verbs: get, list, watch, create, update, patch, delete, deletecollection.'),
      version: str(),
    },
    { required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'], description: 'One resource served by a group-version.' },
  ),
  [META + 'APIResourceList']: object(
    {
      apiVersion: str(),
      groupVersion: str('The group-version, e.g. "batch/v1".'),
      kind: str(),
      resources: list(ref(META + 'APIResource'), { listType: 'atomic' }),
    },
    { required: ['groupVersion', 'resources'], description: 'The resources served by one group-version.' },
  ),
  [META + 'WatchEvent']: object(
    {
      object: any('The object: for ADDED, MODIFIED, DELETED its new or last state; for BOOKMARK only its resourceVersion; for ERROR a Status.'),
      type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    },
    { required: ['type', 'object'], description: 'One event of a watch stream.' },
  ),
  [META + 'Patch']: object({}, { description: 'The body of a PATCH request; its format depends on the Content-Type.' }),
};
