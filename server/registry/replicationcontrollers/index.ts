// core/v1 replicationcontrollers: served read-only and empty (jobyard runs batch workloads; see ReadOnly).
import type { Container, KubeObject } from '../../../api/index.js';
import { CORE } from '../../../api/schema/index.js';
import { BATCH_WORKLOADS_ONLY, CONTAINERS_COLUMN, IMAGES_COLUMN, formatLabels, nameAndAge, readOnlyResource, statusReplicasField } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column, layoutContainerCells } from '../table.js';

/** A ReplicationController's selector is a plain map, not a LabelSelector. */
interface ReplicationControllerObject extends KubeObject {
  spec?: { replicas?: number; selector?: Record<string, string>; template?: { spec?: { containers?: Container[] } } };
  status?: { replicas?: number; readyReplicas?: number };
}

/** kubectl get replicationcontrollers: NAME DESIRED CURRENT READY AGE (+ wide CONTAINERS IMAGES SELECTOR), printReplicationController. */
export const replicationControllerTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'Selector is a label query over pods that should match the Replicas count.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const rc = obj as ReplicationControllerObject;
    const { name, age } = nameAndAge(rc, now);
    const { names, images } = layoutContainerCells(rc.spec?.template?.spec?.containers);
    return [name, rc.spec?.replicas ?? 1, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, age, names, images, formatLabels(rc.spec?.selector)];
  },
};

export const replicationControllers = readOnlyResource({
  names: {
    group: '',
    version: 'v1',
    resource: 'replicationcontrollers',
    singular: 'replicationcontroller',
    kind: 'ReplicationController',
    listKind: 'ReplicationControllerList',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
  },
  schema: { type: 'ref', ref: CORE + 'ReplicationController' },
  table: replicationControllerTable,
  selectableFields: statusReplicasField,
  why: BATCH_WORKLOADS_ONLY,
});
