// Containers on the engine (RuntimeService, second half): created in their sandbox's
// namespaces and cgroup, started, stopped, removed, inspected, waited for, and their
// lifecycle events; also the engine's own facts (info).
import type Docker from 'dockerode';
import { AsyncQueue } from '../async-queue.js';
import {
  LABEL_CONTAINER_NAME,
  LABEL_CONTAINER_TYPE,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_SANDBOX_ID,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventType,
  type ContainerFilter,
  type ContainerStatus,
  type ContainerSummary,
  type EventsOptions,
  type RuntimeInfo,
} from '../container-runtime.js';
import { mergeEnv, resolveCommand } from '../resolve-command.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import { labelFilters, unixNanos, withAnnotations, type DockerEngine } from './engine.js';
import { engineFailure, isStatus, toRuntimeError } from './engine-errors.js';
import type { DockerImages } from './images.js';
import { InlineSandboxes, isInlineSandboxId, LABEL_INLINE_SANDBOX, podNetworkSettings } from './sandbox-config.js';
import { splitLabels, summaryOfListed, type Inspect } from './status.js';
import type { DockerVolumes } from './volumes.js';

/** Attributes of Docker events that are not container labels. */
const EVENT_ATTRIBUTES = new Set(['name', 'image', 'exitCode', 'signal', 'execDuration']);

interface DockerEvent {
  status?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export class DockerContainers {
  private readonly engine: DockerEngine;
  private readonly images: DockerImages;
  private readonly volumes: DockerVolumes;
  private readonly inline: InlineSandboxes;
  private readonly network: string;
  /** Containers created here and not started yet: whether each is an inline sandbox's. */
  private readonly unstarted = new Map<string, boolean>();

  constructor(engine: DockerEngine, images: DockerImages, volumes: DockerVolumes, inline: InlineSandboxes, network: string) {
    this.engine = engine;
    this.images = images;
    this.volumes = volumes;
    this.inline = inline;
    this.network = network;
  }

  async info(): Promise<RuntimeInfo> {
    try {
      const [info, version] = await Promise.all([this.engine.docker.info(), this.engine.docker.version()]);
      return {
        runtimeName: 'docker',
        runtimeVersion: String(version.Version),
        apiVersion: String(version.ApiVersion),
        cpus: Number(info.NCPU),
        memoryBytes: Number(info.MemTotal),
        cgroupVersion: String(info.CgroupVersion ?? '1') === '2' ? '2' : '1',
        cgroupDriver: String(info.CgroupDriver ?? ''),
        storageDriver: String(info.Driver ?? ''),
        kernelVersion: String(info.KernelVersion ?? ''),
        operatingSystem: String(info.OperatingSystem ?? ''),
        architecture: String(info.Architecture ?? ''),
      };
    } catch (err) {
      throw toRuntimeError(err, 'RuntimeUnavailable', 'docker info');
    }
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const inline = isInlineSandboxId(sandboxId);
    const inlineConfig = inline ? this.inline.config(sandboxId) : undefined;
    if (inline && !inlineConfig) throw new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`);
    // The sandbox and the image are read at once (two engine calls, one round trip).
    const [sandboxRead, imageRead] = await Promise.allSettled([inline ? undefined : this.engine.inspect(sandboxId, 'podsandbox'), this.images.imageStatus(config.image)]);
    if (sandboxRead.status === 'rejected') {
      const err: unknown = sandboxRead.reason;
      throw isRuntimeError(err, 'NotFound') ? new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`) : err;
    }
    const sandbox: Inspect | undefined = sandboxRead.value;
    if (sandbox && !sandbox.State.Running) throw new RuntimeError('CreateContainerError', `cannot join network of a non running sandbox ${sandboxId}`);
    if (imageRead.status === 'rejected') throw imageRead.reason;
    const image = imageRead.value;
    if (!image) throw new RuntimeError('CreateContainerError', `No such image: ${config.image}`);
    const argv = resolveCommand(image.config, config.command, config.args);
    const { labels: sandboxLabels } = splitLabels(sandbox?.Config.Labels);
    const podName = inlineConfig?.metadata.name ?? sandboxLabels[LABEL_POD_NAME] ?? '';
    const namespace = inlineConfig?.metadata.namespace ?? sandboxLabels[LABEL_POD_NAMESPACE] ?? '';
    const uid = inlineConfig?.metadata.uid ?? sandboxLabels[LABEL_POD_UID] ?? '';
    const labels = withAnnotations(
      {
        ...(inlineConfig ? this.inline.containerLabels(inlineConfig) : {}),
        ...config.labels,
        [LABEL_POD_NAME]: podName,
        [LABEL_POD_NAMESPACE]: namespace,
        [LABEL_POD_UID]: uid,
        [LABEL_CONTAINER_NAME]: config.metadata.name,
        [LABEL_CONTAINER_TYPE]: 'container',
        [LABEL_SANDBOX_ID]: sandboxId,
        [LABEL_MANAGED]: 'true',
      },
      config.annotations,
    );
    const binds: string[] = [];
    const mounts: Docker.MountSettings[] = [];
    for (const m of config.mounts ?? []) {
      if (m.type === 'bind') binds.push(`${m.source}:${m.target}:${m.readOnly ? 'ro' : 'rw'}${m.propagation ? ',' + m.propagation : ''}`);
      else if (m.type === 'volume' && m.subPath) {
        // Engines before API 1.45 cannot mount part of a volume: bind its directory instead.
        const base = await this.volumes.volumeMountpoint(m.source);
        binds.push(`${base}/${m.subPath.replace(/^\/+/, '')}:${m.target}:${m.readOnly ? 'ro' : 'rw'}`);
      } else if (m.type === 'volume') mounts.push({ Type: 'volume', Source: m.source, Target: m.target, ReadOnly: !!m.readOnly });
      else {
        const tmpfs: { SizeBytes?: number; Mode?: number } = {};
        if (m.sizeBytes !== undefined) tmpfs.SizeBytes = m.sizeBytes;
        if (m.mode !== undefined) tmpfs.Mode = m.mode;
        mounts.push({ Type: 'tmpfs', Source: '', Target: m.target, TmpfsOptions: tmpfs as { SizeBytes: number; Mode: number } });
      }
    }
    const r = config.resources ?? {};
    const sec = config.security ?? {};
    // In a pause container's namespaces and cgroup parent (the pod's cgroup, as in CRI), or
    // the sandbox's network, hostname and cgroup of its own when it is the sandbox.
    const net = inlineConfig ? podNetworkSettings(inlineConfig, this.network) : undefined;
    const hostConfig: Docker.HostConfig = {
      ...(net ? net.hostConfig : { NetworkMode: `container:${sandboxId}`, IpcMode: `container:${sandboxId}` }),
      RestartPolicy: { Name: 'no' },
      Binds: binds,
      Mounts: mounts,
      // The kubelet's log rotation defaults (containerLogMaxSize 10Mi, containerLogMaxFiles 5).
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } },
    };
    if (sandbox) {
      if (sandbox.HostConfig.PidMode === 'host') hostConfig.PidMode = 'host';
      else if (config.sharePidNamespace) hostConfig.PidMode = `container:${sandboxId}`;
      if (sandbox.HostConfig.CgroupParent) hostConfig.CgroupParent = sandbox.HostConfig.CgroupParent;
    }
    if (r.memoryLimitBytes) {
      hostConfig.Memory = r.memoryLimitBytes;
      hostConfig.MemorySwap = r.memoryLimitBytes; // no swap beyond the limit
    }
    if (r.cpuShares) hostConfig.CpuShares = r.cpuShares;
    if (r.cpuQuota) hostConfig.CpuQuota = r.cpuQuota;
    if (r.cpuPeriod) hostConfig.CpuPeriod = r.cpuPeriod;
    if (r.oomScoreAdj !== undefined) hostConfig.OomScoreAdj = r.oomScoreAdj;
    // Docker reads 0 and -1 as "no limit": only a positive value is passed.
    if (r.pidsLimit && r.pidsLimit > 0) hostConfig.PidsLimit = r.pidsLimit;
    if (sec.privileged) hostConfig.Privileged = true;
    if (sec.readOnlyRootFilesystem) hostConfig.ReadonlyRootfs = true;
    if (sec.capabilitiesAdd?.length) hostConfig.CapAdd = sec.capabilitiesAdd;
    if (sec.capabilitiesDrop?.length) hostConfig.CapDrop = sec.capabilitiesDrop;
    const body: Docker.ContainerCreateOptions = {
      name: `k8s_${config.metadata.name}_${podName}_${namespace}_${uid}_${config.metadata.attempt}`,
      Image: config.image,
      Entrypoint: argv,
      Cmd: [],
      Env: mergeEnv(image.config.env, config.env).map((e) => `${e.name}=${e.value}`),
      Tty: !!config.tty,
      OpenStdin: !!config.stdin,
      StdinOnce: !!config.stdinOnce,
      AttachStdin: !!config.stdin,
      Labels: labels,
      HostConfig: hostConfig,
    };
    if (net) {
      body.ExposedPorts = net.exposedPorts;
      if (net.hostname !== undefined) body.Hostname = net.hostname;
    }
    if (config.workingDir) body.WorkingDir = config.workingDir;
    if (sec.runAsUser !== undefined) body.User = sec.runAsGroup !== undefined ? `${sec.runAsUser}:${sec.runAsGroup}` : String(sec.runAsUser);
    try {
      const id = (await this.engine.createWithUniqueName(body)).id;
      if (inline) this.inline.containerCreated(sandboxId);
      this.unstarted.set(id, inline);
      return id;
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerError', `failed to create container "${config.metadata.name}"`);
    }
  }

  async startContainer(id: string): Promise<void> {
    // A container this runtime just created is known to be in created state: no inspect first.
    let inline = this.unstarted.get(id);
    this.unstarted.delete(id);
    if (inline === undefined) {
      const info = await this.engine.inspect(id, 'container');
      if (info.State.Status !== 'created' || info.State.ExitCode !== 0) {
        throw new RuntimeError('RunContainerError', `container ${id} is not in created state`);
      }
      inline = !!info.Config.Labels?.[LABEL_INLINE_SANDBOX];
    }
    try {
      const start = () => this.engine.docker.getContainer(id).start();
      // The container of an inline sandbox creates its network sandbox as it starts (sandboxes.ts).
      await (inline ? this.engine.networkSandbox('create', id, start) : start());
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'RunContainerError', 'failed to start container');
    }
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.engine.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)) });
    } catch (err) {
      if (isStatus(err, 304)) return;
      throw toRuntimeError(err, 'Unknown', `failed to stop container ${id}`);
    }
  }

  async removeContainer(id: string): Promise<void> {
    this.engine.oomKilled.delete(id);
    this.unstarted.delete(id);
    try {
      await this.engine.docker.getContainer(id).remove({ force: true });
    } catch (err) {
      if (isStatus(err, 404)) return;
      // "removal of container ... is already in progress"
      if (isStatus(err, 409) && /already in progress/.test(engineFailure(err).message)) return;
      throw toRuntimeError(err, 'Unknown', `failed to remove container ${id}`);
    }
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.engine.statusOf(await this.engine.inspect(id, 'container'));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
    const labels = [`${LABEL_CONTAINER_TYPE}=container`, `${LABEL_MANAGED}=true`, ...labelFilters(filter.labels)];
    if (filter.sandboxId) labels.push(`${LABEL_SANDBOX_ID}=${filter.sandboxId}`);
    // The list alone (one engine call): the log collectors and housekeeping list every container of the node.
    const out = (await this.engine.list(labels, filter.id)).map(summaryOfListed).filter((s) => !filter.state || s.state === filter.state);
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.metadata.attempt - b.metadata.attempt);
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    const info = await this.engine.inspect(id, 'container');
    if (info.State.Running) {
      try {
        await this.engine.docker.getContainer(id).wait({ condition: 'not-running', abortSignal: signal } as object);
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        if (!isStatus(err, 404)) throw toRuntimeError(err, 'Unknown', `failed to wait for container ${id}`);
      }
    }
    return this.containerStatus(id);
  }

  events(options: EventsOptions = {}): AsyncIterable<ContainerEvent> {
    const ac = new AbortController();
    const queue = new AsyncQueue<ContainerEvent>(() => ac.abort());
    // `since` replays what happens between this call and the stream being established.
    const since = unixNanos(new Date());
    const wanted = options.labels ?? {};
    options.signal?.addEventListener('abort', () => {
      ac.abort();
      queue.end();
    });
    if (options.signal?.aborted) {
      queue.end();
      return queue;
    }
    const filters = {
      type: ['container'],
      event: ['create', 'start', 'die', 'oom', 'destroy'],
      label: [`${LABEL_MANAGED}=true`, ...labelFilters(options.labels)],
    };
    void (async () => {
      try {
        const stream = (await this.engine.docker.getEvents({ since, filters, abortSignal: ac.signal } as object)) as NodeJS.ReadableStream;
        let buf = '';
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          buf += chunk.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = this.toEvent(JSON.parse(line) as DockerEvent);
            if (ev && Object.entries(wanted).every(([k, v]) => ev.labels[k] === v)) queue.push(ev);
          }
        }
        queue.end();
      } catch (err) {
        if (ac.signal.aborted) queue.end();
        else queue.error(toRuntimeError(err, 'RuntimeUnavailable', 'docker events'));
      }
    })();
    return queue;
  }

  private toEvent(e: DockerEvent): ContainerEvent | undefined {
    const types: Record<string, ContainerEventType> = { create: 'created', start: 'started', die: 'exited', oom: 'oom', destroy: 'removed' };
    const type = types[e.Action ?? e.status ?? ''];
    if (!type || !e.Actor?.ID) return undefined;
    const attrs = e.Actor.Attributes ?? {};
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrs)) if (!EVENT_ATTRIBUTES.has(k)) labels[k] = v;
    const ev: ContainerEvent = {
      type,
      id: e.Actor.ID,
      containerType: labels[LABEL_CONTAINER_TYPE] === 'podsandbox' ? 'podsandbox' : 'container',
      labels,
      time: e.timeNano ? new Date(Math.floor(e.timeNano / 1e6)) : new Date((e.time ?? 0) * 1000),
    };
    if (type === 'exited' && attrs.exitCode !== undefined) ev.exitCode = Number(attrs.exitCode);
    if (type === 'oom' && ev.containerType === 'container') this.engine.oomKilled.add(ev.id);
    if (type === 'removed') this.engine.oomKilled.delete(ev.id);
    return ev;
  }
}
