// apps/v1 replicasets: served read-only and empty (jobyard runs batch workloads; see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { APPS } from '../../../api/schema/index.js';
import { BATCH_WORKLOADS_ONLY, CONTAINERS_COLUMN, IMAGES_COLUMN, type PodManagerObject, nameAndAge, readOnlyResource, statusReplicasField, templateCells } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

/** kubectl get replicasets: NAME DESIRED CURRENT READY AGE (+ wide CONTAINERS IMAGES SELECTOR), printReplicaSet. */
export const replicaSetTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of non-terminating pods.', { type: 'integer' }),
    column('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'Selector is a label query over pods that should match the replica count.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const rs = obj as PodManagerObject;
    const { name, age } = nameAndAge(rs, now);
    const t = templateCells(rs);
    return [name, rs.spec?.replicas ?? 1, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age, t.names, t.images, t.selector];
  },
};

export const replicaSets = readOnlyResource({
  names: {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    listKind: 'ReplicaSetList',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
  },
  schema: { type: 'ref', ref: APPS + 'ReplicaSet' },
  table: replicaSetTable,
  selectableFields: statusReplicasField,
  why: BATCH_WORKLOADS_ONLY,
});
