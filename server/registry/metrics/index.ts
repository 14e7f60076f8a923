// metrics.k8s.io/v1beta1 pods and nodes: PodMetrics and NodeMetrics as metrics-server serves
// them (`kubectl top pod`, `kubectl top node`), computed on every read from what the node
// reports (NodeStreams.metrics: the in-process agent) and never stored. Get and list only.
// Quantities as metrics-server writes them: CPU from nanocores ("123456n", "5m"), memory from
// the working set in bytes ("1308Ki"); metadata carries the object's name, namespace and labels
// and a creationTimestamp of now.
import type { KubeObject, Node, Pod } from '../../../api/index.js';
import type { PodUsage, UsageSample } from '../../../api/metrics.js';
import { METRICS } from '../../../api/schema/index.js';
import { formatGoDuration } from '../../../machinery/go-duration.js';
import { formatBinaryBytes, notFound, rfc3339 } from '../../../machinery/index.js';
import { nodes } from '../nodes/index.js';
import { pods } from '../pods/index.js';
import type { Computed, ComputedRequest, ResourceDefinition, ResourceStrategy } from '../resource.js';

const GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const API_VERSION = `${GROUP}/${VERSION}`;

/** Nanocores as a canonical decimal quantity: the largest suffix that keeps it whole. */
export function formatNanoCores(nanoCores: number): string {
  let n = BigInt(Math.max(0, Math.round(nanoCores)));
  if (n === 0n) return '0';
  for (const suffix of ['n', 'u', 'm']) {
    if (n % 1000n !== 0n) return `${n}${suffix}`;
    n /= 1000n;
  }
  return String(n);
}

function usage(sample: { cpuNanoCores: number; memoryWorkingSetBytes: number }): Record<string, string> {
  return { cpu: formatNanoCores(sample.cpuNanoCores), memory: formatBinaryBytes(Math.max(0, Math.round(sample.memoryWorkingSetBytes))) };
}

function meta(obj: KubeObject, now: Date): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = { name: obj.metadata.name, creationTimestamp: rfc3339(now) };
  if (obj.metadata.namespace) m.namespace = obj.metadata.namespace;
  if (obj.metadata.labels) m.labels = { ...obj.metadata.labels };
  return m;
}

function podMetricsOf(pod: Pod, u: PodUsage, now: Date): KubeObject {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: meta(pod as unknown as KubeObject, now),
    timestamp: rfc3339(u.timestamp),
    window: formatGoDuration(u.windowMs),
    containers: u.containers.map((c) => ({ name: c.name, usage: usage(c) })),
  } as unknown as KubeObject;
}

function nodeMetricsOf(node: Node, u: UsageSample, now: Date): KubeObject {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: meta(node as unknown as KubeObject, now),
    timestamp: rfc3339(u.timestamp),
    window: formatGoDuration(u.windowMs),
    usage: usage(u),
  } as unknown as KubeObject;
}

/** Only pods a node runs have figures: unscheduled and finished pods are not asked about. */
const running = (p: KubeObject) => !!(p as unknown as Pod).spec?.nodeName && (p as unknown as Pod).status?.phase === 'Running';

async function podMetrics(req: ComputedRequest, items: KubeObject[]): Promise<KubeObject[]> {
  const candidates = items.filter(running) as unknown as Pod[];
  if (!req.node.metrics || candidates.length === 0) return [];
  const byUid = new Map(candidates.map((p) => [p.metadata.uid ?? '', p]));
  const usages = await req.node.metrics.podUsage(candidates);
  return usages.filter((u) => byUid.has(u.uid) && u.containers.length > 0).map((u) => podMetricsOf(byUid.get(u.uid)!, u, req.now));
}

const podMetricsComputed: Computed = {
  list: (req) => podMetrics(req, req.list(pods, { namespace: req.namespace || undefined, labelSelector: req.labelSelector, fieldSelector: req.fieldSelector })),
  async get(req, name) {
    // metrics-server names a missing pod's metrics by namespace/name.
    const missing = notFound('podmetrics', GROUP, `${req.namespace}/${name}`);
    let pod: KubeObject;
    try {
      pod = req.get(pods, req.namespace, name);
    } catch {
      throw missing;
    }
    const [found] = await podMetrics(req, [pod]);
    if (!found) throw missing;
    return found;
  },
};

async function nodeMetrics(req: ComputedRequest, items: KubeObject[]): Promise<KubeObject[]> {
  const provider = req.node.metrics;
  if (!provider) return [];
  const out = await Promise.all(
    items.map(async (n) => {
      const u = await provider.nodeUsage(n.metadata.name ?? '');
      return u ? nodeMetricsOf(n as unknown as Node, u, req.now) : undefined;
    }),
  );
  return out.filter((m): m is KubeObject => m !== undefined);
}

const nodeMetricsComputed: Computed = {
  list: (req) => nodeMetrics(req, req.list(nodes, { labelSelector: req.labelSelector, fieldSelector: req.fieldSelector })),
  async get(req, name) {
    const missing = notFound('nodemetrics', GROUP, name);
    let node: KubeObject;
    try {
      node = req.get(nodes, '', name);
    } catch {
      throw missing;
    }
    const [found] = await nodeMetrics(req, [node]);
    if (!found) throw missing;
    return found;
  },
};

// Never called: nothing is created, updated or stored.
const READ_ONLY: ResourceStrategy = {
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: () => [],
  validateUpdate: () => [],
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
};

export const nodeMetricsResource: ResourceDefinition = {
  names: { group: GROUP, version: VERSION, resource: 'nodes', singular: '', kind: 'NodeMetrics', listKind: 'NodeMetricsList', namespaced: false },
  strategy: READ_ONLY,
  schema: { type: 'ref', ref: METRICS + 'NodeMetrics' },
  verbs: ['get', 'list'],
  computed: nodeMetricsComputed,
};

export const podMetricsResource: ResourceDefinition = {
  names: { group: GROUP, version: VERSION, resource: 'pods', singular: '', kind: 'PodMetrics', listKind: 'PodMetricsList', namespaced: true },
  strategy: READ_ONLY,
  schema: { type: 'ref', ref: METRICS + 'PodMetrics' },
  verbs: ['get', 'list'],
  computed: podMetricsComputed,
};
