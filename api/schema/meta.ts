// k8s.io/apimachinery meta/v1 definitions: ObjectMeta, owner references, selectors, lists, Status, DeleteOptions.
// Field lists follow upstream (Kubernetes 1.34); patch tags from upstream's types.go; descriptions are ours.
import { META, any, asMessage, bool, int32, int64, keepZero, list, map, object, ref, str, time } from './builders.js';
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
    {
      description: 'Metadata every persisted resource has: name, namespace, labels, annotations, owners.',
      proto: {
        name: 1, generateName: 2, namespace: 3, selfLink: 4, uid: 5, resourceVersion: 6, generation: 7,
        creationTimestamp: 8, deletionTimestamp: 9, deletionGracePeriodSeconds: keepZero(10), labels: 11,
        annotations: 12, ownerReferences: 13, finalizers: 14, managedFields: 17,
      },
    },
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
    { proto: { manager: 1, operation: 2, apiVersion: 3, time: 4, fieldsType: 6, fieldsV1: asMessage(7, 'FieldsV1'), subresource: 8 } },
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
    {
      required: ['apiVersion', 'kind', 'name', 'uid'],
      description: 'Identifies an owning object; the owner must be in the same namespace or cluster-scoped.',
      proto: {
        apiVersion: keepZero(5), kind: keepZero(1), name: keepZero(3), uid: keepZero(4), controller: keepZero(6),
        blockOwnerDeletion: keepZero(7),
      },
    },
  ),
  [META + 'LabelSelector']: object(
    {
      matchExpressions: list(ref(META + 'LabelSelectorRequirement'), { listType: 'atomic' }, 'Label selector requirements, ANDed.'),
      matchLabels: map(str(), 'Each {key,value} pair equals a matchExpressions entry with operator In.'),
    },
    {
      description: 'A label query; matchLabels and matchExpressions are ANDed. Empty matches everything.',
      proto: {
        matchLabels: 1, matchExpressions: 2,
      },
    },
  ),
  [META + 'LabelSelectorRequirement']: object(
    {
      key: str(),
      operator: str(),
      values: list(str(), { listType: 'atomic' }),
    },
    { required: ['key', 'operator'], proto: { key: keepZero(1), operator: keepZero(2), values: 3 } },
  ),
  [META + 'FieldSelectorRequirement']: object(
    {
      key: str('The field selector key the requirement applies to.'),
      operator: str("The key's relationship to the values: In, NotIn, Exists or DoesNotExist (the list may grow)."),
      values: list(str(), { listType: 'atomic' }, 'Values for In and NotIn; empty for Exists and DoesNotExist.'),
    },
    {
      required: ['key', 'operator'],
      description: 'A field selector requirement: a key, an operator and values.',
      proto: { key: keepZero(1), operator: keepZero(2), values: 3 },
    },
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
    {
      description: 'The result of an operation that returns no object, such as a failure or a delete.',
      proto: {
        metadata: 1, status: 2, message: 3, reason: 4, details: 5, code: 6,
      },
    },
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
    { proto: { name: 1, group: 2, kind: 3, uid: 6, causes: 4, retryAfterSeconds: 5 } },
  ),
  [META + 'StatusCause']: object(
    {
      field: str(),
      message: str(),
      reason: str(),
    },
    { proto: { reason: 1, message: 2, field: 3 } },
  ),
  [META + 'ListMeta']: object(
    {
      continue: str(),
      remainingItemCount: int64(),
      resourceVersion: str(),
      selfLink: str(),
    },
    {
      description: 'Metadata of a list: resourceVersion and continue token.',
      proto: {
        selfLink: 1, resourceVersion: 2, continue: 3, remainingItemCount: keepZero(4),
      },
    },
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
    {
      description: 'Options for a delete request.',
      proto: {
        gracePeriodSeconds: keepZero(1), preconditions: 2, orphanDependents: keepZero(3),
        propagationPolicy: keepZero(4), dryRun: 5, ignoreStoreReadErrorWithClusterBreakingPotential: keepZero(6),
      },
    },
  ),
  [META + 'Preconditions']: object(
    {
      resourceVersion: str(),
      uid: str(),
    },
    { proto: { uid: keepZero(1), resourceVersion: keepZero(2) } },
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
    {
      required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
      description: 'One resource served by a group-version.',
      proto: {
        name: keepZero(1), singularName: keepZero(6), namespaced: keepZero(2), group: 8, version: 9,
        kind: keepZero(3), verbs: asMessage(4, 'Verbs'), shortNames: 5, categories: 7, storageVersionHash: 10,
      },
    },
  ),
  [META + 'APIResourceList']: object(
    {
      apiVersion: str(),
      groupVersion: str('The group-version, e.g. "batch/v1".'),
      kind: str(),
      resources: list(ref(META + 'APIResource'), { listType: 'atomic' }),
    },
    {
      required: ['groupVersion', 'resources'],
      description: 'The resources served by one group-version.',
      proto: {
        groupVersion: keepZero(1), resources: 2,
      },
    },
  ),
  [META + 'WatchEvent']: object(
    {
      object: any('The object: for ADDED, MODIFIED, DELETED its new or last state; for BOOKMARK only its resourceVersion; for ERROR a Status.'),
      type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    },
    { required: ['type', 'object'], description: 'One event of a watch stream.', proto: { type: keepZero(1), object: asMessage(2, 'RawExtension') } },
  ),
  [META + 'Patch']: object({}, { description: 'The body of a PATCH request; its format depends on the Content-Type.', proto: {} }),
};
