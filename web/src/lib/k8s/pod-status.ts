// What the console says about a pod: kubectl's STATUS column logic, and exit facts for failures.
import type { ContainerStatus, ContainerStateTerminated, Pod } from '../../../../api/core.js';

/** True once the pod reached a terminal phase (Succeeded or Failed). */
export function isPodFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Pod readiness as "ready/total" containers. */
export function podReadyText(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  return `${ready}/${pod.spec.containers.length}`;
}

export function podRestarts(pod: Pod): number {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

function terminatedText(t: ContainerStateTerminated, prefix = ''): string {
  if (t.reason) return `${prefix}${t.reason}`;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

/**
 * The pod's STATUS as kubectl prints it (upstream printPod): the phase or reason, refined by
 * init containers ("Init:0/1", "Init:ErrImagePull") and app containers ("CrashLoopBackOff",
 * "Completed", "Error", "OOMKilled"), and "Terminating" while being deleted.
 */
export function podStatusText(pod: Pod): string {
  const st = pod.status ?? {};
  let reason: string = st.reason || st.phase || 'Pending';
  const scheduled = st.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'SchedulingGated') reason = 'SchedulingGated';
  let initializing = false;
  const inits = st.initContainerStatuses ?? [];
  const initCount = pod.spec.initContainers?.length ?? inits.length;
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) reason = terminatedText(term, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }
  const initialized = st.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) reason = terminatedText(c.state.terminated);
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isPodFinished(pod)) reason = 'Terminating';
  return reason;
}

/** A container that ended badly: its name, whether it is an init container, and how it ended. */
export interface ContainerFailure {
  container: string;
  init: boolean;
  exitCode: number;
  reason?: string;
  message?: string;
  finishedAt?: string;
  /** True when the failure is the previous run of a container that was restarted (restartPolicy OnFailure). */
  previous: boolean;
}

function failureOf(c: ContainerStatus, init: boolean): ContainerFailure | undefined {
  const cur = c.state?.terminated;
  if (cur && cur.exitCode !== 0) return { container: c.name, init, exitCode: cur.exitCode, reason: cur.reason, message: cur.message, finishedAt: cur.finishedAt, previous: false };
  const last = c.lastState?.terminated;
  if (last && last.exitCode !== 0) return { container: c.name, init, exitCode: last.exitCode, reason: last.reason, message: last.message, finishedAt: last.finishedAt, previous: true };
  return undefined;
}

/** The first container of the pod (init containers first) that exited non-zero, now or in its last run. */
export function podContainerFailure(pod: Pod): ContainerFailure | undefined {
  for (const c of pod.status?.initContainerStatuses ?? []) {
    const f = failureOf(c, true);
    if (f) return f;
  }
  for (const c of pod.status?.containerStatuses ?? []) {
    const f = failureOf(c, false);
    if (f) return f;
  }
  return undefined;
}

/** Waiting reasons that mean the pod cannot make progress without a change (image, config, crashes). */
export const STUCK_WAITING_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
]);

/** A container waiting for a reason that needs a fix, with the kubelet's message. */
export function podStuckReason(pod: Pod): { container: string; reason: string; message?: string } | undefined {
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && STUCK_WAITING_REASONS.has(w.reason)) return { container: c.name, reason: w.reason, message: w.message };
  }
  if (pod.status?.phase === 'Pending') {
    const sched = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    if (sched) return { container: '', reason: 'Unschedulable', message: sched.message };
  }
  return undefined;
}
