// Preemption (upstream's DefaultPreemption PostFilter and framework/preemption): when a pod fits
// on no node, find a node where removing pods of lower priority makes it fit, with the fewest
// and least important victims, budgets (PodDisruptionBudgets) spared where possible. The
// selection is pure (selectVictimsOnNode, pickOneNodeForPreemption); preemptVictim makes the API
// calls: the DisruptionTarget condition, the delete and the Preempted event.
import type { Node, Pod, PodCondition, PodDisruptionBudget } from '../../api/index.js';
import type { Clientset, DeepReadonly, EventRecorder } from '../../client/index.js';
import { isNotFound, labelSelectorAsSelector, rfc3339 } from '../../machinery/index.js';
import { ERR_REASON_TOO_MANY_PODS, type ResourceList, filterNode, fitErrorMessage, podRequests, sumRequests } from './node-fit.js';

type PodView = DeepReadonly<Pod>;
type NodeView = DeepReadonly<Node>;
type PdbView = DeepReadonly<PodDisruptionBudget>;

export const REASON_PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';
export const NO_VICTIMS_FOUND = 'No preemption victims found for incoming pod';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: PodView): number {
  return pod.spec.priority ?? 0;
}

/** util.GetPodStartTime: status.startTime, or now for a pod not started yet. */
function podStartMs(pod: PodView, nowMs: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? nowMs : t;
}

/** util.MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportantPod(a: PodView, b: PodView, nowMs: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartMs(a, nowMs) < podStartMs(b, nowMs);
}

/** Filter reasons that removing pods can resolve (NodeResourcesFit's Unschedulable, not UnschedulableAndUnresolvable). */
export function resolvableByPreemption(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((r) => r.startsWith('Insufficient ') || r === ERR_REASON_TOO_MANY_PODS);
}

/** podTerminatingByPreemption: being deleted, with DisruptionTarget=True/PreemptionByScheduler. */
export function podTerminatingByPreemption(pod: PodView): boolean {
  if (!pod.metadata.deletionTimestamp) return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c.reason === REASON_PREEMPTION_BY_SCHEDULER;
}

/**
 * PodEligibleToPreemptOthers: not with preemptionPolicy Never, nor while a lower-priority pod
 * on its nominated node is still terminating because of an earlier preemption for it.
 * `podsOnNominatedNode` are the pods on pod.status.nominatedNodeName (empty when none).
 */
export function podEligibleToPreemptOthers(pod: PodView, podsOnNominatedNode: readonly PodView[]): string | undefined {
  if (pod.spec.preemptionPolicy === 'Never') return NOT_ELIGIBLE_NEVER;
  if (pod.status?.nominatedNodeName) {
    const p = podPriority(pod);
    if (podsOnNominatedNode.some((v) => podPriority(v) < p && podTerminatingByPreemption(v))) return NOT_ELIGIBLE_TERMINATING;
  }
  return undefined;
}

/**
 * filterPodsWithPDBViolation: splits pods (in their order) into those whose eviction would
 * take a matching budget below zero disruptions allowed, and the others. Pods already in a
 * budget's disruptedPods do not count against it.
 */
export function filterPodsWithPDBViolation(pods: readonly PodView[], pdbs: readonly PdbView[]): { violating: PodView[]; nonViolating: PodView[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      const s = p.spec?.selector ? labelSelectorAsSelector(p.spec.selector as never) : undefined;
      return s && !s.isEmpty() ? s : undefined;
    } catch {
      return undefined; // an invalid selector matches nothing
    }
  });
  const violating: PodView[] = [];
  const nonViolating: PodView[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata.labels as Record<string, string> | undefined;
    if (labels && Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        const sel = selectors[i];
        if (pdb.metadata.namespace !== pod.metadata.namespace || !sel || !sel.matches(labels)) return;
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, pod.metadata.name ?? '')) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/** What else the node holds that preemption cannot remove: pods being bound there, pods nominated to it with priority ≥ the preemptor's. */
export interface NominatedLoad {
  requests: ResourceList[];
}

export type VictimSelection = { victims: PodView[]; numPDBViolations: number } | { reasons: string[] };

/**
 * SelectVictimsOnNode: remove every pod of lower priority; if the pod still does not fit, the
 * node is no candidate (the filter's reasons). Otherwise give pods back, most important first,
 * the budget-violating ones before the others, keeping each that still leaves room: what could
 * not be given back are the victims (most important first).
 */
export function selectVictimsOnNode(
  pod: PodView,
  node: NodeView,
  podsOnNode: readonly PodView[],
  nominated: NominatedLoad,
  pdbs: readonly PdbView[],
  nowMs: number,
): VictimSelection {
  const requests = podRequests(pod);
  const priority = podPriority(pod);
  const potential = podsOnNode.filter((p) => podPriority(p) < priority);
  if (potential.length === 0) return { reasons: [NO_VICTIMS_FOUND] };
  const remaining = podsOnNode.filter((p) => podPriority(p) >= priority).map((p) => podRequests(p));
  const fits = () => filterNode(pod, requests, node, sumRequests([...remaining, ...nominated.requests]), remaining.length + nominated.requests.length);
  const reasons = fits();
  if (reasons.length) return { reasons };
  potential.sort((a, b) => (moreImportantPod(a, b, nowMs) ? -1 : moreImportantPod(b, a, nowMs) ? 1 : 0));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: PodView[] = [];
  const reprieve = (p: PodView): boolean => {
    remaining.push(podRequests(p));
    if (fits().length === 0) return true;
    remaining.pop();
    victims.push(p);
    return false;
  };
  let numPDBViolations = 0;
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length && nonViolating.length) victims.sort((a, b) => (moreImportantPod(a, b, nowMs) ? -1 : moreImportantPod(b, a, nowMs) ? 1 : 0));
  return { victims, numPDBViolations };
}

export interface Victims {
  /** Most important first. */
  pods: PodView[];
  numPDBViolations: number;
}

/**
 * pickOneNodeForPreemption: fewest budget violations, then the lowest highest-priority victim,
 * the smallest sum of priorities, the fewest victims, the latest start among the highest-priority
 * victims; still tied, the first node.
 */
export function pickOneNodeForPreemption(nodesToVictims: ReadonlyMap<string, Victims>, nowMs: number): string | undefined {
  let candidates = [...nodesToVictims.keys()];
  if (candidates.length === 0) return undefined;
  const v = (n: string) => nodesToVictims.get(n)!;
  const earliestStartOfHighest = (n: string) => {
    const pods = v(n).pods;
    if (pods.length === 0) return -Infinity;
    const top = podPriority(pods[0]);
    return Math.min(...pods.filter((p) => podPriority(p) === top).map((p) => podStartMs(p, nowMs)));
  };
  const scoreFuncs: ((n: string) => number)[] = [
    (n) => -v(n).numPDBViolations,
    (n) => (v(n).pods.length ? -podPriority(v(n).pods[0]) : Infinity),
    // +2^31 makes every priority non-negative, so more victims never sum lower.
    (n) => -v(n).pods.reduce((sum, p) => sum + podPriority(p) + 2 ** 31, 0),
    (n) => -v(n).pods.length,
    earliestStartOfHighest,
  ];
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let selected: string[] = [];
    for (const n of candidates) {
      const s = f(n);
      if (s > best) {
        best = s;
        selected = [];
      }
      if (s === best) selected.push(n);
    }
    if (selected.length === 1) return selected[0];
    candidates = selected;
  }
  return candidates[0];
}

/** The FitError message of a preemption that found no candidate: "0/N nodes are available: ...", absent nodes "Preemption is not helpful". */
export function noCandidateMessage(numAllNodes: number, reasonsByTriedNode: readonly string[][]): string {
  const absent = Array.from({ length: numAllNodes - reasonsByTriedNode.length }, () => [PREEMPTION_NOT_HELPFUL]);
  return fitErrorMessage(numAllNodes, [...reasonsByTriedNode, ...absent]);
}

/** FitError.Error() with the PostFilter's message: "<filter message> preemption: <why>." */
export function withPostFilterMessage(fitMessage: string, postFilterMsg: string | undefined): string {
  return postFilterMsg ? `${fitMessage} preemption: ${postFilterMsg}.` : fitMessage;
}

export interface PreemptDeps {
  pods: Clientset['pods'];
  recorder: EventRecorder;
  now: () => Date;
}

/**
 * PreemptPod: DisruptionTarget=True/PreemptionByScheduler on the victim (unless already there),
 * then its deletion with the pod's own grace period, then a Preempted event on it. A victim
 * already gone is no error.
 */
export async function preemptVictim(deps: PreemptDeps, preemptor: PodView, victim: PodView, nodeName: string): Promise<void> {
  const pods = deps.pods.namespace(victim.metadata.namespace ?? '');
  const name = victim.metadata.name ?? '';
  const message = `${preemptor.spec.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`;
  const old = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  try {
    if (!old || old.status !== 'True' || old.reason !== REASON_PREEMPTION_BY_SCHEDULER || old.message !== message) {
      const condition: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(deps.now()),
        reason: REASON_PREEMPTION_BY_SCHEDULER,
        message,
      };
      await pods.patch(name, 'strategic', { metadata: { uid: victim.metadata.uid }, status: { conditions: [condition] } }, { subresource: 'status' });
    }
    await pods.delete(name, { preconditions: { uid: victim.metadata.uid } });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  deps.recorder.event(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${nodeName}`);
}
