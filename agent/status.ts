// Pod status as the kubelet computes it (pkg/kubelet/kubelet_pods.go generateAPIPodStatus,
// convertToAPIContainerStatuses, getPhase; pkg/kubelet/status/generate.go for the
// conditions; status_manager.go for lastTransitionTime and TerminatePod). Pure functions
// over the pod, what the runtime holds, the start-failure reasons and the probe results.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '../api/index.js';
import { rfc3339 } from '../machinery/index.js';
import { type RuntimeContainer, type RuntimePod } from './runtime-pod.js';

// Container waiting reasons and condition reasons (pkg/kubelet/kubelet_pods.go, status/generate.go).
export const ContainerCreating = 'ContainerCreating';
export const PodInitializing = 'PodInitializing';
export const CrashLoopBackOff = 'CrashLoopBackOff';
export const ContainerStatusUnknown = 'ContainerStatusUnknown';
export const UnknownContainerStatuses = 'UnknownContainerStatuses';
export const PodCompleted = 'PodCompleted';
export const PodFailedReason = 'PodFailed';
export const ContainersNotReady = 'ContainersNotReady';
export const ContainersNotInitialized = 'ContainersNotInitialized';

/** Condition types the kubelet owns (kubetypes.PodConditionsByKubelet); others are preserved. */
export const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/** A start failure remembered per container (the kubelet's ReasonCache). */
export interface StartFailure {
  reason: string;
  message: string;
}

/** What the probe manager knows about one running container. */
export interface ProbeStatus {
  /** Started: the startup probe succeeded, or there is none. */
  started(containerName: string, containerId: string): boolean;
  /** Ready: the readiness probe succeeded, or there is none. */
  ready(containerName: string, containerId: string): boolean;
}

/** Every running container is started and ready (no probes). */
export const noProbes: ProbeStatus = { started: () => true, ready: () => true };

export interface StatusInput {
  pod: Pod;
  runtime: RuntimePod;
  /** Prefix of container ids: "docker" gives "docker://<id>". */
  runtimeName: string;
  now: Date;
  hostIP: string;
  /** The pod IP ('' while there is no running sandbox). */
  podIP: string;
  /** When the agent accepted the pod (status.startTime). */
  startTime?: string;
  /** Start failures by container name. */
  reasons?: ReadonlyMap<string, StartFailure>;
  probes?: ProbeStatus;
  /** The pod will not run again (deleted, or already Succeeded/Failed): its phase must become terminal. */
  podIsTerminal?: boolean;
  /** A running sandbox with networking exists (PodReadyToStartContainers). */
  sandboxReady: boolean;
  /** Set when the pod is evicted (activeDeadlineSeconds): phase Failed with this reason. */
  eviction?: { reason: string; message: string };
}

/** Go's %s of a []string: "[a b]". */
export function goList(values: string[]): string {
  return `[${values.join(' ')}]`;
}

/** "name_namespace(uid)", the kubelet's format.Pod. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

function restartPolicyOf(pod: Pod): 'Always' | 'OnFailure' | 'Never' {
  return pod.spec.restartPolicy ?? 'Always';
}

/** Whether a restartable (sidecar) init container: restartPolicy Always on an init container. */
export function isRestartableInit(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * ShouldContainerBeRestarted: never for a deleted pod; yes when the container never ran, or
 * is created/unknown; for an exited one, by the pod's restartPolicy and the exit code.
 */
export function shouldContainerBeRestarted(container: Container, pod: Pod, runtime: RuntimePod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const latest = runtime.containers.find((c) => c.name === container.name);
  if (!latest) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'unknown' || latest.state === 'created') return true;
  // A sidecar (restartable init container) always restarts.
  const policy = container.restartPolicy === 'Always' ? 'Always' : restartPolicyOf(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && latest.exitCode === 0) return false;
  return true;
}

function time(d: Date | undefined): string | undefined {
  return d ? rfc3339(d) : undefined;
}

function convertContainer(cs: RuntimeContainer, old: ContainerStatus | undefined, runtimeName: string, specImage: string): ContainerStatus {
  const cid = `${runtimeName}://${cs.id}`;
  const status: ContainerStatus = {
    name: cs.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: cs.metadata.attempt,
    image: specImage,
    imageID: cs.imageRef,
    containerID: cid,
  };
  if (cs.state === 'running') {
    status.state = { running: { startedAt: time(cs.startedAt) ?? time(cs.createdAt) } };
  } else if (cs.state === 'created') {
    status.state = { waiting: {} };
  } else if (cs.state === 'exited') {
    const terminated: NonNullable<ContainerState['terminated']> = { exitCode: cs.exitCode ?? 0 };
    if (cs.reason) terminated.reason = cs.reason;
    const message = cs.terminationMessage || cs.message;
    if (message) terminated.message = message;
    terminated.startedAt = time(cs.startedAt) ?? time(cs.createdAt);
    terminated.finishedAt = time(cs.finishedAt) ?? terminated.startedAt;
    terminated.containerID = cid;
    status.state = { terminated };
  } else if (old?.state?.running) {
    // The container was running and the runtime lost it: say it ended, never "waiting".
    status.state = {
      terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: 'The container could not be located when the pod was terminated' },
    };
    status.restartCount = old.restartCount + 1;
  } else {
    status.state = { waiting: {} };
  }
  return status;
}

/**
 * convertToAPIContainerStatuses for one list (init or app containers): a default waiting
 * state, the newest instance as `state` and the one before as `lastState`, start failures as
 * waiting reasons for containers about to be restarted. App statuses are sorted by name,
 * init statuses in spec order, as upstream.
 */
export function convertContainerStatuses(input: StatusInput, containers: Container[], previous: ContainerStatus[] | undefined, isInit: boolean): ContainerStatus[] {
  const { pod, runtime } = input;
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const defaultReason = hasInit ? PodInitializing : ContainerCreating;
  const oldByName = new Map((previous ?? []).map((s) => [s.name, s]));
  const statuses = new Map<string, ContainerStatus>();

  for (const c of containers) {
    const old = oldByName.get(c.name);
    let status: ContainerStatus = { name: c.name, state: { waiting: { reason: defaultReason } }, lastState: {}, ready: false, restartCount: 0, image: c.image ?? '', imageID: '' };
    if (old) {
      if (old.state?.terminated) status = structuredClone(old);
      else {
        status.restartCount = old.restartCount;
        status.lastState = structuredClone(old.lastState ?? {});
      }
    }
    statuses.set(c.name, status);
  }

  // A container that was running and has vanished without a trace ended: keep it from looking pending.
  for (const c of containers) {
    if (runtime.containers.some((rc) => rc.name === c.name && rc.state === 'created')) continue;
    const old = oldByName.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const status = statuses.get(c.name)!;
    const isDefault = status.state?.waiting?.reason === defaultReason;
    if (!isDefault || status.lastState?.terminated) continue;
    if (runtime.containers.some((rc) => rc.name === c.name)) continue;
    status.lastState = {
      terminated: {
        exitCode: 137,
        reason: ContainerStatusUnknown,
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
      },
    };
    if (!pod.metadata.deletionTimestamp) status.restartCount += 1;
  }

  const seen = new Map<string, number>();
  const specImage = new Map(containers.map((c) => [c.name, c.image ?? '']));
  for (const rc of runtime.containers) {
    if (!statuses.has(rc.name)) continue;
    const n = seen.get(rc.name) ?? 0;
    if (n >= 2) continue;
    const converted = convertContainer(rc, oldByName.get(rc.name), input.runtimeName, specImage.get(rc.name) ?? rc.image);
    if (n === 0) statuses.set(rc.name, converted);
    else statuses.get(rc.name)!.lastState = converted.state;
    seen.set(rc.name, n + 1);
  }

  for (const c of containers) {
    if (isInit) {
      const latest = runtime.containers.find((rc) => rc.name === c.name);
      if (latest && latest.state === 'exited' && latest.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(c, pod, runtime)) continue;
    const failure = input.reasons?.get(c.name);
    if (!failure) continue;
    const status = statuses.get(c.name)!;
    if (status.state?.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: failure.reason, message: failure.message } };
  }

  const out = containers.map((c) => statuses.get(c.name)!);
  for (const s of out) {
    // Empty lastState is `{}` on the wire, as upstream serialises it.
    s.lastState ??= {};
  }
  if (!isInit) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** Whether any regular container has started (then the pod was initialized once). */
function hasAnyRegularContainerStarted(pod: Pod, statuses: ContainerStatus[]): boolean {
  const names = new Set(pod.spec.containers.map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && (s.state?.running || s.state?.terminated || s.lastState?.terminated));
}

/** getPhase: Pending / Running / Succeeded / Failed from the container statuses and the restart policy. */
export function getPhase(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const policy = restartPolicyOf(pod);
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of pod.spec.initContainers ?? []) {
    if (isRestartableInit(c)) continue;
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) {
      pendingInitialization++;
      continue;
    }
    if (s.state?.running) pendingInitialization++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of pod.spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && policy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !hasAnyRegularContainerStarted(pod, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** GeneratePodInitializedCondition. */
export function podInitializedCondition(pod: Pod, statuses: ContainerStatus[], phase: PodPhase): PodCondition {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return condition('Initialized', 'True');
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (isRestartableInit(c)) {
      if (!s.started) incomplete.push(c.name);
      continue;
    }
    if (!s.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', 'True', PodCompleted);
  if (hasAnyRegularContainerStarted(pod, statuses)) return condition('Initialized', 'True');
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return condition('Initialized', 'False', ContainersNotInitialized, messages.join(', '));
  return condition('Initialized', 'True');
}

/** GenerateContainersReadyCondition. */
export function containersReadyCondition(pod: Pod, statuses: ContainerStatus[] | undefined, phase: PodPhase): PodCondition {
  if (!statuses) return condition('ContainersReady', 'False', UnknownContainerStatuses);
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    if (!isRestartableInit(c)) continue;
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of pod.spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('ContainersReady', 'False', PodCompleted);
  if (phase === 'Failed') return condition('ContainersReady', 'False', PodFailedReason);
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return condition('ContainersReady', 'False', ContainersNotReady, messages.join(', '));
  return condition('ContainersReady', 'True');
}

/** GeneratePodReadyCondition (no readiness gates): Ready follows ContainersReady. */
export function podReadyCondition(pod: Pod, statuses: ContainerStatus[] | undefined, phase: PodPhase): PodCondition {
  const cr = containersReadyCondition(pod, statuses, phase);
  return condition('Ready', cr.status as 'True' | 'False', cr.reason, cr.message);
}

/**
 * Carries lastTransitionTime over from the old condition of the same type when the status did
 * not change, else stamps `now` (status_manager updateLastTransitionTime). lastProbeTime is null.
 */
export function withTransitionTimes(conditions: PodCondition[], old: PodCondition[] | undefined, now: Date): PodCondition[] {
  return conditions.map((c) => {
    if (!KUBELET_CONDITIONS.has(c.type)) return c;
    const prev = (old ?? []).find((o) => o.type === c.type);
    const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null };
    out.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

const TERMINATED_UNKNOWN_MESSAGE = 'The container could not be located when the pod was terminated';

/**
 * TerminatePod: once the pod has initialized, an app container that is not terminated is
 * reported terminated with exit 137 (its fate is unknown); so is an init container that had
 * started. Call only after every container was stopped.
 */
function terminateStatuses(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[]): void {
  const unknown = (): ContainerState => ({ terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: TERMINATED_UNKNOWN_MESSAGE } });
  const inits = (pod.spec.initContainers ?? []).filter((c) => !isRestartableInit(c));
  const initialized = inits.every((c) => {
    const s = initStatuses.find((x) => x.name === c.name);
    return !!s?.state?.terminated && s.state.terminated.exitCode === 0;
  });
  if (initialized || hasAnyRegularContainerStarted(pod, statuses)) {
    for (const s of statuses) if (!s.state?.terminated) s.state = unknown();
  }
  for (const s of initStatuses) {
    if (s.state?.terminated) continue;
    if (s.state?.running || s.lastState?.terminated) s.state = unknown();
  }
}

/**
 * generateAPIPodStatus: container statuses, phase (terminal once terminal), reason/message
 * kept with the phase, the kubelet's conditions with transition times, IPs, startTime and the
 * server's qosClass.
 */
export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const old = pod.status ?? {};
  const probes = input.probes ?? noProbes;
  const initStatuses = convertContainerStatuses(input, pod.spec.initContainers ?? [], old.initContainerStatuses, true);
  const statuses = convertContainerStatuses(input, pod.spec.containers, old.containerStatuses, false);

  // Probe results: started, ready (probeManager.UpdatePodStatus).
  for (const s of statuses) {
    const id = s.containerID?.replace(/^[a-z]+:\/\//, '') ?? '';
    const running = !!s.state?.running;
    s.started = running && probes.started(s.name, id);
    s.ready = running && s.started && probes.ready(s.name, id);
  }
  for (const s of initStatuses) {
    s.started = !!s.state?.running;
    s.ready = !!s.state?.terminated && s.state.terminated.exitCode === 0;
  }

  if (input.podIsTerminal || input.eviction) {
    terminateStatuses(pod, initStatuses, statuses);
    for (const s of [...statuses, ...initStatuses]) s.ready = false;
  }

  let phase = getPhase(pod, initStatuses, statuses, !!input.podIsTerminal || !!input.eviction);
  const oldPhase = old.phase;
  if (phase !== 'Failed' && phase !== 'Succeeded' && (oldPhase === 'Failed' || oldPhase === 'Succeeded')) phase = oldPhase;
  if ((input.podIsTerminal || input.eviction) && phase !== 'Succeeded' && phase !== 'Failed') phase = 'Failed';

  const status: PodStatus = { phase };
  if (phase === oldPhase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (input.eviction) {
    status.phase = 'Failed';
    phase = 'Failed';
    status.reason = input.eviction.reason;
    status.message = input.eviction.message;
  }

  const all = [...initStatuses, ...statuses];
  const conditions: PodCondition[] = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type)).map((c) => structuredClone(c));
  conditions.push(condition('PodReadyToStartContainers', input.sandboxReady ? 'True' : 'False'));
  conditions.push(podInitializedCondition(pod, all, phase));
  conditions.push(podReadyCondition(pod, all, phase));
  conditions.push(containersReadyCondition(pod, all, phase));
  conditions.push(condition('PodScheduled', 'True'));
  status.conditions = withTransitionTimes(conditions, old.conditions, now);

  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  const podIP = input.podIP || old.podIP || '';
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  const startTime = old.startTime ?? input.startTime;
  if (startTime) status.startTime = startTime;
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (old.qosClass) status.qosClass = old.qosClass;
  return status;
}

/** Two statuses say the same (what the agent writes is compared before writing). */
export function sameStatus(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(s: PodStatus | undefined): unknown {
  if (!s) return null;
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([k, x]) => [k, sort(x)]),
      );
    }
    return v;
  };
  return sort(s);
}
