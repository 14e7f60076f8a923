// k8s.io/api policy/v1 definitions: PodDisruptionBudget, Eviction (the pods/eviction body), and
// metav1.Condition, which PodDisruptionBudgetStatus is the first served type to use.
// Field lists and protobuf numbers follow upstream (Kubernetes 1.34); descriptions are ours.
import { META, int32, int64, intOrString, keepZero, list, map, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of policy/v1. */
export const POLICY = 'io.k8s.api.policy.v1.';

export const policyDefinitions: Definitions = {
  [POLICY + 'PodDisruptionBudget']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "policy/v1".'),
      kind: str('The REST resource this object represents, "PodDisruptionBudget".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(POLICY + 'PodDisruptionBudgetSpec', 'Desired behaviour of the PodDisruptionBudget.'),
      status: ref(POLICY + 'PodDisruptionBudgetStatus', 'Most recently observed status, written by the disruption controller and the eviction API.'),
    },
    { description: 'Bounds how many of a set of pods voluntary disruptions (evictions) may take down at once.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [POLICY + 'PodDisruptionBudgetSpec']: object(
    {
      maxUnavailable: intOrString('An eviction is allowed if at most this many (or this percentage) of the selected pods are unavailable after it. Exclusive with minAvailable.'),
      minAvailable: intOrString('An eviction is allowed if at least this many (or this percentage) of the selected pods stay available after it. Exclusive with maxUnavailable.'),
      selector: ref(META + 'LabelSelector', 'The pods the budget covers; an empty selector selects every pod of the namespace, a null one none.'),
      unhealthyPodEvictionPolicy: str('When running but not Ready pods may be evicted: IfHealthyBudget (default) or AlwaysAllow.'),
    },
    { proto: { minAvailable: 1, selector: 2, maxUnavailable: 3, unhealthyPodEvictionPolicy: 4 } },
  ),
  [POLICY + 'PodDisruptionBudgetStatus']: object(
    {
      conditions: list(ref(META + 'Condition'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }, 'DisruptionAllowed: whether an eviction is allowed now, and why.'),
      currentHealthy: int32('Selected pods that are Ready and not being disrupted.'),
      desiredHealthy: int32('Least number of healthy pods the budget requires.'),
      disruptedPods: map(time(), 'Pods the eviction API let go, and when; the controller forgets a pod not deleted within 2 minutes.'),
      disruptionsAllowed: int32('Evictions allowed now.'),
      expectedPods: int32('Pods the budget counts (the selected ones, or their controllers\' scale).'),
      observedGeneration: int64('The generation this status was computed for.'),
    },
    {
      required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
      proto: {
        observedGeneration: 1, disruptedPods: 2, disruptionsAllowed: keepZero(3), currentHealthy: keepZero(4), desiredHealthy: keepZero(5),
        expectedPods: keepZero(6), conditions: 7,
      },
    },
  ),
  [POLICY + 'Eviction']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "policy/v1".'),
      deleteOptions: ref(META + 'DeleteOptions', 'How the pod is deleted (grace period, preconditions, dry run).'),
      kind: str('The REST resource this object represents, "Eviction".'),
      metadata: ref(META + 'ObjectMeta', 'The name (and namespace) of the pod to evict.'),
    },
    { description: 'A request to evict a pod, subject to its PodDisruptionBudget: POST to pods/{name}/eviction.', proto: { metadata: 1, deleteOptions: 2 } },
  ),
  [META + 'Condition']: object(
    {
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable details.'),
      observedGeneration: int64('The generation the condition was set for.'),
      reason: str('CamelCase reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('The condition type, in CamelCase.'),
    },
    {
      required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      proto: { type: keepZero(1), status: keepZero(2), observedGeneration: 3, lastTransitionTime: 4, reason: keepZero(5), message: keepZero(6) },
    },
  ),
};
