// What a pod sandbox is on the engine, shared by the two ways of making one: a pause container
// (sandboxes.ts) and a pod's single container that is its own sandbox (inline-sandboxes.ts).
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import {
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type PodSandboxConfig,
  type PodSandboxStatus,
} from '../container-runtime.js';
import { withAnnotations } from './engine.js';
import { ipOf, splitLabels, type Inspect } from './status.js';

/** The labels of a sandbox: the pod's, the kubelet's, and its annotations. */
export function sandboxLabels(config: PodSandboxConfig): Record<string, string> {
  const m = config.metadata;
  return withAnnotations(
    {
      ...config.labels,
      [LABEL_POD_NAME]: m.name,
      [LABEL_POD_NAMESPACE]: m.namespace,
      [LABEL_POD_UID]: m.uid,
      [LABEL_CONTAINER_TYPE]: 'podsandbox',
      [LABEL_MANAGED]: 'true',
    },
    config.annotations,
  );
}

/** The network side of a sandbox: network or the host's, hostname, DNS, published ports, host namespaces, the pod's cgroup. */
export function podNetworkSettings(config: PodSandboxConfig, network: string): { hostConfig: Docker.HostConfig; exposedPorts: Record<string, object>; hostname?: string } {
  const exposedPorts: Record<string, object> = {};
  const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
  for (const p of config.portMappings ?? []) {
    const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
    exposedPorts[key] = {};
    if (p.hostPort) (bindings[key] ??= []).push({ HostIp: p.hostIP ?? '', HostPort: String(p.hostPort) });
  }
  const hostConfig: Docker.HostConfig = { NetworkMode: config.hostNetwork ? 'host' : network, PortBindings: bindings };
  if (config.hostIPC) hostConfig.IpcMode = 'host';
  if (config.hostPID) hostConfig.PidMode = 'host';
  if (config.cgroupParent) hostConfig.CgroupParent = config.cgroupParent;
  if (config.hostNetwork) return { hostConfig, exposedPorts };
  if (config.dns?.servers?.length) hostConfig.Dns = config.dns.servers;
  if (config.dns?.searches?.length) hostConfig.DnsSearch = config.dns.searches;
  if (config.dns?.options?.length) hostConfig.DnsOptions = config.dns.options;
  return { hostConfig, exposedPorts, hostname: config.hostname };
}

// ---------------------------------------------------------------------------------------------
// Sandboxes without a pause container

/**
 * On the container of a single-container sandbox: the sandbox's config as JSON, so that an agent
 * restarted finds the sandbox again from the engine alone.
 */
export const LABEL_INLINE_SANDBOX = 'jobyard.io/inline-sandbox';
const INLINE_ID_PREFIX = 'inline-';

export function isInlineSandboxId(id: string): boolean {
  return id.startsWith(INLINE_ID_PREFIX);
}

/**
 * Sandboxes whose pod's one container is the sandbox (PodSandboxConfig.singleContainer): a pod
 * then costs the engine one container lifecycle instead of two (a pause container and its
 * network sandbox, then the app container joining it). Until that container exists the sandbox
 * is only here, in memory (an agent restarted before then makes a new one); afterwards the
 * container's labels carry it.
 */
export class InlineSandboxes {
  /** `container`: a container was made for it (until then its status needs no engine call). */
  private readonly known = new Map<string, { config: PodSandboxConfig; createdAt: Date; container: boolean }>();

  create(config: PodSandboxConfig): string {
    const id = INLINE_ID_PREFIX + randomBytes(16).toString('hex');
    this.known.set(id, { config: structuredClone(config), createdAt: new Date(), container: false });
    return id;
  }

  config(id: string): PodSandboxConfig | undefined {
    return this.known.get(id)?.config;
  }

  containerCreated(id: string): void {
    const k = this.known.get(id);
    if (k) k.container = true;
  }

  /** The status of a sandbox known to have no container yet, without asking the engine. */
  statusWithoutContainer(id: string): PodSandboxStatus | undefined {
    const k = this.known.get(id);
    return k && !k.container ? inlineSandboxStatus(id, k.config, k.createdAt) : undefined;
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  /** A container of an inline sandbox as listed: its sandbox id and config (learnt again after a restart). */
  fromContainer(labels: Record<string, string> | undefined, sandboxId: string): PodSandboxConfig | undefined {
    const seen = this.known.get(sandboxId);
    if (seen) return seen.config;
    const json = labels?.[LABEL_INLINE_SANDBOX];
    if (!json) return undefined;
    let config: PodSandboxConfig;
    try {
      config = JSON.parse(json) as PodSandboxConfig;
    } catch {
      return undefined;
    }
    this.known.set(sandboxId, { config, createdAt: new Date(), container: true });
    return config;
  }

  /** The labels an inline sandbox's container carries beside its own: the sandbox's (without the type), and the sandbox's config. */
  containerLabels(config: PodSandboxConfig): Record<string, string> {
    const m = config.metadata;
    return {
      ...config.labels,
      [LABEL_POD_NAME]: m.name,
      [LABEL_POD_NAMESPACE]: m.namespace,
      [LABEL_POD_UID]: m.uid,
      [LABEL_INLINE_SANDBOX]: JSON.stringify(config),
    };
  }

  /** Known sandboxes that have no container yet (the caller says which have one). */
  withoutContainer(has: ReadonlySet<string>): { id: string; status: PodSandboxStatus }[] {
    const out: { id: string; status: PodSandboxStatus }[] = [];
    for (const [id, k] of this.known) if (!has.has(id)) out.push({ id, status: inlineSandboxStatus(id, k.config, k.createdAt) });
    return out;
  }

  status(id: string, container?: Inspect): PodSandboxStatus | undefined {
    const k = this.known.get(id);
    const config = k?.config ?? (container ? this.fromContainer(container.Config.Labels, id) : undefined);
    if (!config) return undefined;
    return inlineSandboxStatus(id, config, k?.createdAt ?? new Date(), container);
  }
}

/**
 * An inline sandbox is ready until its container ran and exited (or failed to start), and has
 * the container's IP while it runs; without a container yet it is ready, with no IP.
 */
function inlineSandboxStatus(id: string, config: PodSandboxConfig, createdAt: Date, container?: Inspect): PodSandboxStatus {
  const { labels, annotations } = splitLabels(sandboxLabels(config));
  let state: PodSandboxStatus['state'] = 'ready';
  let ip = '';
  let hostname = config.hostNetwork ? '' : config.hostname;
  if (container) {
    const st = container.State;
    if (st.Running) ip = config.hostNetwork ? '' : ipOf(container);
    else if (st.Status !== 'created' || st.ExitCode !== 0) state = 'notready';
    hostname = container.Config.Hostname;
    createdAt = new Date(container.Created);
  }
  return { id, metadata: { ...config.metadata }, state, createdAt, ip, hostname, labels, annotations };
}
