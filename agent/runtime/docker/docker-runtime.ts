// DockerRuntime: the ContainerRuntime on the Docker Engine API (dockerode), the one module of
// jobyard that talks to the engine. Works against DOCKER_HOST or /var/run/docker.sock
// (Podman's Docker-compatible socket too).
//
// How it maps the pod model onto Docker, as the kubelet's dockershim did:
// - a sandbox is a pause container (jobyard/pause:latest, built in-process from a static
//   busybox when missing) on the `bridge` network, with the pod hostname, DNS, published
//   ports, `IpcMode: shareable`, and the pod's runtime volumes mounted under
//   /jobyard/volumes/<name> so their tmpfs lives as long as the pod;
// - containers join it with `NetworkMode/IpcMode: container:<sandbox>` (one network
//   namespace: localhost is shared, the hostname is the pod's);
// - names are dockershim's `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` (sandbox:
//   `k8s_POD_...`), labels the kubelet's (io.kubernetes.*), annotations stored as
//   `annotation.<key>` labels;
// - logs use the json-file driver with the kubelet's rotation defaults (10Mi × 5);
// - files inside containers are read through the archive API (`GET/HEAD
//   /containers/{id}/archive`), which works for running and exited containers alike, for
//   local and remote engines, without root on the host. Cost: a wildcard search streams the
//   directory it starts from, and a read streams the file up to the requested range.
//   `containerLogInfo` gives the json-file LogPath, the overlay2 UpperDir and mount sources,
//   so the log collectors on a local engine read host files directly (O(new bytes) tailing).
// Engine facts this relies on (Docker 20.10, cgroup v1): an OOM kill sets State.OOMKilled
// (also when only a child process was killed; the exit code is then the main process's),
// but only when containerd's OOM event reached dockerd before the exit event. The two race,
// so the runtime also remembers the `oom` events it passes on (see `oomKilled`);
// a failed start leaves Status "created" with ExitCode 127 and State.Error set.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { PassThrough, Readable, type Writable } from 'node:stream';
import Docker from 'dockerode';
import { AsyncQueue } from '../async-queue.js';
import {
  ANNOTATION_LABEL_PREFIX,
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
  type ContainerExitReason,
  type ContainerFilter,
  type ContainerLogInfo,
  type ContainerRuntime,
  type ContainerState,
  type ContainerStatus,
  type ContainerSummary,
  type ContainerType,
  type EventsOptions,
  type ExecOptions,
  type ExecResult,
  type ExecSession,
  type FileInfo,
  type ImageConfig,
  type ImageStatus,
  type ImageSummary,
  type LogLine,
  type LogOptions,
  type Mount,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type ReadFileOptions,
  type RegistryAuth,
  type RuntimeInfo,
  type SandboxFilter,
  type VolumeConfig,
  type VolumeFile,
  type VolumeStatus,
} from '../container-runtime.js';
import { parseImageReference } from '../image-reference.js';
import { DockerLogParser, FrameDemuxer, LogLineFilter } from '../log-lines.js';
import { globBase, hasGlob, matchPathGlob } from '../path-glob.js';
import { mergeEnv, resolveCommand } from '../resolve-command.js';
import { RuntimeError, isRuntimeError, secretsOf } from '../runtime-error.js';
import { buildTar, TarReader, type TarEntry } from '../tar.js';
import { engineFailure, isStatus, toRuntimeError } from './engine-errors.js';
import { busyboxRootfs, DEFAULT_PAUSE_IMAGE, findStaticBusybox, pauseImageChanges, STATIC_BUSYBOX_CANDIDATES } from './pause-image.js';

export interface DockerRuntimeOptions {
  /** A dockerode client, or its options; default: DOCKER_HOST or /var/run/docker.sock. */
  docker?: Docker | Docker.DockerOptions;
  /** Image of pod sandboxes; built from a static busybox when missing. */
  pauseImage?: string;
  /** Where to look for a static busybox to build the pause image from. */
  staticBusyboxPaths?: string[];
  /** Network of pod sandboxes (default "bridge"). */
  network?: string;
}

/** Where a sandbox mounts the pod's runtime volumes. */
export const SANDBOX_VOLUME_ROOT = '/jobyard/volumes';
const LABEL_VOLUME_MEDIUM = 'jobyard.io/medium';
const LABEL_VOLUME_SIZE = 'jobyard.io/size-limit-bytes';
const ZERO_TIME = '0001-01-01T00:00:00Z';
/** Attributes of Docker events that are not container labels. */
const EVENT_ATTRIBUTES = new Set(['name', 'image', 'exitCode', 'signal', 'execDuration']);

type Inspect = Docker.ContainerInspectInfo;

function labelFilters(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

function parseTime(s: string | undefined): Date | undefined {
  if (!s || s.startsWith('0001-01-01')) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function splitLabels(all: Record<string, string> | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(all ?? {})) {
    if (k.startsWith(ANNOTATION_LABEL_PREFIX)) annotations[k.slice(ANNOTATION_LABEL_PREFIX.length)] = v;
    else labels[k] = v;
  }
  return { labels, annotations };
}

function withAnnotations(labels: Record<string, string>, annotations: Record<string, string> | undefined): Record<string, string> {
  const out = { ...labels };
  for (const [k, v] of Object.entries(annotations ?? {})) out[ANNOTATION_LABEL_PREFIX + k] = v;
  return out;
}

/** `k8s_<a>_<b>_<c>_<d>_<attempt>[_<suffix>]` → attempt. */
function attemptFromName(name: string): number {
  const parts = name.replace(/^\//, '').split('_');
  const n = Number(parts[5]);
  return Number.isInteger(n) ? n : 0;
}

/** "1700000000.123456789" as the engine's `since` parameters take it. */
function unixNanos(d: Date): string {
  const ms = d.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

function toDockerAuth(auth: RegistryAuth | undefined, serverAddress: string): Record<string, string> | undefined {
  if (!auth) return undefined;
  const out: Record<string, string> = { serveraddress: auth.serverAddress ?? serverAddress };
  let { username, password } = auth;
  if (username === undefined && auth.auth) {
    const d = Buffer.from(auth.auth, 'base64').toString('utf8');
    const i = d.indexOf(':');
    if (i > 0) {
      username = d.slice(0, i);
      password = d.slice(i + 1);
    }
  }
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (auth.identityToken) out.identitytoken = auth.identityToken;
  if (auth.registryToken) out.registrytoken = auth.registryToken;
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Reads a JSON-lines progress stream (pull, push, import); throws the first error it reports. */
async function followProgress(stream: NodeJS.ReadableStream): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let buf = '';
  const handle = (line: string) => {
    if (line.trim() === '') return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    out.push(msg);
    if (msg.error !== undefined || msg.errorDetail !== undefined) {
      const detail = msg.errorDetail as { message?: string } | undefined;
      throw new Error(String(msg.error ?? detail?.message ?? 'unknown error'));
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      handle(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  handle(buf);
  return out;
}

/**
 * The streams of a hijacked exec or attach connection: raw with a tty, else Docker's frames
 * split into stdout and stderr. Ending stdin half-closes the connection (the engine then
 * closes the process's stdin); output ends when the connection does.
 */
function hijackedSession(socket: Socket, tty: boolean, withStdin: boolean, control: Pick<ExecSession, 'resize' | 'exitCode'>): ExecSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (tty) {
    socket.pipe(stdout);
    stderr.end();
  } else {
    const demux = new FrameDemuxer();
    socket.on('data', (chunk: Buffer) => {
      for (const f of demux.push(chunk)) (f.streamType === 2 ? stderr : stdout).write(f.payload);
    });
    socket.on('end', () => {
      stdout.end();
      stderr.end();
    });
  }
  // A dropped connection ends the output too (the exit code then says what became of it).
  socket.on('close', () => {
    if (!stdout.writableEnded) stdout.end();
    if (!stderr.writableEnded) stderr.end();
  });
  socket.on('error', () => undefined);
  const ended = Promise.all([stdout, stderr].map((s) => new Promise<void>((resolve) => (s.writableFinished ? resolve() : s.once('finish', () => resolve())))));
  let stdin: Writable | undefined;
  if (withStdin) {
    stdin = new PassThrough();
    stdin.pipe(socket);
  }
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    stderr,
    resize: control.resize,
    exitCode: async () => {
      await ended;
      return control.exitCode();
    },
    close: () => socket.destroy(),
  };
}

export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;
  readonly pauseImage: string;
  private readonly busyboxPaths: string[];
  private readonly network: string;
  private pauseReady: Promise<void> | undefined;
  private readonly imageRefs = new Map<string, string>();
  /**
   * Containers for which an `oom` event was seen. containerd publishes the OOM and the exit
   * of a task separately; when the exit wins, dockerd never sets State.OOMKilled. The kubelet
   * syncs the pod again on the `oom` event, and then reads OOMKilled from here (containerd's
   * CRI does the same: it rewrites the exit reason when a late TaskOOM arrives).
   */
  private readonly oomKilled = new Set<string>();

  constructor(options: DockerRuntimeOptions = {}) {
    this.docker = options.docker instanceof Docker ? options.docker : new Docker(options.docker);
    this.pauseImage = options.pauseImage ?? DEFAULT_PAUSE_IMAGE;
    this.busyboxPaths = options.staticBusyboxPaths ?? STATIC_BUSYBOX_CANDIDATES;
    this.network = options.network ?? 'bridge';
  }

  async info(): Promise<RuntimeInfo> {
    try {
      const [info, version] = await Promise.all([this.docker.info(), this.docker.version()]);
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

  // ------------------------------------------------------------------ sandboxes

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    await this.ensurePauseImage();
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
      Image: this.pauseImage,
      Labels: labels,
      ExposedPorts: exposed,
      HostConfig: hostConfig,
    };
    if (!config.hostNetwork) body.Hostname = config.hostname;
    let id: string;
    try {
      id = (await this.createWithUniqueName(body)).id;
    } catch (err) {
      throw toRuntimeError(err, 'CreatePodSandboxError', `failed to create a sandbox for pod "${m.name}"`);
    }
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      await this.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      throw toRuntimeError(err, 'CreatePodSandboxError', `failed to start the sandbox of pod "${m.name}"`);
    }
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const members = await this.sandboxMembers(id);
    await Promise.all(members.map((c) => this.stopQuietly(c.Id, 0)));
    await this.stopQuietly(id, 0);
  }

  async removePodSandbox(id: string): Promise<void> {
    const members = await this.sandboxMembers(id);
    for (const c of members) await this.removeContainer(c.Id);
    try {
      await this.docker.getContainer(id).remove({ force: true });
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'KillPodSandboxError', `failed to remove sandbox ${id}`);
    }
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const info = await this.inspect(id, 'podsandbox');
    return this.sandboxStatus(info);
  }

  async listPodSandboxes(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const infos = await this.listInspected(
      [`${LABEL_CONTAINER_TYPE}=podsandbox`, `${LABEL_MANAGED}=true`, ...labelFilters(filter.labels)],
      filter.id,
    );
    return infos.map((i) => this.sandboxStatus(i)).filter((s) => !filter.state || s.state === filter.state);
  }

  private sandboxStatus(info: Inspect): PodSandboxStatus {
    const { labels, annotations } = splitLabels(info.Config.Labels);
    const running = info.State.Running;
    let ip = '';
    if (running) {
      ip = (info.NetworkSettings as { IPAddress?: string }).IPAddress || Object.values(info.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress || '';
    }
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

  private async sandboxMembers(sandboxId: string): Promise<Docker.ContainerInfo[]> {
    try {
      return await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX_ID}=${sandboxId}`] } });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list containers');
    }
  }

  private async stopQuietly(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: graceSeconds });
    } catch (err) {
      if (isStatus(err, 304) || isStatus(err, 404)) return;
      throw toRuntimeError(err, 'KillPodSandboxError', `failed to stop ${id}`);
    }
  }

  // ------------------------------------------------------------------ images

  async pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus> {
    const r = parseImageReference(ref);
    const secrets = secretsOf(auth);
    const authconfig = toDockerAuth(auth, r.domain);
    try {
      const opts = { fromImage: r.repository, tag: r.digest ?? r.tag ?? 'latest' };
      const stream = (await (authconfig ? this.docker.createImage(authconfig, opts) : this.docker.createImage(opts))) as NodeJS.ReadableStream;
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'ErrImagePull', `failed to pull image "${ref}"`, secrets);
    }
    const status = await this.imageStatus(ref);
    if (!status) throw new RuntimeError('ErrImagePull', `failed to pull image "${ref}": not present after the pull`);
    return status;
  }

  async imageStatus(ref: string): Promise<ImageStatus | undefined> {
    const name = /^sha256:[a-f0-9]{64}$/.test(ref) ? ref : parseImageReference(ref).normalized;
    try {
      const i = await this.docker.getImage(name).inspect();
      const c = (i.Config ?? {}) as Partial<Docker.ImageInspectInfo['Config']>;
      const config: ImageConfig = {};
      if (c.Entrypoint) config.entrypoint = Array.isArray(c.Entrypoint) ? c.Entrypoint : [c.Entrypoint];
      if (c.Cmd) config.cmd = Array.isArray(c.Cmd) ? c.Cmd : [c.Cmd];
      if (c.Env) config.env = c.Env;
      if (c.WorkingDir) config.workingDir = c.WorkingDir;
      if (c.User) config.user = c.User;
      if (c.ExposedPorts) config.exposedPorts = Object.keys(c.ExposedPorts);
      if (c.Labels) config.labels = c.Labels;
      return { id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], sizeBytes: i.Size, config };
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw toRuntimeError(err, 'ImageInspectError', `failed to inspect image "${ref}"`);
    }
  }

  async listImages(): Promise<ImageSummary[]> {
    try {
      const images = await this.docker.listImages();
      return images.map((i) => ({
        id: i.Id,
        names: [...(i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), ...(i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>')],
        sizeBytes: i.Size,
      }));
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list images');
    }
  }

  async removeImage(ref: string): Promise<void> {
    const name = /^sha256:[a-f0-9]{64}$/.test(ref) ? ref : parseImageReference(ref).normalized;
    try {
      await this.docker.getImage(name).remove();
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'Unknown', `failed to remove image "${ref}"`);
    }
  }

  /** Builds an image from files (docker import); `changes` are Dockerfile instructions (ENTRYPOINT, ENV...). */
  async importImage(ref: string, files: TarEntry[], changes: string[] = []): Promise<ImageStatus> {
    const r = parseImageReference(ref);
    try {
      const stream = await this.docker.importImage(Readable.from([buildTar(files)]), {
        repo: r.repository,
        tag: r.tag ?? 'latest',
        changes,
      } as object);
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to import image "${ref}"`);
    }
    const status = await this.imageStatus(ref);
    if (!status) throw new RuntimeError('Unknown', `image "${ref}" missing after import`);
    return status;
  }

  /** Adds a name to an image (docker tag). */
  async tagImage(source: string, target: string): Promise<void> {
    const r = parseImageReference(target);
    try {
      await this.docker.getImage(parseImageReference(source).normalized).tag({ repo: r.repository, tag: r.tag ?? 'latest' });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to tag "${source}" as "${target}"`);
    }
  }

  /** Pushes an image to its registry (docker push). */
  async pushImage(ref: string, auth?: RegistryAuth): Promise<void> {
    const r = parseImageReference(ref);
    try {
      const image = this.docker.getImage(r.repository);
      const stream = (await image.push({ tag: r.tag ?? 'latest', authconfig: toDockerAuth(auth, r.domain) })) as NodeJS.ReadableStream;
      await followProgress(stream);
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to push "${ref}"`, secretsOf(auth));
    }
  }

  /** Makes sure the pause image exists, importing it from a static busybox when it does not. */
  ensurePauseImage(): Promise<void> {
    this.pauseReady ??= (async () => {
      if (await this.imageStatus(this.pauseImage)) return;
      const { bytes } = findStaticBusybox(this.busyboxPaths);
      await this.importImage(this.pauseImage, busyboxRootfs(bytes), pauseImageChanges());
    })().catch((err: unknown) => {
      this.pauseReady = undefined;
      throw isRuntimeError(err) ? new RuntimeError('CreatePodSandboxError', `pause image: ${err.message}`, { cause: err }) : err;
    });
    return this.pauseReady;
  }

  // ------------------------------------------------------------------ volumes

  async createVolume(config: VolumeConfig): Promise<void> {
    const labels: Record<string, string> = { ...config.labels, [LABEL_MANAGED]: 'true', [LABEL_VOLUME_MEDIUM]: config.medium ?? '' };
    const opts: Record<string, string> = {};
    if (config.medium === 'Memory') {
      opts.type = 'tmpfs';
      opts.device = 'tmpfs';
      if (config.sizeLimitBytes !== undefined) {
        opts.o = `size=${config.sizeLimitBytes}`;
        labels[LABEL_VOLUME_SIZE] = String(config.sizeLimitBytes);
      }
    }
    try {
      await this.docker.createVolume({ Name: config.name, Driver: 'local', DriverOpts: opts, Labels: labels });
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerConfigError', `failed to create volume "${config.name}"`);
    }
  }

  /** Where the engine keeps a volume's files on its host. */
  private async volumeMountpoint(name: string): Promise<string> {
    try {
      const v = (await this.docker.getVolume(name).inspect()) as { Mountpoint?: string };
      if (!v.Mountpoint) throw new Error(`volume "${name}" has no mountpoint`);
      return v.Mountpoint.replace(/\/+$/, '');
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerError', `failed to inspect volume "${name}"`);
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove();
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'Unknown', `failed to remove volume "${name}"`);
    }
  }

  async listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    try {
      const res = await this.docker.listVolumes({ filters: { label: [`${LABEL_MANAGED}=true`, ...labelFilters(labels)] } });
      return (res.Volumes ?? []).map((v) => {
        const l = { ...(v.Labels ?? {}) };
        const medium = l[LABEL_VOLUME_MEDIUM] === 'Memory' ? 'Memory' : '';
        const size = l[LABEL_VOLUME_SIZE];
        delete l[LABEL_VOLUME_MEDIUM];
        delete l[LABEL_VOLUME_SIZE];
        delete l[LABEL_MANAGED];
        const s: VolumeStatus = { name: v.Name, medium, labels: l };
        if (size !== undefined) s.sizeLimitBytes = Number(size);
        return s;
      });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list volumes');
    }
  }

  async writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    const info = await this.inspect(sandboxId, 'podsandbox');
    if (!info.State.Running) throw new RuntimeError('NotRunning', `sandbox ${sandboxId} is not running`);
    const target = `${SANDBOX_VOLUME_ROOT}/${volume}`;
    if (!(info.Mounts ?? []).some((m) => m.Destination === target)) {
      throw new RuntimeError('NotFound', `volume "${volume}" is not mounted by sandbox ${sandboxId}`);
    }
    const entries: TarEntry[] = [];
    const dirs = new Set<string>();
    const addParents = (p: string) => {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          entries.push({ path: d, type: 'directory' });
        }
      }
    };
    for (const f of files) {
      const path = f.path.replace(/^\/+/, '');
      addParents(path);
      if (f.linkTarget !== undefined) entries.push({ path, type: 'symlink', linkTarget: f.linkTarget });
      else if (f.isDirectory) {
        if (!dirs.has(path)) entries.push({ path, type: 'directory', mode: f.mode ?? 0o755 });
        dirs.add(path);
      } else entries.push({ path, type: 'file', data: Buffer.from(f.data ?? ''), mode: f.mode ?? 0o644, mtime: new Date() });
    }
    try {
      await this.docker.getContainer(sandboxId).putArchive(buildTar(entries), { path: target });
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerConfigError', `failed to write files into volume "${volume}"`);
    }
  }

  // ------------------------------------------------------------------ containers

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    let sandbox: Inspect;
    try {
      sandbox = await this.inspect(sandboxId, 'podsandbox');
    } catch (err) {
      throw isRuntimeError(err, 'NotFound') ? new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`) : err;
    }
    if (!sandbox.State.Running) throw new RuntimeError('CreateContainerError', `cannot join network of a non running sandbox ${sandboxId}`);
    const image = await this.imageStatus(config.image);
    if (!image) throw new RuntimeError('CreateContainerError', `No such image: ${config.image}`);
    const argv = resolveCommand(image.config, config.command, config.args);
    const { labels: sandboxLabels } = splitLabels(sandbox.Config.Labels);
    const podName = sandboxLabels[LABEL_POD_NAME] ?? '';
    const namespace = sandboxLabels[LABEL_POD_NAMESPACE] ?? '';
    const uid = sandboxLabels[LABEL_POD_UID] ?? '';
    const labels = withAnnotations(
      {
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
        const base = await this.volumeMountpoint(m.source);
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
    const hostConfig: Docker.HostConfig = {
      NetworkMode: `container:${sandboxId}`,
      IpcMode: `container:${sandboxId}`,
      RestartPolicy: { Name: 'no' },
      Binds: binds,
      Mounts: mounts,
      // The kubelet's log rotation defaults (containerLogMaxSize 10Mi, containerLogMaxFiles 5).
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } },
    };
    if (sandbox.HostConfig.PidMode === 'host') hostConfig.PidMode = 'host';
    else if (config.sharePidNamespace) hostConfig.PidMode = `container:${sandboxId}`;
    // The pod's containers live in its sandbox's cgroup parent (the pod's cgroup), as in CRI.
    if (sandbox.HostConfig.CgroupParent) hostConfig.CgroupParent = sandbox.HostConfig.CgroupParent;
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
    if (config.workingDir) body.WorkingDir = config.workingDir;
    if (sec.runAsUser !== undefined) body.User = sec.runAsGroup !== undefined ? `${sec.runAsUser}:${sec.runAsGroup}` : String(sec.runAsUser);
    try {
      return (await this.createWithUniqueName(body)).id;
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerError', `failed to create container "${config.metadata.name}"`);
    }
  }

  async startContainer(id: string): Promise<void> {
    const info = await this.inspect(id, 'container');
    if (info.State.Status !== 'created' || info.State.ExitCode !== 0) {
      throw new RuntimeError('RunContainerError', `container ${id} is not in created state`);
    }
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      throw toRuntimeError(err, 'RunContainerError', 'failed to start container');
    }
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)) });
    } catch (err) {
      if (isStatus(err, 304)) return;
      throw toRuntimeError(err, 'Unknown', `failed to stop container ${id}`);
    }
  }

  async removeContainer(id: string): Promise<void> {
    this.oomKilled.delete(id);
    try {
      await this.docker.getContainer(id).remove({ force: true });
    } catch (err) {
      if (isStatus(err, 404)) return;
      // "removal of container ... is already in progress"
      if (isStatus(err, 409) && /already in progress/.test(engineFailure(err).message)) return;
      throw toRuntimeError(err, 'Unknown', `failed to remove container ${id}`);
    }
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.containerStatusOf(await this.inspect(id, 'container'));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
    const labels = [`${LABEL_CONTAINER_TYPE}=container`, `${LABEL_MANAGED}=true`, ...labelFilters(filter.labels)];
    if (filter.sandboxId) labels.push(`${LABEL_SANDBOX_ID}=${filter.sandboxId}`);
    const infos = await this.listInspected(labels, filter.id);
    const out: ContainerSummary[] = [];
    for (const i of infos) {
      const s = this.summaryOf(i);
      if (!filter.state || s.state === filter.state) out.push(s);
    }
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    const info = await this.inspect(id, 'container');
    if (info.State.Running) {
      try {
        await this.docker.getContainer(id).wait({ condition: 'not-running', abortSignal: signal } as object);
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
        const stream = (await this.docker.getEvents({ since, filters, abortSignal: ac.signal } as object)) as NodeJS.ReadableStream;
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
    if (type === 'oom' && ev.containerType === 'container') this.oomKilled.add(ev.id);
    if (type === 'removed') this.oomKilled.delete(ev.id);
    return ev;
  }

  /**
   * An exec over one hijacked connection: Docker multiplexes stdout and stderr in frames
   * unless there is a tty; half-closing the connection closes the process's stdin.
   */
  async exec(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession> {
    const container = this.docker.getContainer(id);
    let exec: Docker.Exec;
    let socket: Socket;
    try {
      exec = await container.exec({
        Cmd: cmd,
        AttachStdin: options.stdin,
        AttachStdout: options.stdout,
        AttachStderr: options.stderr,
        Tty: options.tty,
      });
      socket = (await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty } as object)) as unknown as Socket;
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    }
    return hijackedSession(socket, options.tty, options.stdin, {
      resize: async (width, height) => {
        if (options.tty) await exec.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: async () => {
        // The engine records the exit code a moment after the output ends.
        for (let i = 0; ; i++) {
          const inspected = await exec.inspect();
          if (!inspected.Running || i >= 50) return inspected.ExitCode ?? -1;
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    });
  }

  /**
   * Attaches to the container's main process (`kubectl attach`, `kubectl run -it`). Whether
   * there is a tty is the container's (ContainerConfig.tty); the session ends when the process
   * does, or when the connection closes (the process goes on). Its exit code is always 0: the
   * process's own end is in the container's status.
   */
  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    const info = await this.inspect(id, 'container');
    if (!info.State.Running) throw new RuntimeError('NotRunning', `container ${id} is not running`);
    const tty = !!info.Config.Tty;
    const container = this.docker.getContainer(id);
    let socket: Socket;
    try {
      socket = (await container.attach({ stream: true, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !tty, hijack: true })) as unknown as Socket;
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'attach');
    }
    return hijackedSession(socket, tty, options.stdin, {
      resize: async (width, height) => {
        if (tty) await container.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: async () => 0,
    });
  }

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const container = this.docker.getContainer(id);
    let exec: Docker.Exec;
    try {
      exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    }
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const output = (async () => {
      const stream = (await exec.start({ hijack: true, stdin: false, abortSignal: ac.signal } as object)) as NodeJS.ReadableStream & {
        destroy?: () => void;
      };
      ac.signal.addEventListener('abort', () => stream.destroy?.());
      const demux = new FrameDemuxer();
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const f of demux.push(chunk)) (f.streamType === 2 ? errs : out).push(f.payload);
      }
      return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') };
    })();
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([output, timeout]);
      if (result === 'timeout') {
        ac.abort();
        output.catch(() => undefined);
        throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`);
      }
      const inspected = await exec.inspect();
      return { exitCode: inspected.ExitCode ?? -1, ...result };
    } catch (err) {
      if (isRuntimeError(err)) throw err;
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    } finally {
      clearTimeout(timer);
    }
  }

  async attachStdin(id: string): Promise<Writable> {
    await this.inspect(id, 'container');
    try {
      const stream = (await this.docker.getContainer(id).attach({ stream: true, stdin: true, stdout: false, stderr: false, hijack: true })) as unknown as Writable;
      return stream;
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to attach to container ${id}`);
    }
  }

  // ------------------------------------------------------------------ logs

  containerLogs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const info = await self.inspect(id, 'container');
        const parser = new DockerLogParser(!!info.Config.Tty);
        const filter = new LogLineFilter({ since: options.since, limitBytes: options.limitBytes });
        const ac = new AbortController();
        const onAbort = () => ac.abort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const stream = options.stream ?? 'all';
        const query: Record<string, unknown> = {
          follow: !!options.follow,
          stdout: stream !== 'stderr',
          stderr: stream !== 'stdout',
          timestamps: true,
          tail: options.tail !== undefined && options.tail >= 0 ? String(options.tail) : 'all',
          abortSignal: ac.signal,
        };
        if (options.since) query.since = unixNanos(options.since);
        let body: unknown;
        try {
          body = await self.docker.getContainer(id).logs(query as { follow: false });
        } catch (err) {
          options.signal?.removeEventListener('abort', onAbort);
          if (options.signal?.aborted) return;
          throw toRuntimeError(err, 'Unknown', `failed to read logs of ${id}`);
        }
        const source: AsyncIterable<Buffer> | Iterable<Buffer> = Buffer.isBuffer(body) ? [body] : (body as AsyncIterable<Buffer>);
        try {
          for await (const chunk of source) {
            for (const line of parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
              const l = filter.accept(line);
              if (l) yield l;
              if (filter.exhausted) return;
            }
          }
          for (const line of parser.end()) {
            const l = filter.accept(line);
            if (l) yield l;
          }
        } catch (err) {
          if (!ac.signal.aborted) throw toRuntimeError(err, 'Unknown', `failed to read logs of ${id}`);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          ac.abort();
          (body as { destroy?: () => void })?.destroy?.();
        }
      },
    };
  }

  // ------------------------------------------------------------------ files

  async statFiles(id: string, pattern: string): Promise<FileInfo[]> {
    await this.inspect(id, 'container');
    const container = this.docker.getContainer(id);
    if (!hasGlob(pattern)) {
      try {
        const res = (await container.infoArchive({ path: pattern })) as { headers: Record<string, string>; resume?: () => void };
        res.resume?.();
        const stat = JSON.parse(Buffer.from(res.headers['x-docker-container-path-stat'] ?? '', 'base64').toString('utf8')) as PathStat;
        if (!isRegularMode(stat.mode)) return [];
        return [{ path: pattern, sizeBytes: stat.size, modifiedAt: new Date(stat.mtime), mode: stat.mode & 0o7777 }];
      } catch (err) {
        if (isStatus(err, 404)) return [];
        throw toRuntimeError(err, 'Unknown', `failed to stat ${pattern}`);
      }
    }
    const base = globBase(pattern);
    const parent = base === '/' ? '' : base.slice(0, base.lastIndexOf('/'));
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await container.getArchive({ path: base })) as NodeJS.ReadableStream;
    } catch (err) {
      if (isStatus(err, 404)) return [];
      throw toRuntimeError(err, 'Unknown', `failed to list ${base}`);
    }
    const out: FileInfo[] = [];
    const reader = new TarReader();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const ev of reader.push(chunk)) {
        if (ev.kind !== 'header' || ev.header.type !== 'file') continue;
        const path = base === '/' ? `/${ev.header.path}` : `${parent}/${ev.header.path}`;
        if (matchPathGlob(pattern, path)) out.push({ path, sizeBytes: ev.header.size, modifiedAt: ev.header.mtime, mode: ev.header.mode & 0o7777 });
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async readFile(id: string, path: string, options: ReadFileOptions = {}, depth = 0): Promise<Buffer> {
    await this.inspect(id, 'container');
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      stream = (await this.docker.getContainer(id).getArchive({ path })) as NodeJS.ReadableStream;
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `Could not find the file ${path} in container ${id}`);
      throw toRuntimeError(err, 'Unknown', `failed to read ${path}`);
    }
    const reader = new TarReader();
    const from = options.offsetBytes ?? 0;
    const limit = options.limitBytes ?? Number.POSITIVE_INFINITY;
    const out: Buffer[] = [];
    let pos = 0;
    let got = 0;
    let first: 'file' | 'symlink' | 'other' | undefined;
    let link = '';
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const ev of reader.push(chunk)) {
          if (ev.kind === 'header' && first === undefined) {
            first = ev.header.type === 'file' ? 'file' : ev.header.type === 'symlink' ? 'symlink' : 'other';
            link = ev.header.linkTarget;
          } else if (ev.kind === 'data' && first === 'file') {
            const c = ev.chunk;
            const start = Math.max(0, from - pos);
            pos += c.length;
            if (start < c.length && got < limit) {
              const piece = c.subarray(start, start + (limit - got));
              out.push(Buffer.from(piece));
              got += piece.length;
            }
          } else if (ev.kind === 'header' || ev.kind === 'end') {
            stream.destroy?.();
            return this.finishRead(id, path, first, link, out, options, depth);
          }
          if (got >= limit) {
            stream.destroy?.();
            return Buffer.concat(out);
          }
        }
      }
    } catch (err) {
      if (got >= limit) return Buffer.concat(out);
      throw toRuntimeError(err, 'Unknown', `failed to read ${path}`);
    }
    return this.finishRead(id, path, first, link, out, options, depth);
  }

  async containerLogInfo(id: string): Promise<ContainerLogInfo> {
    const info = await this.inspect(id, 'container');
    const out: ContainerLogInfo = {
      env: (info.Config.Env ?? []).map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) };
      }),
      tty: !!info.Config.Tty,
      mounts: (info.Mounts ?? []).map((m) => ({ destination: m.Destination, ...(m.Type === 'bind' || m.Type === 'volume' ? { source: m.Source } : {}) })),
    };
    if (info.LogPath) out.logPath = info.LogPath;
    const upper = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
    if (info.GraphDriver?.Name === 'overlay2' && upper) out.rootfsDir = upper;
    return out;
  }

  private finishRead(
    id: string,
    path: string,
    first: 'file' | 'symlink' | 'other' | undefined,
    link: string,
    out: Buffer[],
    options: ReadFileOptions,
    depth: number,
  ): Promise<Buffer> {
    if (first === 'file') return Promise.resolve(Buffer.concat(out));
    if (first === 'symlink' && depth < 8) {
      const target = link.startsWith('/') ? link : `${path.slice(0, path.lastIndexOf('/'))}/${link}`;
      return this.readFile(id, target, options, depth + 1);
    }
    return Promise.reject(new RuntimeError('NotFound', `${path} in container ${id} is not a regular file`));
  }

  // ------------------------------------------------------------------ internals

  /** Inspects a container of ours of the given type; NotFound otherwise. */
  private async inspect(id: string, type: ContainerType): Promise<Inspect> {
    let info: Inspect;
    try {
      info = await this.docker.getContainer(id).inspect();
    } catch (err) {
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', `failed to inspect ${id}`);
    }
    if (info.Config.Labels?.[LABEL_CONTAINER_TYPE] !== type) {
      throw new RuntimeError('NotFound', type === 'podsandbox' ? `no such sandbox: ${id}` : `no such container: ${id}`);
    }
    return info;
  }

  private async listInspected(labels: string[], id: string | undefined): Promise<Inspect[]> {
    let list: Docker.ContainerInfo[];
    try {
      const filters: Record<string, string[]> = { label: labels };
      if (id) filters.id = [id];
      list = await this.docker.listContainers({ all: true, filters });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list containers');
    }
    const infos = await Promise.all(
      list.map((c) =>
        this.docker
          .getContainer(c.Id)
          .inspect()
          .catch((err: unknown) => {
            if (isStatus(err, 404)) return undefined; // removed meanwhile
            throw toRuntimeError(err, 'Unknown', `failed to inspect ${c.Id}`);
          }),
      ),
    );
    return infos.filter((i): i is Inspect => i !== undefined);
  }

  private async createWithUniqueName(body: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(body);
    } catch (err) {
      // A leftover with the same name (dockershim did the same): add a random suffix.
      if (!isStatus(err, 409)) throw err;
      return this.docker.createContainer({ ...body, name: `${body.name}_${randomBytes(4).toString('hex')}` });
    }
  }

  private summaryOf(info: Inspect): ContainerSummary {
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

  private async containerStatusOf(info: Inspect): Promise<ContainerStatus> {
    const summary = this.summaryOf(info);
    const st = info.State;
    const oomKilled = !!st.OOMKilled || this.oomKilled.has(info.Id);
    const status: ContainerStatus = {
      ...summary,
      oomKilled,
      imageRef: await this.imageRef(info.Image, info.Config.Image),
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

  /**
   * "repo@sha256:..." of an image when it came from a registry, else its id. An image pulled
   * under several names has one digest per repository: the one of `image` (the container's
   * reference) wins.
   */
  private async imageRef(imageId: string, image?: string): Promise<string> {
    let repo: string | undefined;
    try {
      if (image && !/^sha256:/.test(image)) repo = parseImageReference(image).familiar.replace(/[:@][^/]*$/, '');
    } catch {
      repo = undefined;
    }
    const key = `${imageId} ${repo ?? ''}`;
    const cached = this.imageRefs.get(key);
    if (cached) return cached;
    try {
      const i = await this.docker.getImage(imageId).inspect();
      const digests = i.RepoDigests ?? [];
      const ref = (repo && digests.find((d) => d.slice(0, d.lastIndexOf('@')) === repo)) || digests[0] || imageId;
      if (digests.length) this.imageRefs.set(key, ref);
      return ref;
    } catch {
      return imageId;
    }
  }
}

interface DockerEvent {
  status?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode: no type bits set means a regular file. */
function isRegularMode(mode: number): boolean {
  const TYPE_BITS = 0x80000000 | 0x40000000 | 0x20000000 | 0x10000000 | 0x08000000 | 0x04000000 | 0x02000000 | 0x01000000 | 0x00200000 | 0x00080000;
  return (mode & TYPE_BITS) === 0 && (mode >>> 0) < 0x80000000;
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
