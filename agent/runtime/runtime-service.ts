// RuntimeService: pod sandboxes and the containers in them (CRI runtime.v1 RuntimeService,
// without its exec/attach calls, which are in streaming-service.ts).
import type { EngineOperation } from './engine-operations.js';
import type { ContainerType, KeyValue, Mount } from './runtime-types.js';

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
  /**
   * Nothing of the pod needs a sandbox of its own: one container that never restarts, no
   * volumes kept by the sandbox, nobody else joining its namespaces (the kubelet decides,
   * kuberuntime-sandbox.ts). A runtime may then give that container the sandbox's network,
   * hostname, ports and cgroup itself instead of starting a pause container: the sandbox is
   * ready until the container exits, and has its IP once the container runs. A runtime may
   * ignore the hint (the sandbox is then an ordinary one).
   */
  singleContainer?: boolean;
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
// Containers

export interface ContainerMetadata {
  name: string;
  /** The container's restart count: each restart is a new container with attempt + 1. */
  attempt: number;
}

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

// ---------------------------------------------------------------------------------------------
// The service

export interface RuntimeService {
  info(): Promise<RuntimeInfo>;
  /**
   * The engine calls in flight, oldest first, each with its start time: the kubelet's health
   * check marks the node NotReady when one is stuck past its deadline (upstream's PLEG check).
   * Calls that wait by design (a container's wait, attach, the events stream) are not listed.
   */
  operations?(): EngineOperation[];

  /**
   * Starts the pod's pause container; resolves with the sandbox id once it runs. A
   * singleContainer sandbox may start nothing yet: its container, once created, is the sandbox.
   */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Force-stops every container of the sandbox, then the sandbox. Idempotent. */
  stopPodSandbox(id: string): Promise<void>;
  /** Removes the sandbox and every container in it. Idempotent (absent = done). */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  /** A sandbox that is not ready may list without its hostname (podSandboxStatus has it). */
  listPodSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]>;

  /** Creates (does not start) a container in the sandbox's namespaces. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  /** RunContainerError when the process cannot start (e.g. executable not found). */
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after graceSeconds (0 = SIGKILL at once). Resolves once stopped. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Removes a stopped or created container (a running one is killed first). Idempotent. */
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus>;
  /**
   * Cheap however many containers there are (Docker: one list call, no inspect each). A
   * container whose start failed may list as 'created' (the engine's list has no exit code);
   * containerStatus says 'exited'.
   */
  listContainers(filter?: ContainerFilter): Promise<ContainerSummary[]>;
  /** Resolves with the status once the container is not running (exited or never started). */
  waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus>;
  /** Container lifecycle events from now on, for sandboxes and containers alike. */
  events(options?: EventsOptions): AsyncIterable<ContainerEvent>;
  /**
   * A running container's resource usage now (CRI's ContainerStats): read on request, nothing
   * is sampled in the background. NotFound, NotRunning. Optional: without it the node reports
   * no resource metrics.
   */
  containerStats?(id: string): Promise<ContainerStats>;
}

/** CRI's ContainerStats: cumulative CPU time and the memory working set, read at one moment. */
export interface ContainerStats {
  id: string;
  timestamp: Date;
  /** CPU time used since the container started, over all cores, in nanoseconds. */
  usageCoreNanoSeconds: number;
  /** Memory in use less inactive file pages (what the kubelet and metrics-server report), bytes. */
  workingSetBytes: number;
}
