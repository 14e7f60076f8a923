import type { KubeObject, ObjectMeta, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from '../../../api/index.js';

export interface PodDisruptionBudgetObject extends KubeObject {
  metadata: ObjectMeta;
  spec?: PodDisruptionBudgetSpec;
  status?: PodDisruptionBudgetStatus;
}
