// Pod sandboxes of the FakeRuntime (RuntimeService, first half): a pod IP, the pod's loopback
// network, and the Memory volumes it keeps mounted.
import {
  ANNOTATION_LABEL_PREFIX,
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeInfo,
  type SandboxFilter,
} from '../../container-runtime.js';
import { RuntimeError } from '../../runtime-error.js';
import { labelsMatch, splitLabels, type FakeNode, type FakeSandbox } from './node.js';
import type { FakeContainers } from './containers.js';

export class FakeSandboxes {
  private readonly node: FakeNode;
  private readonly containerService: FakeContainers;

  constructor(node: FakeNode, containerService: FakeContainers) {
    this.node = node;
    this.containerService = containerService;
  }

  async info(): Promise<RuntimeInfo> {
    return {
      runtimeName: 'fake',
      runtimeVersion: '0.1.0',
      apiVersion: 'v1',
      cpus: this.node.opts.cpus ?? 4,
      memoryBytes: this.node.opts.memoryBytes ?? 8 * 1024 ** 3,
      cgroupVersion: '1',
      cgroupDriver: 'cgroupfs',
      storageDriver: 'memory',
      kernelVersion: 'fake',
      operatingSystem: 'fake',
      architecture: 'amd64',
    };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.node.record('runPodSandbox', config.metadata.name, config);
    this.node.injected('runPodSandbox', config.metadata.name);
    for (const v of config.volumes ?? []) {
      if (!this.node.volumes.has(v)) throw new RuntimeError('CreatePodSandboxError', `volume "${v}" not found`);
    }
    const id = this.node.newId();
    const labels: Record<string, string> = {
      ...config.labels,
      ...Object.fromEntries(Object.entries(config.annotations ?? {}).map(([k, v]) => [ANNOTATION_LABEL_PREFIX + k, v])),
      [LABEL_POD_NAME]: config.metadata.name,
      [LABEL_POD_NAMESPACE]: config.metadata.namespace,
      [LABEL_POD_UID]: config.metadata.uid,
      [LABEL_CONTAINER_TYPE]: 'podsandbox',
      [LABEL_MANAGED]: 'true',
    };
    const sandbox: FakeSandbox = {
      id,
      config,
      state: 'ready',
      createdAt: this.node.clock.now(),
      ip: config.hostNetwork ? '' : `10.88.0.${this.node.nextIP++}`,
      labels,
      listeners: new Map(),
    };
    this.node.sandboxes.set(id, sandbox);
    for (const v of config.volumes ?? []) this.node.volumes.get(v)!.mountedBy.add(id);
    this.node.emit('created', id, 'podsandbox', labels);
    this.node.emit('started', id, 'podsandbox', labels);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.node.record('stopPodSandbox', id);
    this.node.injected('stopPodSandbox', id);
    const s = this.node.sandboxes.get(id);
    if (!s) return;
    for (const c of this.node.containers.values()) {
      if (c.sandboxId === id && c.state === 'running') this.node.finish(c, 137, false);
    }
    if (s.state === 'ready') {
      s.state = 'notready';
      s.ip = '';
      s.listeners.clear();
      this.node.unmountAll(id);
      this.node.emit('exited', id, 'podsandbox', s.labels, 137);
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    this.node.record('removePodSandbox', id);
    this.node.injected('removePodSandbox', id);
    const s = this.node.sandboxes.get(id);
    if (!s) return;
    for (const c of [...this.node.containers.values()]) if (c.sandboxId === id) await this.containerService.removeContainer(c.id);
    if (s.state === 'ready') await this.stopPodSandbox(id);
    this.node.sandboxes.delete(id);
    this.node.emit('removed', id, 'podsandbox', s.labels);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const s = this.node.sandboxes.get(id);
    if (!s) throw new RuntimeError('NotFound', `no such sandbox: ${id}`);
    return this.sandboxStatus(s);
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    return [...this.node.sandboxes.values()]
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && labelsMatch(s.labels, filter.labels))
      .map((s) => this.sandboxStatus(s));
  }

  private sandboxStatus(s: FakeSandbox): PodSandboxStatus {
    const { labels, annotations } = splitLabels(s.labels);
    return { id: s.id, metadata: { ...s.config.metadata }, state: s.state, createdAt: s.createdAt, ip: s.ip, hostname: s.config.hostname, labels, annotations };
  }
}
