// Wire types of k8s.io/api policy/v1: PodDisruptionBudget and Eviction (the pods/eviction body).
import type { DeleteOptions, LabelSelector, ObjectMeta, TypeMeta } from './meta.js';

/** intstr.IntOrString: a count, or a percentage such as "50%". */
export type IntOrString = number | string;

export type UnhealthyPodEvictionPolicyType = 'IfHealthyBudget' | 'AlwaysAllow';

export interface PodDisruptionBudgetSpec {
  minAvailable?: IntOrString;
  selector?: LabelSelector;
  maxUnavailable?: IntOrString;
  unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicyType;
}

/** metav1.Condition, as the policy and coordination groups use it. */
export interface MetaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  /** Pod name → when the eviction API let it go (the controller drops entries after 2 minutes). */
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: MetaCondition[];
}

export interface PodDisruptionBudget extends TypeMeta {
  metadata: ObjectMeta;
  spec?: PodDisruptionBudgetSpec;
  status?: PodDisruptionBudgetStatus;
}

/** The body of POST pods/{name}/eviction. */
export interface Eviction extends TypeMeta {
  metadata?: ObjectMeta;
  deleteOptions?: DeleteOptions;
}

/** The DisruptionAllowed condition of a PodDisruptionBudget and its reasons (policy/v1 types.go). */
export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';
export const SYNC_FAILED_REASON = 'SyncFailed';
/** The StatusCause type of a 429 from the eviction API. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';
