// What the CRI runtime reports, in the runtime interface's shapes: sandboxes, container
// summaries and statuses (CRI times are nanoseconds since the epoch, 0 = unset).
import type { ContainerExitReason, ContainerState, ContainerStatus, ContainerSummary, Mount, PodSandboxStatus } from '../container-runtime.js';
import type { Container__Output } from './generated/runtime/v1/Container.js';
import type { ContainerState__Output } from './generated/runtime/v1/ContainerState.js';
import type { ContainerStatus__Output } from './generated/runtime/v1/ContainerStatus.js';
import type { Mount__Output } from './generated/runtime/v1/Mount.js';
import type { PodSandbox__Output } from './generated/runtime/v1/PodSandbox.js';
import type { PodSandboxStatus__Output } from './generated/runtime/v1/PodSandboxStatus.js';

/** The pod's hostname, on the sandbox's labels: the CRI's status does not carry it. */
export const LABEL_HOSTNAME = 'jobyard.io/hostname';

/** containerd's reason for a container whose task failed to start (exit code 128). */
const START_ERROR = 'StartError';

export function fromNanos(ns: number | undefined): Date | undefined {
  return ns ? new Date(Math.floor(ns / 1e6)) : undefined;
}

const STATES: Record<string, ContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

export function containerStateOf(state: ContainerState__Output | number): ContainerState {
  return STATES[String(state)] ?? 'unknown';
}

export const CRI_CONTAINER_STATE: Record<ContainerState, string> = {
  created: 'CONTAINER_CREATED',
  running: 'CONTAINER_RUNNING',
  exited: 'CONTAINER_EXITED',
  unknown: 'CONTAINER_UNKNOWN',
};

/** Our labels without the one that only carries the hostname. */
function podLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out = { ...labels };
  delete out[LABEL_HOSTNAME];
  return out;
}

export function sandboxOf(s: PodSandbox__Output | PodSandboxStatus__Output): PodSandboxStatus {
  const m = s.metadata;
  const ready = String(s.state) === 'SANDBOX_READY';
  const network = 'network' in s ? s.network : null;
  return {
    id: s.id,
    metadata: { name: m?.name ?? '', namespace: m?.namespace ?? '', uid: m?.uid ?? '', attempt: m?.attempt ?? 0 },
    state: ready ? 'ready' : 'notready',
    createdAt: fromNanos(s.created_at) ?? new Date(0),
    ip: ready ? (network?.ip ?? '') : '',
    hostname: s.labels?.[LABEL_HOSTNAME] ?? '',
    labels: podLabels(s.labels),
    annotations: { ...s.annotations },
  };
}

export function summaryOf(c: Container__Output): ContainerSummary {
  return {
    id: c.id,
    sandboxId: c.pod_sandbox_id,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    image: c.image?.image ?? '',
    imageId: c.image_ref,
    state: containerStateOf(c.state),
    createdAt: fromNanos(c.created_at) ?? new Date(0),
    labels: { ...c.labels },
    annotations: { ...c.annotations },
  };
}

/**
 * A container's status. `listed`: the same container from ListContainers (its image_ref is the
 * image id, where the status's is the repo digest); `sandboxId` from it or the labels.
 */
export function containerStatusOf(s: ContainerStatus__Output, listed: Pick<Container__Output, 'pod_sandbox_id' | 'image_ref'> | undefined, sandboxId: string): ContainerStatus {
  const state = containerStateOf(s.state);
  const status: ContainerStatus = {
    id: s.id,
    sandboxId: listed?.pod_sandbox_id || sandboxId,
    metadata: { name: s.metadata?.name ?? '', attempt: s.metadata?.attempt ?? 0 },
    image: s.image?.image ?? '',
    imageId: listed?.image_ref || (s.image_ref.startsWith('sha256:') ? s.image_ref : ''),
    state,
    createdAt: fromNanos(s.created_at) ?? new Date(0),
    labels: { ...s.labels },
    annotations: { ...s.annotations },
    oomKilled: s.reason === 'OOMKilled',
    imageRef: s.image_ref,
    mounts: s.mounts.map(mountOf),
  };
  const startedAt = fromNanos(s.started_at);
  const finishedAt = fromNanos(s.finished_at);
  if (startedAt) status.startedAt = startedAt;
  if (state === 'exited') {
    let reason: ContainerExitReason;
    if (s.reason === START_ERROR || !startedAt) reason = 'ContainerCannotRun';
    else if (s.reason === 'OOMKilled') reason = 'OOMKilled';
    else reason = s.exit_code === 0 ? 'Completed' : 'Error';
    status.exitCode = s.exit_code;
    status.reason = reason;
    // containerd stamps started_at once the start call returns, and a process that exits at
    // once can have its exit stamped before that: never report an exit before the start.
    status.finishedAt = finishedAt && startedAt && startedAt.getTime() > finishedAt.getTime() ? startedAt : (finishedAt ?? status.createdAt);
    // A process that never started: reported as exited at creation, as dockershim did.
    if (!startedAt) status.startedAt = status.finishedAt;
  }
  if (s.message) status.message = s.message;
  return status;
}

function mountOf(m: Mount__Output): Mount {
  const out: Mount = { type: 'bind', source: m.host_path, target: m.container_path };
  if (m.readonly) out.readOnly = true;
  const propagation = String(m.propagation);
  if (propagation === 'PROPAGATION_HOST_TO_CONTAINER') out.propagation = 'rslave';
  else if (propagation === 'PROPAGATION_BIDIRECTIONAL') out.propagation = 'rshared';
  return out;
}
