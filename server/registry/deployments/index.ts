// apps/v1 deployments: served read-only and empty (jobyard runs batch workloads; see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { APPS } from '../../../api/schema/index.js';
import { BATCH_WORKLOADS_ONLY, CONTAINERS_COLUMN, IMAGES_COLUMN, type PodManagerObject, nameAndAge, readOnlyResource, templateCells } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

/** kubectl get deployments: NAME READY UP-TO-DATE AVAILABLE AGE (+ wide CONTAINERS IMAGES SELECTOR), printDeployment. */
export const deploymentTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const d = obj as PodManagerObject;
    const { name, age } = nameAndAge(d, now);
    const t = templateCells(d);
    const status = d.status ?? {};
    return [name, `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, status.updatedReplicas ?? 0, status.availableReplicas ?? 0, age, t.names, t.images, t.selector];
  },
};

export const deployments = readOnlyResource({
  names: {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  schema: { type: 'ref', ref: APPS + 'Deployment' },
  table: deploymentTable,
  why: BATCH_WORKLOADS_ONLY,
});
