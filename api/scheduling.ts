// Wire types of k8s.io/api scheduling.k8s.io/v1: PriorityClass (a name for a pod priority value),
// and the constants of upstream's pkg/apis/scheduling that go with it.
import type { PreemptionPolicy } from './core.js';
import type { ObjectMeta, TypeMeta } from './meta.js';

export interface PriorityClass extends TypeMeta {
  metadata: ObjectMeta;
  /** The priority pods of this class get; required. */
  value: number;
  globalDefault?: boolean;
  description?: string;
  /** Defaulted to PreemptLowerPriority. */
  preemptionPolicy?: PreemptionPolicy;
}

/** The largest value a user-defined class may have (HighestUserDefinablePriority). */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** The value of system-cluster-critical (SystemCriticalPriority = 2 × HighestUserDefinablePriority). */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
/** Names with this prefix are reserved for the system classes. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';
/** A pod's priority when it names no class and no class is the global default. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0;

/** The classes the API server creates at start and never lets go (SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: SYSTEM_NODE_CRITICAL },
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: SYSTEM_CLUSTER_CRITICAL },
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];
