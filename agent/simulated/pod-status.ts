// What a simulated node reports for a pod, as pure functions of the pod and the time: the
// kubelet's status at each step of kwok's pod stages (Running, then the containers' exit),
// with no containers behind it. simulated-kubelet.ts decides when; this file decides what.
import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';
import { rfc3339 } from '../../machinery/index.js';
import { parseGoDurationMs } from '../../machinery/go-duration.js';

/** How long the containers run before they exit (Go duration); absent: until the pod is deleted. */
export const DURATION_ANNOTATION = 'simulated.jobyard.io/duration';
/** The containers' exit code (0 unless told). */
export const EXIT_CODE_ANNOTATION = 'simulated.jobyard.io/exit-code';

/** How a pod is played, from its annotations. */
export interface Simulation {
  /** undefined: runs until deleted. */
  durationMs?: number;
  exitCode: number;
}

/** The pod's simulation, or the message saying why its annotations are unusable. */
export function parseSimulation(pod: DeepReadonly<Pod>): Simulation | { error: string } {
  const a = pod.metadata.annotations ?? {};
  const rawDuration = a[DURATION_ANNOTATION];
  const rawExit = a[EXIT_CODE_ANNOTATION];
  let durationMs: number | undefined;
  if (rawDuration !== undefined) {
    durationMs = parseGoDurationMs(rawDuration.trim());
    if (durationMs === undefined || durationMs < 0) return { error: `annotation ${DURATION_ANNOTATION}: invalid duration ${JSON.stringify(rawDuration)} (a Go duration such as "2s" or "1m30s")` };
  }
  let exitCode = 0;
  if (rawExit !== undefined) {
    if (!/^\d{1,3}$/.test(rawExit.trim()) || Number(rawExit) > 255) return { error: `annotation ${EXIT_CODE_ANNOTATION}: invalid exit code ${JSON.stringify(rawExit)} (an integer from 0 to 255)` };
    exitCode = Number(rawExit);
  }
  return { durationMs, exitCode };
}

/** What the kubelet does when the containers exit: restart them (restartPolicy), or end the pod. */
export function afterExit(pod: DeepReadonly<Pod>, exitCode: number): 'restart' | 'Succeeded' | 'Failed' {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)) return 'restart';
  return exitCode === 0 ? 'Succeeded' : 'Failed';
}

export function containerID(uid: string, name: string): string {
  return `simulated://${uid}/${name}`;
}

function imageID(image: string | undefined): string {
  return `simulated://${image ?? ''}`;
}

/** Sets conditions by type, keeping lastTransitionTime where the status is unchanged. */
function withConditions(old: readonly DeepReadonly<PodCondition>[] | undefined, now: string, next: [string, 'True' | 'False', string?][]): PodCondition[] {
  const list: PodCondition[] = (old ?? []).map((c) => ({ ...c }) as PodCondition);
  for (const [type, status, reason] of next) {
    const i = list.findIndex((c) => c.type === type);
    const cond: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}) };
    if (i < 0) list.push(cond);
    else if (list[i]!.status !== status) list[i] = cond;
  }
  return list;
}

export interface RunningInput {
  now: Date;
  /** When the current containers started (a restart's time; else now). */
  startedAt?: Date;
  hostIP: string;
  podIP: string;
  restartCount: number;
  /** The previous run's end (restarts). */
  lastExit?: { exitCode: number; startedAt: string; finishedAt: string };
}

/** Running: init containers completed in order, every container running, Ready. */
export function runningStatus(pod: DeepReadonly<Pod>, input: RunningInput): PodStatus {
  const now = rfc3339(input.now);
  const started = rfc3339(input.startedAt ?? input.now);
  const uid = pod.metadata.uid ?? '';
  const old = pod.status;
  const status: PodStatus = {
    phase: 'Running',
    conditions: withConditions(old?.conditions, now, [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['ContainersReady', 'True'],
      ['Ready', 'True'],
      ['PodScheduled', 'True'],
    ]),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: old?.podIP ?? input.podIP,
    podIPs: [{ ip: old?.podIP ?? input.podIP }],
    startTime: old?.startTime ?? now,
    qosClass: old?.qosClass,
    containerStatuses: pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: imageID(c.image),
      containerID: containerID(uid, c.name),
      ready: true,
      started: true,
      restartCount: input.restartCount,
      state: { running: { startedAt: started } },
      ...(input.lastExit
        ? { lastState: { terminated: { exitCode: input.lastExit.exitCode, reason: input.lastExit.exitCode === 0 ? 'Completed' : 'Error', startedAt: input.lastExit.startedAt, finishedAt: input.lastExit.finishedAt, containerID: containerID(uid, c.name) } } }
        : {}),
    })),
  };
  const inits = pod.spec.initContainers ?? [];
  // Init containers run first, in order, each for no time: all completed at the start.
  if (inits.length > 0) {
    status.initContainerStatuses = inits.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: imageID(c.image),
      containerID: containerID(uid, c.name),
      ready: true,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started, containerID: containerID(uid, c.name) } },
    }));
  }
  if (status.qosClass === undefined) delete status.qosClass;
  return status;
}

/** The containers exited with `exitCode` (at `finishedAt`): the pod's terminal status. */
export function terminatedStatus(pod: DeepReadonly<Pod>, phase: 'Succeeded' | 'Failed', exitCode: number, finishedAt: Date): PodStatus {
  const now = rfc3339(finishedAt);
  const uid = pod.metadata.uid ?? '';
  const old = pod.status;
  const reason = exitCode === 0 ? 'Completed' : 'Error';
  return {
    ...(old as PodStatus),
    phase,
    conditions: withConditions(old?.conditions, now, [
      ['PodReadyToStartContainers', 'False'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
    ]),
    containerStatuses: pod.spec.containers.map((c) => {
      const prev = old?.containerStatuses?.find((s) => s.name === c.name);
      return {
        ...(prev as ContainerStatus | undefined),
        name: c.name,
        image: c.image ?? '',
        imageID: imageID(c.image),
        containerID: containerID(uid, c.name),
        ready: false,
        started: false,
        restartCount: prev?.restartCount ?? 0,
        state: { terminated: { exitCode, reason, startedAt: prev?.state?.running?.startedAt ?? old?.startTime ?? now, finishedAt: now, containerID: containerID(uid, c.name) } },
      } as ContainerStatus;
    }),
  };
}

/** Annotations the node cannot play: the kubelet's CreateContainerConfigError, the pod stays Pending. */
export function configErrorStatus(pod: DeepReadonly<Pod>, message: string, now: Date): PodStatus {
  const t = rfc3339(now);
  const old = pod.status;
  return {
    ...(old as PodStatus),
    phase: 'Pending',
    conditions: withConditions(old?.conditions, t, [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['ContainersReady', 'False', 'ContainersNotReady'],
      ['Ready', 'False', 'ContainersNotReady'],
    ]),
    containerStatuses: pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'CreateContainerConfigError', message } },
    })),
  };
}

/** When the current containers started, from a status written earlier (a restarted node picks pods up). */
export function runningSince(pod: DeepReadonly<Pod>): number | undefined {
  const starts = (pod.status?.containerStatuses ?? []).map((c) => c.state?.running?.startedAt).filter((s): s is string => !!s);
  const t = starts[0] ?? pod.status?.startTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
