// policy/v1 poddisruptionbudgets: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import { intOrStringText, translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { podDisruptionBudgetStatusStrategy, podDisruptionBudgetStrategy } from './strategy.js';
import type { PodDisruptionBudgetObject } from './types.js';

export type { PodDisruptionBudgetObject } from './types.js';
export { validatePodDisruptionBudget, validatePodDisruptionBudgetStatusUpdate } from './validation.js';

/** kubectl get pdb: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (printPodDisruptionBudget). */
export const podDisruptionBudgetTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    AGE_COLUMN,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pdb = obj as PodDisruptionBudgetObject;
    const text = (v: number | string | undefined) => (v === undefined || v === null ? 'N/A' : intOrStringText(v));
    return [
      pdb.metadata.name,
      text(pdb.spec?.minAvailable),
      text(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      translateTimestampSince(pdb.metadata.creationTimestamp, now),
    ];
  },
};

export const podDisruptionBudgets: ResourceDefinition<PodDisruptionBudgetObject> = {
  names: {
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    listKind: 'PodDisruptionBudgetList',
    namespaced: true,
    shortNames: ['pdb'],
  },
  strategy: podDisruptionBudgetStrategy,
  status: podDisruptionBudgetStatusStrategy,
  table: podDisruptionBudgetTable,
  schema: { type: 'ref', ref: 'io.k8s.api.policy.v1.PodDisruptionBudget' },
};
