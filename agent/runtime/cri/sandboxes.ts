// Pod sandboxes through the CRI (RuntimeService, first half): RunPodSandbox with what the
// kubelet's generatePodSandboxConfig gives (metadata, hostname, log directory, DNS, ports,
// labels and annotations, cgroup parent, namespace options), stop, remove, status and list.
// The runtime (containerd) starts the pause container and sets up the network through CNI.
//
// The CRI has no sandbox without a pause container: `singleContainer` only changes when the
// sandbox counts as ready (the interface's promise: until its one container has exited; the
// sandbox is then stopped, which frees its network at once).
import {
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type SandboxFilter,
} from '../container-runtime.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import { podLogDirectory, type CriContext } from './context.js';
import type { PodSandboxConfig as CriPodSandboxConfig } from './generated/runtime/v1/PodSandboxConfig.js';
import { LABEL_HOSTNAME, sandboxOf } from './status.js';

/** On a sandbox whose pod asked for singleContainer. */
export const LABEL_SINGLE_CONTAINER = 'jobyard.io/single-container';

/** The CRI's PodSandboxConfig for ours, as the kubelet's generatePodSandboxConfig builds it. */
export function criSandboxConfig(config: PodSandboxConfig, logRoot: string): CriPodSandboxConfig {
  const m = config.metadata;
  const labels: Record<string, string> = {
    ...config.labels,
    [LABEL_POD_NAME]: m.name,
    [LABEL_POD_NAMESPACE]: m.namespace,
    [LABEL_POD_UID]: m.uid,
    [LABEL_CONTAINER_TYPE]: 'podsandbox',
    [LABEL_MANAGED]: 'true',
    [LABEL_HOSTNAME]: config.hostname,
  };
  if (config.singleContainer) labels[LABEL_SINGLE_CONTAINER] = 'true';
  return {
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, attempt: m.attempt },
    // As the kubelet's generatePodSandboxConfig: no hostname for a hostNetwork pod (it has the
    // node's UTS namespace; runc refuses to set a hostname without a private one).
    hostname: config.hostNetwork ? '' : config.hostname,
    log_directory: podLogDirectory(logRoot, m),
    dns_config: config.dns ? { servers: config.dns.servers ?? [], searches: config.dns.searches ?? [], options: config.dns.options ?? [] } : null,
    port_mappings: (config.portMappings ?? []).map((p) => ({
      protocol: p.protocol ?? 'TCP',
      container_port: p.containerPort,
      host_port: p.hostPort ?? 0,
      host_ip: p.hostIP ?? '',
    })),
    labels,
    annotations: { ...config.annotations },
    linux: {
      cgroup_parent: config.cgroupParent ?? '',
      security_context: {
        namespace_options: {
          network: config.hostNetwork ? 'NODE' : 'POD',
          pid: config.hostPID ? 'NODE' : 'CONTAINER',
          ipc: config.hostIPC ? 'NODE' : 'POD',
        },
      },
    },
  };
}

export class CriSandboxes {
  private readonly ctx: CriContext;
  /** The CRI config of each sandbox made here; CreateContainer sends it again (log_directory, cgroup). */
  private readonly configs = new Map<string, CriPodSandboxConfig>();

  constructor(ctx: CriContext) {
    this.ctx = ctx;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const cri = criSandboxConfig(config, this.ctx.logRoot);
    const { pod_sandbox_id: id } = await this.ctx.runtime.RunPodSandbox({ config: cri, runtime_handler: '' }, { reason: 'CreatePodSandboxError' });
    this.configs.set(id, cri);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    try {
      await this.ctx.runtime.StopPodSandbox({ pod_sandbox_id: id }, { reason: 'KillPodSandboxError' });
    } catch (err) {
      if (!isRuntimeError(err, 'NotFound')) throw err;
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    try {
      await this.ctx.runtime.RemovePodSandbox({ pod_sandbox_id: id }, { reason: 'KillPodSandboxError' });
    } catch (err) {
      if (!isRuntimeError(err, 'NotFound')) throw err;
    }
    this.configs.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const { status } = await this.ctx.runtime.PodSandboxStatus({ pod_sandbox_id: id, verbose: false });
    if (!status) throw new RuntimeError('NotFound', `no such sandbox: ${id}`);
    return this.endedIfSingle(sandboxOf(status));
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const { items } = await this.ctx.runtime.ListPodSandbox({
      filter: {
        id: filter.id ?? '',
        label_selector: { ...filter.labels, [LABEL_MANAGED]: 'true' },
      },
    });
    // A ready sandbox's IP is in its status only (the list has none): one status call each.
    const all = await Promise.all(
      items.map(async (s) => {
        if (String(s.state) !== 'SANDBOX_READY') return sandboxOf(s);
        try {
          return await this.podSandboxStatus(s.id);
        } catch (err) {
          if (isRuntimeError(err, 'NotFound')) return undefined; // removed meanwhile
          throw err;
        }
      }),
    );
    return all.filter((s): s is PodSandboxStatus => s !== undefined && (!filter.state || s.state === filter.state));
  }

  /**
   * The CRI config the sandbox was made with: CreateContainer sends it again and containerd
   * takes the log directory and the cgroup parent from it. Made here: remembered; else (after
   * a restart) from the runtime's verbose status.
   */
  async configOf(id: string): Promise<CriPodSandboxConfig> {
    const known = this.configs.get(id);
    if (known) return known;
    const res = await this.ctx.runtime.PodSandboxStatus({ pod_sandbox_id: id, verbose: true });
    const info = res.info?.info;
    let config: CriPodSandboxConfig | undefined;
    try {
      config = info ? ((JSON.parse(info) as { config?: CriPodSandboxConfig }).config ?? undefined) : undefined;
    } catch {
      config = undefined;
    }
    if (!config) {
      // Not containerd's verbose form (CRI-O): the parts containerd would need, from the status.
      const st = res.status;
      if (!st?.metadata) throw new RuntimeError('NotFound', `no such sandbox: ${id}`);
      config = { metadata: st.metadata, log_directory: podLogDirectory(this.ctx.logRoot, st.metadata), labels: st.labels, annotations: st.annotations };
    }
    this.configs.set(id, config);
    return config;
  }

  /** A singleContainer sandbox whose container has exited is not ready: stopped now. */
  private async endedIfSingle(status: PodSandboxStatus): Promise<PodSandboxStatus> {
    if (status.state !== 'ready' || status.labels[LABEL_SINGLE_CONTAINER] !== 'true') return status;
    const { containers } = await this.ctx.runtime.ListContainers({ filter: { pod_sandbox_id: status.id } });
    if (!containers.some((c) => String(c.state) === 'CONTAINER_EXITED')) return status;
    await this.stopPodSandbox(status.id);
    return { ...status, state: 'notready', ip: '' };
  }
}
