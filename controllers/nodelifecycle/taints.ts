// Taints and tolerations as upstream's core/v1 helpers read them (ToleratesTaint,
// GetMatchingTolerations) and the taints the node lifecycle controller keeps from a node's
// conditions and spec.unschedulable (TaintNodesByCondition, taintutils).
import type { Node, Toleration } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';

export interface TaintView {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

/** nodeConditionToTaintKeyStatusMap: the NoSchedule taint each condition status stands for. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

/** The keys the NoSchedule tainting pass owns. */
const OWNED_NO_SCHEDULE_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_NODE_UNSCHEDULABLE]);

/** Toleration.ToleratesTaint: effect and key match when set; Exists any value, Equal (or none) the same value. */
export function toleratesTaint(t: DeepReadonly<Toleration>, taint: TaintView): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? '';
  if (op === 'Exists') return true;
  if (op === '' || op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

/** GetMatchingTolerations: whether every taint is tolerated, and the first toleration of each. */
export function matchingTolerations(taints: readonly TaintView[], tolerations: readonly DeepReadonly<Toleration>[] | undefined): { allTolerated: boolean; used: DeepReadonly<Toleration>[] } {
  const used: DeepReadonly<Toleration>[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** getMinTolerationTime in ms: the shortest tolerationSeconds, 0 for none used, -1 when all tolerate forever. */
export function minTolerationTimeMs(used: readonly DeepReadonly<Toleration>[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/** The node's NoExecute taints (getNoExecuteTaints). */
export function noExecuteTaints(node: DeepReadonly<Node> | undefined): TaintView[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute').map((t) => ({ ...(t as TaintView) }));
}

/**
 * doNoScheduleTaintingPass: the node's taints with the NoSchedule taints its conditions and
 * spec.unschedulable call for, and without the ones they no longer do; other taints are kept
 * as they are. Undefined when nothing changes.
 */
export function noScheduleTaints(node: DeepReadonly<Node>): TaintView[] | undefined {
  const want: string[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) want.push(key);
  }
  if (node.spec?.unschedulable) want.push(TAINT_NODE_UNSCHEDULABLE);
  const current = (node.spec?.taints ?? []) as readonly TaintView[];
  const owned = (t: TaintView) => t.effect === 'NoSchedule' && OWNED_NO_SCHEDULE_KEYS.has(t.key);
  const toRemove = current.filter((t) => owned(t) && !want.includes(t.key));
  const toAdd = want.filter((k) => !current.some((t) => owned(t) && t.key === k));
  if (toRemove.length === 0 && toAdd.length === 0) return undefined;
  return [...current.filter((t) => !toRemove.includes(t)).map((t) => ({ ...t })), ...toAdd.map((key) => ({ key, effect: 'NoSchedule' }))];
}
