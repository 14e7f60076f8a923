// k8s.io/api scheduling.k8s.io/v1 definitions: PriorityClass, a name for a pod priority value.
// Field list and protobuf numbers follow upstream (Kubernetes 1.34); descriptions are ours.
import { META, bool, int32, keepZero, object, ref, str } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of scheduling.k8s.io/v1. */
export const SCHEDULING = 'io.k8s.api.scheduling.v1.';

export const schedulingDefinitions: Definitions = {
  [SCHEDULING + 'PriorityClass']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "scheduling.k8s.io/v1".'),
      description: str('When this priority class should be used; free text.'),
      globalDefault: bool('Whether pods that name no priority class get this one. At most one class may be the global default.'),
      kind: str('The REST resource this object represents, "PriorityClass".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      preemptionPolicy: str('Whether pods of this class may preempt lower-priority pods: PreemptLowerPriority (default) or Never. Immutable.'),
      value: int32('The priority pods of this class get; at most 1000000000 for user-defined classes. Immutable.'),
    },
    {
      required: ['value'],
      description: 'Maps a priority class name to the integer priority pods that name it get.',
      proto: { metadata: 1, value: keepZero(2), globalDefault: 3, description: 4, preemptionPolicy: keepZero(5) },
    },
  ),
};
