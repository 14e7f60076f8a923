// Pod sandboxes on the engine (RuntimeService, first half): a pause container per pod that
// holds its network and IPC namespaces, hostname, DNS, published ports and Memory volumes.
import type Docker from 'dockerode';
import {
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_SANDBOX_ID,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type SandboxFilter,
} from '../container-runtime.js';
import type { DockerContainers } from './containers.js';
import { labelFilters, withAnnotations, type DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';
import type { DockerImages } from './images.js';
import { sandboxStatusOf, stoppedSandboxOfListed } from './status.js';
import { SANDBOX_VOLUME_ROOT } from './volumes.js';

export class DockerSandboxes {
  private readonly engine: DockerEngine;
  private readonly images: DockerImages;
  private readonly containers: DockerContainers;
  private readonly network: string;

  constructor(engine: DockerEngine, images: DockerImages, containers: DockerContainers, network: string) {
    this.engine = engine;
    this.images = images;
    this.containers = containers;
    this.network = network;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    await this.images.ensurePauseImage();
    const m = config.metadata;
    const labels = withAnnotations(
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
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
    for (const p of config.portMappings ?? []) {
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      if (p.hostPort) (bindings[key] ??= []).push({ HostIp: p.hostIP ?? '', HostPort: String(p.hostPort) });
    }
    const hostConfig: Docker.HostConfig = {
      NetworkMode: config.hostNetwork ? 'host' : this.network,
      // hostIPC/hostPID: the sandbox holds the node's namespaces and its containers join them.
      IpcMode: config.hostIPC ? 'host' : 'shareable',
      ...(config.hostPID ? { PidMode: 'host' } : {}),
      RestartPolicy: { Name: 'no' },
      PortBindings: bindings,
      Mounts: (config.volumes ?? []).map((v) => ({ Type: 'volume' as const, Source: v, Target: `${SANDBOX_VOLUME_ROOT}/${v}` })),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    };
    if (config.pidsLimit && config.pidsLimit > 0) hostConfig.PidsLimit = config.pidsLimit;
    if (config.cgroupParent) hostConfig.CgroupParent = config.cgroupParent;
    if (!config.hostNetwork) {
      if (config.dns?.servers?.length) hostConfig.Dns = config.dns.servers;
      if (config.dns?.searches?.length) hostConfig.DnsSearch = config.dns.searches;
      if (config.dns?.options?.length) hostConfig.DnsOptions = config.dns.options;
    }
    const body: Docker.ContainerCreateOptions = {
      name: `k8s_POD_${m.name}_${m.namespace}_${m.uid}_${m.attempt}`,
      Image: this.images.pauseImage,
      Labels: labels,
      ExposedPorts: exposed,
      HostConfig: hostConfig,
    };
    if (!config.hostNetwork) body.Hostname = config.hostname;
    let id: string;
    try {
      id = (await this.engine.createWithUniqueName(body)).id;
    } catch (err) {
      throw toRuntimeError(err, 'CreatePodSandboxError', `failed to create a sandbox for pod "${m.name}"`);
    }
    try {
      // Starting it creates its network sandbox (libnetwork's SetKey): never while one is destroyed.
      await this.engine.networkSandbox('create', id, () => this.engine.docker.getContainer(id).start());
    } catch (err) {
      await this.engine.networkSandbox('destroy', id, () => this.engine.docker.getContainer(id).remove({ force: true })).catch(() => undefined);
      throw toRuntimeError(err, 'CreatePodSandboxError', `failed to start the sandbox of pod "${m.name}"`);
    }
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const members = await this.sandboxMembers(id);
    await Promise.all(members.filter((c) => c.State === 'running').map((c) => this.stopQuietly(c.Id, 0)));
    // Stopping the container that owns the network namespace destroys its network sandbox.
    await this.engine.networkSandbox('destroy', id, () => this.stopQuietly(id, 0));
  }

  async removePodSandbox(id: string): Promise<void> {
    const members = await this.sandboxMembers(id);
    for (const c of members) await this.containers.removeContainer(c.Id);
    try {
      await this.engine.networkSandbox('destroy', id, () => this.engine.docker.getContainer(id).remove({ force: true }));
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'KillPodSandboxError', `failed to remove sandbox ${id}`);
    }
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const info = await this.engine.inspect(id, 'podsandbox');
    return sandboxStatusOf(info);
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const listed = await this.engine.list([`${LABEL_CONTAINER_TYPE}=podsandbox`, `${LABEL_MANAGED}=true`, ...labelFilters(filter.labels)], filter.id);
    // Only running sandboxes are inspected (their IP and hostname): housekeeping lists the stopped ones of every finished pod.
    const running = await this.engine.inspectAll(listed.filter((c) => c.State === 'running'));
    const all = [...running.map((i) => sandboxStatusOf(i)), ...listed.filter((c) => c.State !== 'running').map(stoppedSandboxOfListed)];
    return all.filter((s) => !filter.state || s.state === filter.state);
  }

  private async sandboxMembers(sandboxId: string): Promise<Docker.ContainerInfo[]> {
    try {
      return await this.engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX_ID}=${sandboxId}`] } });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list containers');
    }
  }

  private async stopQuietly(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.engine.docker.getContainer(id).stop({ t: graceSeconds });
    } catch (err) {
      if (isStatus(err, 304) || isStatus(err, 404)) return;
      throw toRuntimeError(err, 'KillPodSandboxError', `failed to stop ${id}`);
    }
  }
}
