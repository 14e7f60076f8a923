// Pod sandboxes on the engine (RuntimeService, first half): a pause container per pod that
// holds its network and IPC namespaces, hostname, DNS, published ports and Memory volumes; or,
// for a pod whose one container needs nothing shared (PodSandboxConfig.singleContainer), that
// container itself (sandbox-config.ts: InlineSandboxes).
import type Docker from 'dockerode';
import {
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_SANDBOX_ID,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type SandboxFilter,
} from '../container-runtime.js';
import { RuntimeError } from '../runtime-error.js';
import type { DockerContainers } from './containers.js';
import { labelFilters, type DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';
import type { DockerImages } from './images.js';
import { InlineSandboxes, isInlineSandboxId, LABEL_INLINE_SANDBOX, podNetworkSettings, sandboxLabels } from './sandbox-config.js';
import { sandboxStatusOf, stoppedSandboxOfListed } from './status.js';
import { SANDBOX_VOLUME_ROOT } from './volumes.js';

export class DockerSandboxes {
  private readonly engine: DockerEngine;
  private readonly images: DockerImages;
  private readonly containers: DockerContainers;
  private readonly inline: InlineSandboxes;
  private readonly network: string;

  constructor(engine: DockerEngine, images: DockerImages, containers: DockerContainers, inline: InlineSandboxes, network: string) {
    this.engine = engine;
    this.images = images;
    this.containers = containers;
    this.inline = inline;
    this.network = network;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    // Volumes kept by the sandbox need a container that outlives the pod's: a pause container then.
    if (config.singleContainer && !config.volumes?.length) return this.inline.create(config);
    await this.images.ensurePauseImage();
    const m = config.metadata;
    const net = podNetworkSettings(config, this.network);
    const hostConfig: Docker.HostConfig = {
      ...net.hostConfig,
      // hostIPC/hostPID: the sandbox holds the node's namespaces and its containers join them.
      IpcMode: config.hostIPC ? 'host' : 'shareable',
      RestartPolicy: { Name: 'no' },
      Mounts: (config.volumes ?? []).map((v) => ({ Type: 'volume' as const, Source: v, Target: `${SANDBOX_VOLUME_ROOT}/${v}` })),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    };
    if (config.pidsLimit && config.pidsLimit > 0) hostConfig.PidsLimit = config.pidsLimit;
    const body: Docker.ContainerCreateOptions = {
      name: `k8s_POD_${m.name}_${m.namespace}_${m.uid}_${m.attempt}`,
      Image: this.images.pauseImage,
      Labels: sandboxLabels(config),
      ExposedPorts: net.exposedPorts,
      HostConfig: hostConfig,
    };
    if (net.hostname !== undefined) body.Hostname = net.hostname;
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
    if (isInlineSandboxId(id)) return;
    // Stopping the container that owns the network namespace destroys its network sandbox.
    await this.engine.networkSandbox('destroy', id, () => this.stopQuietly(id, 0));
  }

  async removePodSandbox(id: string): Promise<void> {
    const members = await this.sandboxMembers(id);
    for (const c of members) await this.containers.removeContainer(c.Id);
    if (isInlineSandboxId(id)) {
      this.inline.forget(id);
      return;
    }
    try {
      await this.engine.networkSandbox('destroy', id, () => this.engine.docker.getContainer(id).remove({ force: true }));
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'KillPodSandboxError', `failed to remove sandbox ${id}`);
    }
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    if (!isInlineSandboxId(id)) return sandboxStatusOf(await this.engine.inspect(id, 'podsandbox'));
    const early = this.inline.statusWithoutContainer(id);
    if (early) return early;
    const [newest] = await this.engine.inspectAll((await this.sandboxMembers(id)).sort((a, b) => b.Created - a.Created).slice(0, 1));
    const status = this.inline.status(id, newest);
    if (!status) throw new RuntimeError('NotFound', `no such sandbox: ${id}`);
    return status;
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const wanted = [`${LABEL_MANAGED}=true`, ...labelFilters(filter.labels)];
    const inlineOnly = filter.id !== undefined && isInlineSandboxId(filter.id);
    const [pauses, containers] = await Promise.all([
      inlineOnly ? [] : this.engine.list([`${LABEL_CONTAINER_TYPE}=podsandbox`, ...wanted], filter.id),
      filter.id !== undefined && !inlineOnly ? [] : this.engine.list([`${LABEL_CONTAINER_TYPE}=container`, ...wanted], undefined),
    ]);
    // Only running sandboxes are inspected (their IP and hostname): housekeeping lists the stopped ones of every finished pod.
    const running = await this.engine.inspectAll(pauses.filter((c) => c.State === 'running'));
    const all = [...running.map((i) => sandboxStatusOf(i)), ...pauses.filter((c) => c.State !== 'running').map(stoppedSandboxOfListed), ...(await this.inlineSandboxes(containers, filter))];
    return all.filter((s) => !filter.state || s.state === filter.state);
  }

  /** The inline sandboxes among listed containers (newest container of each), and those with no container yet. */
  private async inlineSandboxes(containers: Docker.ContainerInfo[], filter: SandboxFilter): Promise<PodSandboxStatus[]> {
    const newest = new Map<string, Docker.ContainerInfo>();
    for (const c of containers) {
      const id = c.Labels?.[LABEL_SANDBOX_ID] ?? '';
      if (!c.Labels?.[LABEL_INLINE_SANDBOX] || (filter.id !== undefined && id !== filter.id)) continue;
      const seen = newest.get(id);
      if (!seen || c.Created > seen.Created) newest.set(id, c);
    }
    const out: PodSandboxStatus[] = [];
    // Created or running: inspected (its IP, or whether its start failed); exited: not ready.
    const live = await this.engine.inspectAll([...newest.values()].filter((c) => c.State === 'running' || c.State === 'created'));
    const inspected = new Map(live.map((i) => [i.Id, i]));
    for (const [id, c] of newest) {
      const info = inspected.get(c.Id);
      const status = info ? this.inline.status(id, info) : this.inline.fromContainer(c.Labels, id) && this.inline.status(id);
      if (!status) continue;
      if (!info) Object.assign(status, { state: 'notready', createdAt: new Date(c.Created * 1000) });
      out.push(status);
    }
    const wanted = filter.labels ?? {};
    for (const { id, status } of this.inline.withoutContainer(new Set(newest.keys()))) {
      if (filter.id !== undefined && id !== filter.id) continue;
      if (Object.entries(wanted).every(([k, v]) => status.labels[k] === v)) out.push(status);
    }
    return out;
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
