// scheduling.k8s.io/v1 priorityclasses: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { type PriorityClassObject, priorityClassStrategy } from './strategy.js';

export type { PriorityClassObject } from './strategy.js';
export { validatePriorityClass, validatePriorityClassUpdate, validatePreemptionPolicy } from './validation.js';

/** kubectl get priorityclasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY (printPriorityClass). */
export const priorityClassTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Value', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.', { type: 'integer' }),
    column('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', { type: 'boolean' }),
    AGE_COLUMN,
    column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pc = obj as unknown as PriorityClassObject;
    return [pc.metadata.name, pc.value ?? 0, pc.globalDefault ?? false, translateTimestampSince(pc.metadata.creationTimestamp, now), pc.preemptionPolicy ?? ''];
  },
};

export const priorityClasses: ResourceDefinition<PriorityClassObject> = {
  names: {
    group: 'scheduling.k8s.io',
    version: 'v1',
    resource: 'priorityclasses',
    singular: 'priorityclass',
    kind: 'PriorityClass',
    listKind: 'PriorityClassList',
    namespaced: false,
    shortNames: ['pc'],
  },
  strategy: priorityClassStrategy,
  table: priorityClassTable,
  schema: { type: 'ref', ref: 'io.k8s.api.scheduling.v1.PriorityClass' },
};
