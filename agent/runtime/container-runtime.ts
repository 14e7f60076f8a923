// The container runtime interface: what the node agent needs from a container engine,
// shaped like the kubelet's CRI (k8s.io/cri-api runtime/v1) but small and in our words.
//
// How the node agent is meant to drive it (the kubelet's kuberuntime SyncPod, step by step):
//
//  1. Images. For every container, `ensureImage()` (image-manager.ts) applies imagePullPolicy
//     over `imageStatus` / `pullImage`, with credentials from the pod's imagePullSecrets
//     (`DockerKeyring`, keyring.ts) and a per pod+image back-off. Its RuntimeError reasons are
//     the container's waiting reasons: InvalidImageName, ErrImageNeverPull, ErrImagePull,
//     ImagePullBackOff.
//  2. Volumes. emptyDir → `createVolume({ medium })` (Memory → tmpfs, with sizeLimit), configMap
//     and secret → a Memory volume filled with `writeVolumeFiles` (secret bytes only ever live on
//     a tmpfs), hostPath → a `bind` mount, PVCs → a named volume or a bind mount.
//  3. Sandbox. `runPodSandbox(config)` starts the pause container that owns the pod's network
//     namespace (its IP is `podSandboxStatus().ip`), hostname, DNS, shared IPC, published ports,
//     and keeps the pod's Memory volumes mounted (so their tmpfs lives as long as the pod).
//  4. Containers, init containers first, one at a time, then the app containers:
//     `createContainer(sandboxId, config)` then `startContainer(id)`. Command and args follow
//     Kubernetes' rules over the image's ENTRYPOINT/CMD (`resolveCommand`, resolve-command.ts,
//     applied inside createContainer; `$(VAR)` expansion with `expandContainerCommand` is the
//     caller's job since it needs the resolved env). Resources come from
//     `linuxResources(container.resources)` (linux-resources.ts).
//  5. Watching. `events()` tells the agent when a container starts, dies or is OOM-killed so it
//     can resync the pod at once; `containerStatus(id)` gives state, exit code, reason
//     (Completed / Error / OOMKilled / ContainerCannotRun), OOMKilled flag and times with
//     sub-second precision. `waitContainer(id)` resolves when one container has stopped.
//     A periodic relist with `listContainers`/`listPodSandboxes` (the kubelet's PLEG) remains
//     the source of truth; events only shorten the delay.
//  6. Probes and hooks: exec → `execSync(id, cmd, timeoutMs)`; httpGet/tcpSocket → the agent
//     connects to `podSandboxStatus().ip` itself.
//  7. Termination: `stopContainer(id, graceSeconds)` sends SIGTERM, waits, then SIGKILL; then
//     `stopPodSandbox` and `removePodSandbox` (which removes the pod's containers too).
//     Keep the last exited container of each name until the next restart so that
//     `kubectl logs --previous` can read it.
//  8. Adoption after an agent restart: `listPodSandboxes` / `listContainers` filtered by the
//     kubelet's labels (LABEL_POD_UID ...): containers of pods that still exist are adopted,
//     everything else carrying LABEL_MANAGED is removed.
//  9. Logs (`containerLogs`) and files inside containers (`statFiles` / `readFile`, for the log
//     service) work for running *and* exited containers until they are removed;
//     `containerLogInfo` tells a collector on the engine's host where to read them directly.
//
// Deliberately not here: pod phases, restart policy, probe scheduling, status computation,
// image garbage collection policy, back-off of crashing containers — those are agent logic.
import type { Readable, Writable } from 'node:stream';

/** Label keys the kubelet's Docker integration (dockershim) put on containers; we use the same. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** "podsandbox" on pause containers, "container" on the others (dockershim's containerTypeLabelKey). */
export const LABEL_CONTAINER_TYPE = 'io.kubernetes.docker.type';
/** On every container: the id of the sandbox it runs in. */
export const LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';
/** Marks everything jobyard's runtime created, so an agent never touches other containers. */
export const LABEL_MANAGED = 'jobyard.io/managed';
/** Annotations are stored as labels with this prefix, as dockershim did. */
export const ANNOTATION_LABEL_PREFIX = 'annotation.';

export type ContainerType = 'podsandbox' | 'container';

/** Reasons a RuntimeError carries; most are upstream's container waiting reasons verbatim. */
export type RuntimeErrorReason =
  | 'InvalidImageName'
  | 'ErrImagePull'
  | 'ErrImageNeverPull'
  | 'ImagePullBackOff'
  | 'ImageInspectError'
  | 'CreatePodSandboxError'
  | 'KillPodSandboxError'
  | 'CreateContainerConfigError'
  | 'CreateContainerError'
  | 'RunContainerError'
  | 'NotFound'
  | 'NotRunning'
  | 'DeadlineExceeded'
  | 'RuntimeUnavailable'
  | 'Unknown';

// ---------------------------------------------------------------------------------------------
// Runtime

export interface RuntimeInfo {
  /** "docker" or "fake"; the node reports `${runtimeName}://${runtimeVersion}`. */
  runtimeName: string;
  runtimeVersion: string;
  apiVersion: string;
  /** Capacity of the machine the engine runs on. */
  cpus: number;
  memoryBytes: number;
  cgroupVersion: '1' | '2';
  cgroupDriver: string;
  storageDriver: string;
  kernelVersion: string;
  operatingSystem: string;
  architecture: string;
}

// ---------------------------------------------------------------------------------------------
// Sandboxes

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  /** Increments each time the sandbox has to be recreated. */
  attempt: number;
}

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  containerPort: number;
  /** Published on the node when set. */
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** The pod's hostname (pod name, or spec.hostname); every container of the pod sees it. */
  hostname: string;
  /** Pod labels; the runtime adds its own (LABEL_POD_*, LABEL_CONTAINER_TYPE, LABEL_MANAGED). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  dns?: DNSConfig;
  portMappings?: PortMapping[];
  /** Run in the node's network namespace (spec.hostNetwork): no pod IP of its own. */
  hostNetwork?: boolean;
  /** Share the node's PID namespace (spec.hostPID): every container of the pod sees the host's processes. */
  hostPID?: boolean;
  /** Share the node's IPC namespace (spec.hostIPC). */
  hostIPC?: boolean;
  /**
   * Volumes (created with createVolume) the sandbox keeps mounted for the pod's lifetime.
   * Memory volumes must be listed: a tmpfs lives only while something mounts it, and
   * writeVolumeFiles writes through the sandbox.
   */
  volumes?: string[];
  /** pids.max of the sandbox (the kubelet's podPidsLimit); undefined = no limit. */
  pidsLimit?: number;
  /**
   * The pod's cgroup (CRI's linux.cgroup_parent), made by the kubelet with the pod's limits:
   * the sandbox and every container of the pod are created under it.
   */
  cgroupParent?: string;
}

export type PodSandboxState = 'ready' | 'notready';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: Date;
  /** The pod IP; '' while not running or for hostNetwork pods (use the node's IP then). */
  ip: string;
  hostname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** All must match (equality). */
  labels?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Images

/** Credentials for one registry, as in a docker config.json entry. Never logged or echoed. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64("username:password"), when the config entry only has that. */
  auth?: string;
  identityToken?: string;
  registryToken?: string;
  /** Registry host the credentials are for, e.g. "127.0.0.1:5000" or "https://index.docker.io/v1/". */
  serverAddress?: string;
}

/** The parts of an image's config that decide how its containers run. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

export interface ImageStatus {
  /** "sha256:..." image id. */
  id: string;
  /** Tags as the engine reports them, e.g. "busybox:1.36". */
  repoTags: string[];
  /** "repo@sha256:..." for images pulled from a registry. */
  repoDigests: string[];
  sizeBytes: number;
  config: ImageConfig;
}

/** One row of node.status.images. */
export interface ImageSummary {
  id: string;
  names: string[];
  sizeBytes: number;
}

// ---------------------------------------------------------------------------------------------
// Volumes

export interface VolumeConfig {
  name: string;
  /** '' (node disk) or 'Memory' (tmpfs), as emptyDir.medium. */
  medium?: '' | 'Memory';
  /** Upper bound of a Memory volume (tmpfs size). Disk volumes are not size-limited by the runtime. */
  sizeLimitBytes?: number;
  labels?: Record<string, string>;
}

export interface VolumeStatus {
  name: string;
  medium: '' | 'Memory';
  sizeLimitBytes?: number;
  labels: Record<string, string>;
}

/** One entry written into a volume; paths are relative to the volume root. */
export interface VolumeFile {
  path: string;
  /** Regular file contents; omit for a directory or a symlink. */
  data?: Buffer | string;
  /** A symbolic link (the kubelet's atomic writer uses `..data` links). */
  linkTarget?: string;
  isDirectory?: boolean;
  /** Permission bits, default 0o644 (directories 0o755). */
  mode?: number;
}

// ---------------------------------------------------------------------------------------------
// Containers

export interface ContainerMetadata {
  name: string;
  /** The container's restart count: each restart is a new container with attempt + 1. */
  attempt: number;
}

export type Mount =
  | {
      /** A host path (hostPath volumes). The engine must run on this host. */
      type: 'bind';
      source: string;
      target: string;
      readOnly?: boolean;
      propagation?: 'private' | 'rslave' | 'rshared';
    }
  | {
      /** A runtime volume made with createVolume. */
      type: 'volume';
      source: string;
      target: string;
      readOnly?: boolean;
      /** Mount only this path inside the volume (volumeMounts[].subPath); it must exist. */
      subPath?: string;
    }
  | {
      /** A tmpfs private to this one container. */
      type: 'tmpfs';
      target: string;
      sizeBytes?: number;
      mode?: number;
    };

/** Kernel-enforced resources (values from linuxResources()). */
export interface LinuxContainerResources {
  /** memory.limit_in_bytes; 0/undefined = unlimited. Swap is never granted beyond it. */
  memoryLimitBytes?: number;
  /** cpu.cfs_quota_us / cpu.cfs_period_us from the CPU limit. */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** cpu.shares from the CPU request (2 when none). */
  cpuShares?: number;
  oomScoreAdj?: number;
  /** pids.max: the most processes and threads the container may have; undefined = the engine's default (none). */
  pidsLimit?: number;
}

export interface ContainerSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilitiesAdd?: string[];
  capabilitiesDrop?: string[];
}

export interface KeyValue {
  name: string;
  value: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image as written in the pod spec; must be present (see ensureImage). */
  image: string;
  /** Kubernetes command/args, `$(VAR)` already expanded; resolved against the image by resolveCommand. */
  command?: string[];
  args?: string[];
  workingDir?: string;
  /** Final environment; overrides the image's variables of the same name. */
  env?: KeyValue[];
  mounts?: Mount[];
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  resources?: LinuxContainerResources;
  security?: ContainerSecurity;
  /** Join the sandbox's PID namespace (spec.shareProcessNamespace). */
  sharePidNamespace?: boolean;
  labels?: Record<string, string>;
  /** Stored with the container (restart count, hashes, termination message path...). */
  annotations?: Record<string, string>;
}

/** CRI's ContainerState. */
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** CRI's reasons for an exited container (dockershim's mapping of Docker's state). */
export type ContainerExitReason = 'Completed' | 'Error' | 'OOMKilled' | 'ContainerCannotRun';

export interface ContainerSummary {
  id: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  image: string;
  imageId: string;
  state: ContainerState;
  createdAt: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus extends ContainerSummary {
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  /** The kernel's OOM killer killed a process of this container (not always the main one). */
  oomKilled: boolean;
  reason?: ContainerExitReason;
  /** Engine message when a start failed. */
  message?: string;
  /** "repo@sha256:..." when known, else the image id: pod status `imageID`. */
  imageRef: string;
  /** Host pid of the main process while running. */
  pid?: number;
  mounts: Mount[];
}

export interface ContainerFilter {
  id?: string;
  sandboxId?: string;
  state?: ContainerState;
  /** All must match (equality). */
  labels?: Record<string, string>;
}

export type ContainerEventType = 'created' | 'started' | 'exited' | 'oom' | 'removed';

export interface ContainerEvent {
  type: ContainerEventType;
  id: string;
  containerType: ContainerType;
  labels: Record<string, string>;
  /** For 'exited'. */
  exitCode?: number;
  time: Date;
}

export interface EventsOptions {
  /** Only containers carrying all these labels. */
  labels?: Record<string, string>;
  /** Ends the stream. */
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What an interactive exec (`kubectl exec`, `kubectl cp`) attaches to. */
export interface ExecOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** A terminal: stdout and stderr arrive merged on stdout, and the size can be set. */
  tty: boolean;
}

/** A process started in a running container, streaming while it runs. */
export interface ExecSession {
  /** The process's stdin when asked for; ending it closes the process's stdin. */
  stdin?: Writable;
  /** Ends when the process has exited and its output was read. */
  stdout: Readable;
  /** Empty with a tty. */
  stderr: Readable;
  /** Terminal size in characters (tty only; ignored otherwise). */
  resize(width: number, height: number): Promise<void>;
  /** The exit code, once the process has exited and its output ended. */
  exitCode(): Promise<number>;
  /** Drops the connection; the process gets EOF/SIGHUP as with a closed terminal. */
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Logs and files

export type LogStreamName = 'stdout' | 'stderr';

export interface LogOptions {
  /** Keep streaming until the container stops or `signal` aborts. */
  follow?: boolean;
  /** Only lines at or after this instant (kubectl --since / --since-time). */
  since?: Date;
  /** Only the last N lines (before following). */
  tail?: number;
  /** Stop after this many bytes of content. */
  limitBytes?: number;
  /** Which stream; both by default. */
  stream?: LogStreamName | 'all';
  signal?: AbortSignal;
}

export interface LogLine {
  stream: LogStreamName;
  /** RFC 3339 with 9 fractional digits, as `kubectl logs --timestamps` prints it. */
  timestamp: string;
  time: Date;
  /** The line without its "\n" (a tty's "\r" stays). */
  content: string;
  /** The line had no "\n" (a write that did not end a line). */
  partial: boolean;
}

export interface FileInfo {
  /** Absolute path inside the container. */
  path: string;
  sizeBytes: number;
  modifiedAt: Date;
  mode: number;
}

export interface ReadFileOptions {
  offsetBytes?: number;
  limitBytes?: number;
}

/**
 * Where a container's output and files are, for a reader on the engine's host (the log
 * collectors in agent/logs read them directly, with byte offsets that survive restarts).
 * Paths are host paths; they may be unreadable when the engine runs on another machine.
 */
export interface ContainerLogInfo {
  /** The container's final environment (the image's variables merged with the config's). */
  env: KeyValue[];
  tty: boolean;
  /** The engine's json-file log; rotated files are `<logPath>.1`, `<logPath>.2`, ... (newest first). */
  logPath?: string;
  /** The host directory that holds what the container wrote to its root filesystem (overlay2 UpperDir). */
  rootfsDir?: string;
  /** Every mount: its path inside the container and, for binds and volumes, its host directory. */
  mounts: { destination: string; source?: string }[];
}

// ---------------------------------------------------------------------------------------------
// The interface

/**
 * A container engine as the node agent sees it. Ids are opaque strings. Every method rejects
 * with a RuntimeError (runtime-error.ts) whose `reason` the agent can put into pod status.
 */
export interface ContainerRuntime {
  info(): Promise<RuntimeInfo>;

  /** Starts the pod's pause container; resolves with the sandbox id once it runs. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Force-stops every container of the sandbox, then the sandbox. Idempotent. */
  stopPodSandbox(id: string): Promise<void>;
  /** Removes the sandbox and every container in it. Idempotent (absent = done). */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]>;

  /** Pulls `ref` (InvalidImageName / ErrImagePull on failure); resolves with what is now present. */
  pullImage(ref: string, auth?: RegistryAuth): Promise<ImageStatus>;
  /** The local image `ref` names, or undefined when absent. Rejects with InvalidImageName for bad refs. */
  imageStatus(ref: string): Promise<ImageStatus | undefined>;
  listImages(): Promise<ImageSummary[]>;
  removeImage(ref: string): Promise<void>;

  createVolume(config: VolumeConfig): Promise<void>;
  /** Idempotent. A volume still mounted by a container cannot be removed. */
  removeVolume(name: string): Promise<void>;
  listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]>;
  /** Writes entries into a volume the running sandbox keeps mounted (PodSandboxConfig.volumes). */
  writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void>;

  /** Creates (does not start) a container in the sandbox's namespaces. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  /** RunContainerError when the process cannot start (e.g. executable not found). */
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after graceSeconds (0 = SIGKILL at once). Resolves once stopped. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Removes a stopped or created container (a running one is killed first). Idempotent. */
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<ContainerSummary[]>;
  /** Resolves with the status once the container is not running (exited or never started). */
  waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus>;
  /** Container lifecycle events from now on, for sandboxes and containers alike. */
  events(options?: EventsOptions): AsyncIterable<ContainerEvent>;

  /** Runs cmd in a running container; DeadlineExceeded after timeoutMs (the process is abandoned). */
  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Starts cmd in a running container with streams attached (NotRunning, NotFound). Optional:
   * a runtime without it cannot serve `kubectl exec`.
   */
  exec?(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to a running container's main process (its tty is the container's own, whatever
   * options.tty says). Optional, as exec.
   */
  attach?(id: string, options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to the container's stdin (config.stdin). Ending the stream closes stdin when
   * stdinOnce is set. Attach before startContainer to be sure nothing is missed.
   */
  attachStdin(id: string): Promise<Writable>;

  /** Log lines of a container, running or exited, stdout and stderr apart. */
  containerLogs(id: string, options?: LogOptions): AsyncIterable<LogLine>;

  /**
   * Regular files inside the container whose absolute path matches `pattern`
   * (`*`, `?`, `[...]` within one path segment, path-glob.ts). Works on exited containers.
   */
  statFiles(id: string, pattern: string): Promise<FileInfo[]>;
  /** Bytes of one file inside the container (running or exited), from offsetBytes. */
  readFile(id: string, path: string, options?: ReadFileOptions): Promise<Buffer>;

  /** Env and host locations of a container's output and files (running or exited), for log collectors. */
  containerLogInfo(id: string): Promise<ContainerLogInfo>;
}
