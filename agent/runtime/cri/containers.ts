// Containers through the CRI (RuntimeService, second half): CreateContainer with what the
// kubelet's generateContainerConfig gives, start, stop with grace, remove, status, list, wait.
//
// Command and args go to the runtime as written in the pod: the CRI runtime applies them over
// the image's ENTRYPOINT and CMD by Kubernetes' rules (containerd's getProcessArgs), and merges
// the env over the image's. Capabilities are passed as Kubernetes names them (no CAP_ prefix),
// as the kubelet does; the runtime adds the prefix. There is no per-container pids limit in
// the CRI on cgroup v1 (on v2, `unified` pids.max): the kubelet bounds the pod's cgroup
// instead (pod-cgroups.ts, the cgroup parent).
import { existsSync } from 'node:fs';
import {
  LABEL_CONTAINER_NAME,
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_SANDBOX_ID,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStatus,
  type ContainerSummary,
  type Mount,
} from '../container-runtime.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import { containerLogPath, type CriContext } from './context.js';
import { criImageName } from './images.js';
import type { ContainerConfig as CriContainerConfig } from './generated/runtime/v1/ContainerConfig.js';
import type { Mount as CriMount } from './generated/runtime/v1/Mount.js';
import type { CriSandboxes } from './sandboxes.js';
import { CRI_CONTAINER_STATE, containerStatusOf, summaryOf } from './status.js';

/** The node's cgroup hierarchy is v2 (unified): only there does the CRI carry a pids limit. */
const CGROUP_V2 = existsSync('/sys/fs/cgroup/cgroup.controllers');

const MAX_REMEMBERED_IMAGE_IDS = 10_000;

/** How often waitContainer asks, at first and at most (the CRI has no wait call). */
const WAIT_POLL_MS = { first: 50, max: 500 };

function criMount(m: Mount): CriMount {
  if (m.type !== 'bind') {
    // Runtime volumes and tmpfs mounts are host directories on a CRI node (the volume service
    // gives binds); anything else here is a caller's mistake.
    throw new RuntimeError('CreateContainerConfigError', `a ${m.type} mount (${m.target}) has no CRI form: the volume service gives host paths`);
  }
  return {
    container_path: m.target,
    host_path: m.source,
    readonly: !!m.readOnly,
    propagation: m.propagation === 'rshared' ? 'PROPAGATION_BIDIRECTIONAL' : m.propagation === 'rslave' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE',
  };
}

/** Container mounts as CRI binds; `resolve` turns a runtime volume (or tmpfs) into host binds (cri-host's volumes). */
export type MountResolver = (mount: Mount) => Promise<Mount>;

export class CriContainers {
  private readonly ctx: CriContext;
  private readonly sandboxes: CriSandboxes;
  private readonly resolveMount: MountResolver;
  /** Each container's image id (sha256:...), from the list. */
  private readonly imageIds = new Map<string, string>();

  constructor(ctx: CriContext, sandboxes: CriSandboxes, resolveMount: MountResolver = async (m) => m) {
    this.ctx = ctx;
    this.sandboxes = sandboxes;
    this.resolveMount = resolveMount;
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    let sandboxConfig;
    try {
      sandboxConfig = await this.sandboxes.configOf(sandboxId);
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) throw new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`, { cause: err });
      throw err;
    }
    const { status } = await this.ctx.runtime.PodSandboxStatus({ pod_sandbox_id: sandboxId, verbose: false }, { reason: 'CreateContainerError' }).catch((err: unknown) => {
      throw isRuntimeError(err, 'NotFound') ? new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`, { cause: err }) : err;
    });
    if (!status || String(status.state) !== 'SANDBOX_READY') {
      throw new RuntimeError('CreateContainerError', `cannot create a container in sandbox ${sandboxId}: it is not ready`);
    }
    const m = sandboxConfig.metadata ?? {};
    const hostPID = String(status.linux?.namespaces?.options?.pid) === 'NODE';
    const r = config.resources ?? {};
    const sec = config.security ?? {};
    const mounts = await Promise.all((config.mounts ?? []).map(async (mount) => criMount(await this.resolveMount(mount))));
    const cri: CriContainerConfig = {
      metadata: { name: config.metadata.name, attempt: config.metadata.attempt },
      // Fully qualified: containerd resolves short names only as the CRI normalizes them.
      image: { image: criImageName(config.image) },
      command: config.command ?? [],
      args: config.args ?? [],
      working_dir: config.workingDir ?? '',
      envs: (config.env ?? []).map((e) => ({ key: e.name, value: e.value })),
      mounts,
      labels: {
        ...config.labels,
        [LABEL_POD_NAME]: m.name ?? '',
        [LABEL_POD_NAMESPACE]: m.namespace ?? '',
        [LABEL_POD_UID]: m.uid ?? '',
        [LABEL_CONTAINER_NAME]: config.metadata.name,
        [LABEL_CONTAINER_TYPE]: 'container',
        [LABEL_SANDBOX_ID]: sandboxId,
        [LABEL_MANAGED]: 'true',
      },
      annotations: { ...config.annotations },
      log_path: containerLogPath(config.metadata.name, config.metadata.attempt),
      stdin: !!config.stdin,
      stdin_once: !!config.stdinOnce,
      tty: !!config.tty,
      linux: {
        resources: {
          cpu_period: r.cpuPeriod ?? 0,
          cpu_quota: r.cpuQuota ?? 0,
          cpu_shares: r.cpuShares ?? 0,
          memory_limit_in_bytes: r.memoryLimitBytes ?? 0,
          // No swap beyond the limit, as the kubelet sets it on cgroup v1 (LimitedSwap off).
          memory_swap_limit_in_bytes: r.memoryLimitBytes ?? 0,
          oom_score_adj: r.oomScoreAdj ?? 0,
          // cgroup v2 only: the runtime writes unified keys into the container's cgroup as they are.
          ...(r.pidsLimit && r.pidsLimit > 0 && CGROUP_V2 ? { unified: { 'pids.max': String(r.pidsLimit) } } : {}),
        },
        security_context: {
          privileged: !!sec.privileged,
          readonly_rootfs: !!sec.readOnlyRootFilesystem,
          capabilities: { add_capabilities: sec.capabilitiesAdd ?? [], drop_capabilities: sec.capabilitiesDrop ?? [] },
          namespace_options: {
            network: String(status.linux?.namespaces?.options?.network) === 'NODE' ? 'NODE' : 'POD',
            pid: hostPID ? 'NODE' : config.sharePidNamespace ? 'POD' : 'CONTAINER',
            ipc: String(status.linux?.namespaces?.options?.ipc) === 'NODE' ? 'NODE' : 'POD',
          },
          ...(sec.runAsUser !== undefined ? { run_as_user: { value: sec.runAsUser } } : {}),
          ...(sec.runAsGroup !== undefined ? { run_as_group: { value: sec.runAsGroup } } : {}),
        },
      },
    };
    const { container_id: id } = await this.ctx.runtime.CreateContainer(
      { pod_sandbox_id: sandboxId, config: cri, sandbox_config: sandboxConfig },
      { reason: 'CreateContainerError' },
    ).catch((err: unknown) => {
      // An absent image is the runtime's NotFound: a create error to the kubelet.
      throw isRuntimeError(err, 'NotFound') ? new RuntimeError('CreateContainerError', err.message, { cause: err }) : err;
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    await this.ctx.runtime.StartContainer({ container_id: id }, { reason: 'RunContainerError' });
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const timeout = Math.max(0, Math.ceil(graceSeconds));
    await this.ctx.runtime.StopContainer({ container_id: id, timeout }, { allowanceMs: timeout * 1000 });
  }

  async removeContainer(id: string): Promise<void> {
    this.imageIds.delete(id);
    try {
      await this.ctx.runtime.RemoveContainer({ container_id: id });
    } catch (err) {
      if (!isRuntimeError(err, 'NotFound')) throw err;
    }
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    // The list gives the image id (the status's image_ref is the repo digest): asked once per
    // container, at once with its first status; a container's image never changes.
    const known = this.imageIds.get(id);
    const [{ status }, listed] = await Promise.all([
      this.ctx.runtime.ContainerStatus({ container_id: id, verbose: false }),
      known ? undefined : this.ctx.runtime.ListContainers({ filter: { id } }).then((r) => r.containers.find((c) => c.id === id)),
    ]);
    if (!status) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (listed) this.rememberImageId(id, listed.image_ref);
    return containerStatusOf(status, listed ?? (known ? { pod_sandbox_id: '', image_ref: known } : undefined), status.labels[LABEL_SANDBOX_ID] ?? '');
  }

  private rememberImageId(id: string, imageId: string): void {
    if (!imageId) return;
    // Containers removed with their sandbox are never forgotten one by one: bounded instead.
    if (this.imageIds.size >= MAX_REMEMBERED_IMAGE_IDS) this.imageIds.clear();
    this.imageIds.set(id, imageId);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
    const { containers } = await this.ctx.runtime.ListContainers({
      filter: {
        id: filter.id ?? '',
        pod_sandbox_id: filter.sandboxId ?? '',
        ...(filter.state ? { state: { state: CRI_CONTAINER_STATE[filter.state] as 'CONTAINER_CREATED' } } : {}),
        label_selector: { ...filter.labels, [LABEL_CONTAINER_TYPE]: 'container', [LABEL_MANAGED]: 'true' },
      },
    });
    for (const c of containers) if (!this.imageIds.has(c.id)) this.rememberImageId(c.id, c.image_ref);
    return containers.map(summaryOf).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.metadata.attempt - b.metadata.attempt);
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    let delay = WAIT_POLL_MS.first;
    for (;;) {
      const status = await this.containerStatus(id);
      if (status.state !== 'running') return status;
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(resolve, delay);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            reject(signal.reason);
          },
          { once: true },
        );
      });
      delay = Math.min(WAIT_POLL_MS.max, delay * 2);
    }
  }
}
