// What the runtime manager's parts share: the node's services (runtime, volumes, images, events),
// and the per-pod state the kubelet keeps between syncs. Upstream these are the fields of one
// struct (kubeGenericRuntimeManager) whose methods live in kuberuntime_manager.go,
// kuberuntime_sandbox.go, kuberuntime_container.go, kuberuntime_image.go and kuberuntime_gc.go;
// here the files are functions over this context, and the manager class (kuberuntime-manager.ts)
// is the only entry point.
import type { Clientset, EventRecorder, Logger, Scheduler } from '../../client/index.js';
import type { ConfigSource } from '../env.js';
import type { PodCgroups } from '../pod-cgroups.js';
import type { PodDnsConfigurer } from '../pod-dns.js';
import type { NetworkProber } from '../prober/prober.js';
import type { ProbeManager } from '../prober/probe-manager.js';
import type { RestartBackoff } from '../restart-backoff.js';
import type { ContainerRuntime, ImageManager } from '../runtime/index.js';
import type { RuntimePodReader } from '../runtime-pod.js';
import type { StartFailure } from '../status.js';
import type { HostFS } from '../volumes/host-fs.js';
import type { VolumeManager, VolumePlan } from '../volumes/volume-manager.js';
import type { Pod } from '../../api/index.js';

/** The kubelet never gives a container less than this to stop. */
export const MIN_GRACE_SECONDS = 2;

/** The node's services the runtime manager works with (built once by KubeGenericRuntimeManager). */
export interface RuntimeManagerContext {
  runtime: ContainerRuntime;
  client: Clientset;
  recorder: EventRecorder;
  scheduler: Scheduler;
  logger: Logger;
  network: NetworkProber;
  hostFS: HostFS;
  volumes: VolumeManager;
  images: ImageManager;
  probes: ProbeManager;
  backoff: RestartBackoff;
  reader: RuntimePodReader;
  /** ConfigMaps and Secrets for env and volumes. */
  config: ConfigSource;
  /** The node's IP (status.hostIP, the pod IP of hostNetwork pods). */
  hostIP: string;
  /** The agent's directory on the node (termination-log files); absent: read from the container. */
  rootDir?: string;
  /** Labels on everything this agent creates (see KubeletDeps.instanceLabels). */
  instanceLabels: Record<string, string>;
  /** The kubelet's podPidsLimit; -1 or undefined: no limit. */
  podPidsLimit?: number;
  /** Every pod gets a pause container (KubeletOptions.alwaysPauseContainer). */
  alwaysPauseContainer?: boolean;
  /** The pods' resolv.conf settings (KubeletOptions.dns); absent: the engine's default. */
  dns?: PodDnsConfigurer;
  podCgroups?: PodCgroups;
  /** Node allocatable, the default of resourceFieldRef limits (known once the runtime answered). */
  allocatable(): { cpuMilli: number; memoryBytes: number };
  /** Called before a container is removed (the log collectors drain it). */
  beforeContainerRemoval?: (containerId: string) => Promise<void>;
  /** The last ErrImagePull message per `<pod uid>_<image>`, for ImagePullBackOff's message. */
  lastPullError: Map<string, string>;
}

/** What the kubelet keeps per pod that the runtime manager reads and updates during a sync. */
export interface PodRuntimeState {
  uid: string;
  /** Why each container is not running (its waiting reason in the status). */
  reasons: Map<string, StartFailure>;
  plan?: VolumePlan;
  /** The sandbox whose volumes are populated. */
  populatedSandbox?: string;
  /** A wake-up the next sync needs (back-off end, deadline). */
  wakeAt?: number;
  /** Why the pod can never run on this node (an unsupported volume type): the kubelet fails it. */
  unrunnable?: { reason: string; message: string };
}

export function podGraceSeconds(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}

/** { pidsLimit } when podPidsLimit sets one, else nothing (as upstream: only a positive value limits). */
export function pidsLimit(ctx: RuntimeManagerContext): { pidsLimit?: number } {
  const limit = ctx.podPidsLimit;
  return limit !== undefined && limit > 0 ? { pidsLimit: limit } : {};
}

/** Asks for the pod's next sync no later than `at` (epoch ms). */
export function wakeAtLatest(st: PodRuntimeState, at: number): void {
  st.wakeAt = Math.min(st.wakeAt ?? Infinity, at);
}

/**
 * A container that did not start: its waiting reason, and upstream's "Failed" event (whose
 * message is the error for config, create and run errors, else the reason).
 */
export function recordStartFailure(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, containerName: string, reason: string, message: string, event = true): void {
  st.reasons.set(containerName, { reason, message });
  if (event) ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${reason === 'CreateContainerConfigError' || reason === 'CreateContainerError' || reason === 'RunContainerError' ? message : reason}`);
}
