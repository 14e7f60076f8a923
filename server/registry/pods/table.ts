// kubectl get pods: NAME READY STATUS RESTARTS AGE (+ wide IP NODE NOMINATED NODE READINESS GATES),
// with upstream printPod's STATUS logic (Init:0/1, PodInitializing, CrashLoopBackOff,
// Completed, Error, OOMKilled, Terminating, ContainerCreating, ErrImagePull, ...).
import type { ContainerStatus, KubeObject, PodCondition } from '../../../api/index.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { PodObject } from './types.js';

function hasTrueCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The READY, STATUS and RESTARTS cells of one pod, as upstream's printPod computes them. */
export function podStatusCells(pod: PodObject, now: Date): { ready: string; status: string; restarts: string } {
  const status = pod.status ?? {};
  const spec = pod.spec ?? { containers: [] };
  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;

  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') totalContainers++;
  const isSidecar = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';

  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    const lastFinished = cs.lastState?.terminated?.finishedAt;
    lastRestart = later(lastRestart, lastFinished);
    if (isSidecar(cs.name)) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastFinished);
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (isSidecar(cs.name) && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      lastRestart = later(lastRestart, cs.lastState?.terminated?.finishedAt);
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod with a container still running is not "Completed".
    if (reason === 'Completed' && hasRunning) reason = hasTrueCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart) restartsCell = `${restarts} (${translateTimestampSince(lastRestart, now)} ago)`;
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

export const podTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
    column('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
    column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', { priority: 1 }),
    column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pod = obj as PodObject;
    const { ready, status, restarts } = podStatusCells(pod, now);
    const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    const node = pod.spec?.nodeName || '<none>';
    const nominated = pod.status?.nominatedNodeName || '<none>';
    let gates = '<none>';
    const readinessGates = pod.spec?.readinessGates ?? [];
    if (readinessGates.length > 0) {
      let trueCount = 0;
      for (const g of readinessGates) {
        const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
        if (c?.status === 'True') trueCount++;
      }
      gates = `${trueCount}/${readinessGates.length}`;
    }
    return [pod.metadata.name, ready, status, restarts, translateTimestampSince(pod.metadata.creationTimestamp, now), podIP, node, nominated, gates];
  },
};
