// apps/v1 daemonsets: served read-only and empty (jobyard runs batch workloads; see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { APPS } from '../../../api/schema/index.js';
import { BATCH_WORKLOADS_ONLY, CONTAINERS_COLUMN, IMAGES_COLUMN, type PodManagerObject, formatLabels, nameAndAge, readOnlyResource, templateCells } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

/** kubectl get daemonsets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE (+ wide), printDaemonSet. */
export const daemonSetTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
    column('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
    column('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'A label query over pods that are managed by the daemon set.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ds = obj as PodManagerObject;
    const { name, age } = nameAndAge(ds, now);
    const t = templateCells(ds);
    const s = ds.status ?? {};
    const nodeSelector = formatLabels(ds.spec?.template?.spec?.nodeSelector);
    return [name, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, nodeSelector, age, t.names, t.images, t.selector];
  },
};

export const daemonSets = readOnlyResource({
  names: {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
  },
  schema: { type: 'ref', ref: APPS + 'DaemonSet' },
  table: daemonSetTable,
  why: BATCH_WORKLOADS_ONLY,
});
