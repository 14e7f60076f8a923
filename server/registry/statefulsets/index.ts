// apps/v1 statefulsets: served read-only and empty (jobyard runs batch workloads; see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { APPS } from '../../../api/schema/index.js';
import { BATCH_WORKLOADS_ONLY, CONTAINERS_COLUMN, IMAGES_COLUMN, type PodManagerObject, nameAndAge, readOnlyResource, templateCells } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

/** kubectl get statefulsets: NAME READY AGE (+ wide CONTAINERS IMAGES), printStatefulSet. */
export const statefulSetTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Ready', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const sts = obj as PodManagerObject;
    const { name, age } = nameAndAge(sts, now);
    const t = templateCells(sts);
    return [name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`, age, t.names, t.images];
  },
};

export const statefulSets = readOnlyResource({
  names: {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    listKind: 'StatefulSetList',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
  },
  schema: { type: 'ref', ref: APPS + 'StatefulSet' },
  table: statefulSetTable,
  why: BATCH_WORKLOADS_ONLY,
});
