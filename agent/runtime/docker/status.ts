// What the engine reports, in the runtime interface's shapes: a container's inspect data as
// a sandbox status, a container summary or status, and its mounts (dockershim's mapping).
import type Docker from 'dockerode';
import {
  ANNOTATION_LABEL_PREFIX,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_SANDBOX_ID,
  type ContainerExitReason,
  type ContainerState,
  type ContainerStatus,
  type ContainerSummary,
  type Mount,
  type PodSandboxStatus,
} from '../container-runtime.js';

export type Inspect = Docker.ContainerInspectInfo;

export function parseTime(s: string | undefined): Date | undefined {
  if (!s || s.startsWith('0001-01-01')) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function splitLabels(all: Record<string, string> | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(all ?? {})) {
    if (k.startsWith(ANNOTATION_LABEL_PREFIX)) annotations[k.slice(ANNOTATION_LABEL_PREFIX.length)] = v;
    else labels[k] = v;
  }
  return { labels, annotations };
}

/** `k8s_<a>_<b>_<c>_<d>_<attempt>[_<suffix>]` → attempt. */
export function attemptFromName(name: string): number {
  const parts = name.replace(/^\//, '').split('_');
  const n = Number(parts[5]);
  return Number.isInteger(n) ? n : 0;
}

/** A running container's IP on its network ('' on the host's). */
export function ipOf(info: Inspect): string {
  return (info.NetworkSettings as { IPAddress?: string }).IPAddress || Object.values(info.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress || '';
}

export function sandboxStatusOf(info: Inspect): PodSandboxStatus {
  const { labels, annotations } = splitLabels(info.Config.Labels);
  const running = info.State.Running;
  const ip = running ? ipOf(info) : '';
  return {
    id: info.Id,
    metadata: {
      name: labels[LABEL_POD_NAME] ?? '',
      namespace: labels[LABEL_POD_NAMESPACE] ?? '',
      uid: labels[LABEL_POD_UID] ?? '',
      attempt: attemptFromName(info.Name),
    },
    state: running ? 'ready' : 'notready',
    createdAt: parseTime(info.Created) ?? new Date(0),
    ip,
    hostname: info.Config.Hostname,
    labels,
    annotations,
  };
}

/**
 * A summary from the engine's list alone (no inspect: a listing costs one engine call however
 * many containers there are). The list has no exit code: a container whose start failed
 * (created, exit code 127) lists as 'created'; its status (an inspect) says 'exited'. Created is
 * in whole seconds there.
 */
export function summaryOfListed(c: Docker.ContainerInfo): ContainerSummary {
  const { labels, annotations } = splitLabels(c.Labels);
  const states: Record<string, ContainerState> = { running: 'running', paused: 'running', restarting: 'running', created: 'created', exited: 'exited', dead: 'exited', removing: 'exited' };
  return {
    id: c.Id,
    sandboxId: labels[LABEL_SANDBOX_ID] ?? '',
    metadata: { name: labels[LABEL_CONTAINER_NAME] ?? '', attempt: attemptFromName(c.Names[0] ?? '') },
    image: c.Image,
    imageId: c.ImageID,
    state: states[c.State] ?? 'unknown',
    createdAt: new Date(c.Created * 1000),
    labels,
    annotations,
  };
}

/** A sandbox that is not running, from the engine's list alone: no IP, and no hostname (an inspect has it). */
export function stoppedSandboxOfListed(c: Docker.ContainerInfo): PodSandboxStatus {
  const { labels, annotations } = splitLabels(c.Labels);
  return {
    id: c.Id,
    metadata: { name: labels[LABEL_POD_NAME] ?? '', namespace: labels[LABEL_POD_NAMESPACE] ?? '', uid: labels[LABEL_POD_UID] ?? '', attempt: attemptFromName(c.Names[0] ?? '') },
    state: 'notready',
    createdAt: new Date(c.Created * 1000),
    ip: '',
    hostname: '',
    labels,
    annotations,
  };
}

export function summaryOf(info: Inspect): ContainerSummary {
  const { labels, annotations } = splitLabels(info.Config.Labels);
  const st = info.State;
  let state: ContainerState;
  if (st.Running) state = 'running';
  else if (st.Status === 'created') state = st.ExitCode !== 0 ? 'exited' : 'created';
  else if (st.Status === 'exited' || st.Status === 'dead' || parseTime(st.FinishedAt)) state = 'exited';
  else state = 'unknown';
  return {
    id: info.Id,
    sandboxId: labels[LABEL_SANDBOX_ID] ?? '',
    metadata: { name: labels[LABEL_CONTAINER_NAME] ?? '', attempt: attemptFromName(info.Name) },
    image: info.Config.Image,
    imageId: info.Image,
    state,
    createdAt: parseTime(info.Created) ?? new Date(0),
    labels,
    annotations,
  };
}

/**
 * A container's status. `oomSeen`: an `oom` event was seen for it (see DockerEngine.oomKilled);
 * `imageRef`: its image as DockerEngine.imageRef resolved it.
 */
export function containerStatusOf(info: Inspect, oomSeen: boolean, imageRef: string): ContainerStatus {
  const summary = summaryOf(info);
  const st = info.State;
  const oomKilled = !!st.OOMKilled || oomSeen;
  const status: ContainerStatus = {
    ...summary,
    oomKilled,
    imageRef,
    mounts: mountsOf(info),
  };
  const startedAt = parseTime(st.StartedAt);
  const finishedAt = parseTime(st.FinishedAt);
  if (st.Running) {
    if (startedAt) status.startedAt = startedAt;
    if (st.Pid) status.pid = st.Pid;
  } else if (finishedAt) {
    let reason: ContainerExitReason;
    if (oomKilled) reason = 'OOMKilled';
    else reason = st.ExitCode === 0 ? 'Completed' : 'Error';
    // Docker stamps StartedAt after the start completed, so a process that exits at once can
    // show FinishedAt a little before StartedAt: never report an exit before the start.
    const finished = startedAt && startedAt.getTime() > finishedAt.getTime() ? startedAt : finishedAt;
    Object.assign(status, { exitCode: st.ExitCode, reason, finishedAt: finished });
    if (startedAt) status.startedAt = startedAt;
  } else if (st.ExitCode !== 0) {
    // The process never started: dockershim reports it exited at creation.
    Object.assign(status, { exitCode: st.ExitCode, reason: 'ContainerCannotRun', startedAt: summary.createdAt, finishedAt: summary.createdAt });
  }
  if (st.Error) status.message = st.Error;
  return status;
}

function mountsOf(info: Inspect): Mount[] {
  const out: Mount[] = [];
  for (const b of info.HostConfig.Binds ?? []) {
    const [source, target, opts = ''] = b.split(':');
    const m: Mount = { type: 'bind', source, target };
    if (opts.split(',').includes('ro')) m.readOnly = true;
    const prop = opts.split(',').find((o) => o === 'private' || o === 'rslave' || o === 'rshared');
    if (prop) m.propagation = prop as 'private' | 'rslave' | 'rshared';
    out.push(m);
  }
  for (const m of info.HostConfig.Mounts ?? []) {
    if (m.Type === 'volume') out.push({ type: 'volume', source: m.Source ?? '', target: m.Target, ...(m.ReadOnly ? { readOnly: true } : {}) });
    else if (m.Type === 'tmpfs') {
      const t: Mount = { type: 'tmpfs', target: m.Target };
      if (m.TmpfsOptions?.SizeBytes) t.sizeBytes = m.TmpfsOptions.SizeBytes;
      if (m.TmpfsOptions?.Mode) t.mode = m.TmpfsOptions.Mode;
      out.push(t);
    }
  }
  return out;
}
