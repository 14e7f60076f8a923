// What the default scheduler's filters decide for one pod and one node, in upstream's words:
// PodRequests (component-helpers resource.PodRequests), and the NodeUnschedulable,
// TaintToleration, NodeAffinity (nodeSelector) and NodeResourcesFit filters with their reasons,
// plus FitError's message ("0/1 nodes are available: 1 Insufficient cpu.").
import type { Container, Node, Pod, Toleration } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';
import { quantityMilliValue, quantityValue } from '../../machinery/index.js';

/** Requested amounts by resource name: cpu in millicores, everything else in units (bytes for memory). */
export type ResourceList = Map<string, bigint>;

type PodView = DeepReadonly<Pod>;
type NodeView = DeepReadonly<Node>;

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_NODE_SELECTOR = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** One quantity in the unit the scheduler counts it in. */
export function resourceAmount(name: string, quantity: string): bigint {
  return name === 'cpu' ? quantityMilliValue(quantity) : quantityValue(quantity);
}

function containerRequests(c: DeepReadonly<Container>): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, q] of Object.entries(c.resources?.requests ?? {})) out.set(name, resourceAmount(name, q as string));
  return out;
}

function addInto(target: ResourceList, add: ResourceList): void {
  for (const [k, v] of add) target.set(k, (target.get(k) ?? 0n) + v);
}

function maxInto(target: ResourceList, other: ResourceList): void {
  for (const [k, v] of other) if (v > (target.get(k) ?? 0n)) target.set(k, v);
}

/**
 * The pod's effective requests (PodRequests): the sum of the app containers, or the largest
 * init container if that is more, per resource. Restartable init containers (sidecars) run
 * beside the app containers: they add to the sum and to every later init container.
 */
export function podRequests(pod: PodView): ResourceList {
  const reqs: ResourceList = new Map();
  for (const c of pod.spec.containers ?? []) addInto(reqs, containerRequests(c));
  const restartable: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    const cr = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, cr);
      addInto(restartable, cr);
      maxInto(initMax, new Map(restartable));
    } else {
      const withSidecars = new Map(cr);
      addInto(withSidecars, restartable);
      maxInto(initMax, withSidecars);
    }
  }
  maxInto(reqs, initMax);
  const overhead = (pod.spec as { overhead?: Record<string, string> }).overhead;
  for (const [name, q] of Object.entries(overhead ?? {})) reqs.set(name, (reqs.get(name) ?? 0n) + resourceAmount(name, q));
  return reqs;
}

/** The node's allocatable resources (status.allocatable, else capacity). */
export function nodeAllocatable(node: NodeView): ResourceList {
  const out: ResourceList = new Map();
  const src = node.status?.allocatable ?? node.status?.capacity ?? {};
  for (const [name, q] of Object.entries(src)) out.set(name, resourceAmount(name, q as string));
  return out;
}

/** True when a pod still holds its resources on its node (bound, not Succeeded or Failed). */
export function podHoldsResources(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

function tolerates(tolerations: readonly DeepReadonly<Toleration>[] | undefined, taint: { key: string; value?: string; effect: string }): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    const op = t.operator ?? 'Equal';
    if (op === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The node's NoSchedule/NoExecute taints, including the ones its conditions imply (not-ready, unreachable). */
export function effectiveTaints(node: NodeView): { key: string; value?: string; effect: string }[] {
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute').map((t) => ({ ...t }));
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const implied = ready?.status === 'True' ? undefined : ready?.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
  if (implied && !taints.some((t) => t.key === implied)) taints.push({ key: implied, effect: 'NoSchedule' });
  return taints;
}

/**
 * Why the pod cannot go on the node, as the first failing filter reports it (empty: it fits).
 * `used` is what pods already on the node request; `podCount` how many there are.
 */
export function filterNode(pod: PodView, requests: ResourceList, node: NodeView, used: ResourceList, podCount: number): string[] {
  // NodeUnschedulable
  if (node.spec?.unschedulable && !tolerates(pod.spec.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) {
    return [ERR_REASON_UNSCHEDULABLE];
  }
  // TaintToleration
  for (const taint of effectiveTaints(node)) {
    if (!tolerates(pod.spec.tolerations, taint)) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  }
  // NodeAffinity (nodeSelector part)
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return [ERR_REASON_NODE_SELECTOR];
  }
  // NodeResourcesFit
  const reasons: string[] = [];
  const allocatable = nodeAllocatable(node);
  const allowedPods = allocatable.get('pods');
  if (allowedPods !== undefined && BigInt(podCount + 1) > allowedPods) reasons.push(ERR_REASON_TOO_MANY_PODS);
  const names = [...requests.keys()].filter((n) => n !== 'pods').sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const name of names) {
    const want = requests.get(name) ?? 0n;
    if (want === 0n) continue;
    if (want > (allocatable.get(name) ?? 0n) - (used.get(name) ?? 0n)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

function order(name: string): number {
  return name === 'cpu' ? 0 : name === 'memory' ? 1 : name === 'ephemeral-storage' ? 2 : 3;
}

/** FitError.Error(): "0/N nodes are available: <count> <reason>, ...." with the reasons sorted. */
export function fitErrorMessage(numAllNodes: number, reasonsByNode: readonly string[][]): string {
  const histogram = new Map<string, number>();
  for (const reasons of reasonsByNode) for (const r of new Set(reasons)) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}

/** Sum of the requests of the given pods. */
export function sumRequests(pods: Iterable<ResourceList>): ResourceList {
  const out: ResourceList = new Map();
  for (const r of pods) addInto(out, r);
  return out;
}
