// k8s.io/metrics metrics.k8s.io/v1beta1 definitions: PodMetrics and NodeMetrics (`kubectl top`).
// Field lists and protobuf numbers follow upstream's generated.proto (window is a Duration
// message there; the server answers these kinds in JSON only); descriptions are ours.
import { META, list, map, object, quantity, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of metrics.k8s.io/v1beta1, as metrics-server publishes it. */
export const METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.';

const usage = () => map(quantity(), 'CPU in cores and memory (working set) in bytes.');

export const metricsDefinitions: Definitions = {
  [METRICS + 'PodMetrics']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "metrics.k8s.io/v1beta1".'),
      containers: list(ref(METRICS + 'ContainerMetrics'), undefined, 'Usage of each running container of the pod.'),
      kind: str('The REST resource this object represents, "PodMetrics".'),
      metadata: ref(META + 'ObjectMeta', "The pod's name, namespace and labels."),
      timestamp: time('The end of the interval the figures cover.'),
      window: str('The length of that interval, as a duration ("15s").'),
    },
    {
      required: ['timestamp', 'window', 'containers'],
      description: "Resource usage of a pod's containers, as the node measured it. Computed on request; nothing is stored.",
      proto: { metadata: 1, timestamp: 2, window: 3, containers: 4 },
    },
  ),
  [METRICS + 'ContainerMetrics']: object(
    { name: str('The container name, as in the pod spec.'), usage: usage() },
    { required: ['name', 'usage'], description: 'Resource usage of one container.', proto: { name: 1, usage: 2 } },
  ),
  [METRICS + 'NodeMetrics']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "metrics.k8s.io/v1beta1".'),
      kind: str('The REST resource this object represents, "NodeMetrics".'),
      metadata: ref(META + 'ObjectMeta', "The node's name and labels."),
      timestamp: time('The end of the interval the figures cover.'),
      usage: usage(),
      window: str('The length of that interval, as a duration ("15s").'),
    },
    {
      required: ['timestamp', 'window', 'usage'],
      description: 'Resource usage of a whole node. Computed on request; nothing is stored.',
      proto: { metadata: 1, timestamp: 2, window: 3, usage: 4 },
    },
  ),
};
