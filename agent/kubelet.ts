// The node agent's pod lifecycle: the kubelet's syncLoop, syncPod and kuberuntime manager
// in one class, over the ContainerRuntime interface (./runtime).
//
// Wiring: an informer on pods with `spec.nodeName=<node>` feeds PodWorkers (one serialised
// worker per pod uid); runtime events (a container started, died, was OOM-killed) and probe
// results ask for a sync of their pod at once; every pod also resyncs periodically (the
// kubelet's PLEG relist, so nothing depends on an event arriving).
//
// syncPod, for a pod that runs:
//   1. status from what runs now, written when it changed (so "ContainerCreating" shows
//      while an image is pulled);
//   2. the sandbox (volumes first: FailedMount and retry on errors; a sandbox that died is
//      replaced and the pod's containers start again from the init containers);
//   3. init containers one at a time, each to success (restartPolicy decides about failures);
//   4. app containers: start what never ran, kill what failed its liveness/startup probe,
//      restart what exited as restartPolicy says, with the crash-loop back-off;
//   5. status again when anything changed.
// A container start is: image (pull policy, pull secrets), env, mounts, create, start,
// postStart hook (a failing hook kills the container). Each step emits upstream's event and
// its failure becomes the container's waiting reason.
//
// Termination: a pod with a deletionTimestamp has every container killed (preStop, SIGTERM,
// grace period, SIGKILL), its final status written, containers, sandbox and volumes removed,
// then it is DELETEd with gracePeriodSeconds 0. A pod that reached Succeeded or Failed (or
// ran past activeDeadlineSeconds) keeps its exited containers for logs until deleted.
// Adoption: on start, containers of known pods are left running (and synced like any
// other); containers, sandboxes and volumes of pods that no longer exist are removed.
import { randomBytes } from 'node:crypto';
import type { Container, Pod, PodStatus, Secret } from '../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type EventRecorder,
  type Logger,
  type Scheduler,
  SharedInformer,
  deepClone,
  isTombstone,
  noopLogger,
  realScheduler,
} from '../client/index.js';
import { isConflict, isNotFound, rfc3339 } from '../machinery/index.js';
import { ContainerConfigError, makeEnvironmentVariables, type ConfigSource } from './env.js';
import { runLifecycleHandler } from './lifecycle.js';
import { type NetworkProber, nodeNetwork } from './prober/prober.js';
import { ProbeManager } from './prober/probe-manager.js';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, RestartBackoff, formatDuration } from './restart-backoff.js';
import {
  applyDefaultImageTag,
  type ContainerConfig,
  type ContainerRuntime,
  defaultPullPolicy,
  DockerKeyring,
  expandContainerCommand,
  ImageManager,
  isRuntimeError,
  LABEL_MANAGED,
  LABEL_POD_UID,
  linuxResources,
  type Mount,
  type PodSandboxStatus,
  type PortMapping,
} from './runtime/index.js';
import { latestContainer, readySandbox, type RuntimeContainer, type RuntimePod, RuntimePodReader } from './runtime-pod.js';
import {
  CrashLoopBackOff,
  formatPod,
  generatePodStatus,
  isRestartableInit,
  sameStatus,
  shouldContainerBeRestarted,
  type StartFailure,
} from './status.js';
import { type HostFS, nodeFS } from './volumes/host-fs.js';
import { LABEL_VOLUME_TYPE, VolumeError, VolumeManager, type VolumePlan } from './volumes/volume-manager.js';
import { PodWorkers, type PodSyncResult } from './pod-workers.js';
import type { PodCgroups } from './pod-cgroups.js';

/** Annotations the agent stores on containers (as dockershim did). */
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
/** The node file bind-mounted at terminationMessagePath. */
export const ANNOTATION_TERMINATION_LOG = 'jobyard.io/termination-log';

const MAX_TERMINATION_MESSAGE = 4096;
const FALLBACK_LOG_LINES = 80;
const FALLBACK_LOG_BYTES = 2048;
/** The kubelet never gives a container less than this to stop. */
const MIN_GRACE_SECONDS = 2;
const POST_START_TIMEOUT_MS = 120_000;

export interface KubeletOptions {
  /** Periodic resync of every pod. @defaultValue 10 s */
  resyncIntervalMs?: number;
  /** Orphan collection (containers and volumes of pods that are gone). @defaultValue 60 s */
  housekeepingIntervalMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /**
   * The kubelet's podPidsLimit: the most processes (and threads) each container of a pod and its
   * sandbox may have, so one fork bomb cannot exhaust the node's PIDs. -1 or undefined: no limit
   * (upstream's default; jobyard server passes 4096).
   */
  podPidsLimit?: number;
}

export interface KubeletDeps {
  client: Clientset;
  runtime: ContainerRuntime;
  nodeName: string;
  recorder: EventRecorder;
  scheduler?: Scheduler;
  logger?: Logger;
  network?: NetworkProber;
  hostFS?: HostFS;
  /**
   * The agent's directory on the node: termination-log files live under it. Without one,
   * termination messages are read from inside the exited container.
   */
  rootDir?: string;
  /** Host directories with jobyard's own data: never bind-mounted; binds containing them are read-only (agent/volumes). */
  protectedDirs?: string[];
  /** Where hostPath binds may lead, by real path (agent/volumes); absent: not checked. */
  allowedHostPaths?: string[];
  /** The node's IP (status.hostIP). */
  hostIP: string;
  /**
   * Labels on every sandbox, container and volume this agent creates, and the filter for what
   * it adopts or removes: agents of several servers can share one engine without touching
   * each other's containers.
   */
  instanceLabels?: Record<string, string>;
  /** Node allocatable, the default of resourceFieldRef limits. */
  nodeAllocatable?: () => { cpuMilli: number; memoryBytes: number };
  /**
   * Called before a container is removed (the log collectors read its logs to the end, so
   * nothing is lost with its files). Failures are logged; the removal goes on.
   */
  beforeContainerRemoval?: (containerId: string) => Promise<void>;
  /** Each pod's own cgroup (its pids limit for all its containers); without it, limits are per container. */
  podCgroups?: PodCgroups;
  options?: KubeletOptions;
}

/** What the agent keeps per pod between syncs (all of it can be lost: a restart rebuilds it). */
interface PodState {
  uid: string;
  pod: Pod;
  /** Removed from the API. */
  deleted: boolean;
  /** The agent finished terminating it: containers, sandbox and volumes are gone. */
  finalized: boolean;
  /** The final DELETE (gracePeriodSeconds 0) went through. */
  deleteSent?: boolean;
  /** Succeeded/Failed: nothing runs again. */
  terminal: boolean;
  startTime?: string;
  reasons: Map<string, StartFailure>;
  plan?: VolumePlan;
  /** The sandbox whose volumes are populated. */
  populatedSandbox?: string;
  lastWritten?: PodStatus;
  eviction?: { reason: string; message: string };
  /** A wake-up the next sync needs (back-off end, deadline). */
  wakeAt?: number;
}

function rvNumber(pod: { metadata?: { resourceVersion?: string } }): number {
  const n = Number(pod.metadata?.resourceVersion ?? '0');
  return Number.isFinite(n) ? n : 0;
}

function podGraceSeconds(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}

/** The pod's hostname: spec.hostname or the pod name, cut to a DNS label. */
export function podHostname(pod: Pod): string {
  const name = (pod.spec.hostname || pod.metadata.name || '').slice(0, 63);
  return name.replace(/[-.]+$/, '');
}

export class Kubelet {
  readonly deps: KubeletDeps;
  readonly informer: SharedInformer<Pod>;
  readonly workers: PodWorkers;
  readonly probes: ProbeManager;
  readonly images: ImageManager;
  readonly volumes: VolumeManager;
  readonly backoff: RestartBackoff;
  private readonly runtime: ContainerRuntime;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly network: NetworkProber;
  private readonly hostFS: HostFS;
  private readonly reader: RuntimePodReader;
  private readonly states = new Map<string, PodState>();
  private readonly config: ConfigSource;
  /** The last ErrImagePull message per pod+image, for ImagePullBackOff's message. */
  private readonly lastPullError = new Map<string, string>();
  private runtimeName = 'docker';
  private allocatable = { cpuMilli: 0, memoryBytes: 0 };
  private abort = new AbortController();
  private housekeepingTimer: ReturnType<Scheduler['setTimer']> | undefined;
  private started = false;

  constructor(deps: KubeletDeps) {
    this.deps = deps;
    this.runtime = deps.runtime;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.network = deps.network ?? nodeNetwork;
    this.hostFS = deps.hostFS ?? nodeFS;
    this.reader = new RuntimePodReader(deps.runtime);
    this.backoff = new RestartBackoff(deps.options?.backoffInitialMs ?? BACKOFF_INITIAL_MS, deps.options?.backoffMaxMs ?? BACKOFF_MAX_MS);
    this.images = new ImageManager({ runtime: deps.runtime, clock: this.scheduler });
    this.config = {
      getConfigMap: (ns, name) => deps.client.configmaps.namespace(ns).get(name),
      getSecret: (ns, name) => deps.client.secrets.namespace(ns).get(name),
    };
    this.volumes = new VolumeManager({
      runtime: deps.runtime,
      hostFS: this.hostFS,
      config: this.config,
      getClaim: (ns, name) => deps.client.persistentvolumeclaims.namespace(ns).get(name),
      now: () => this.scheduler.now(),
      labels: deps.instanceLabels ?? {},
      protectedDirs: deps.protectedDirs ?? [],
      ...(deps.allowedHostPaths ? { allowedHostPaths: deps.allowedHostPaths } : {}),
    });
    this.workers = new PodWorkers({ sync: (uid) => this.syncPod(uid), scheduler: this.scheduler, logger: this.logger });
    this.probes = new ProbeManager({
      runtime: deps.runtime,
      network: this.network,
      scheduler: this.scheduler,
      recorder: deps.recorder,
      logger: this.logger,
      onResultChange: (uid) => this.workers.requestSync(uid),
    });
    this.informer = new SharedInformer<Pod>(deps.client.pods, {
      name: 'kubelet-pods',
      fieldSelector: `spec.nodeName=${deps.nodeName}`,
      scheduler: this.scheduler,
      logger: this.logger,
    });
    this.informer.addEventHandler({
      add: (pod) => this.onPod(pod),
      update: (_old, pod) => this.onPod(pod),
      delete: (obj) => this.onPodDeleted(isTombstone(obj) ? obj.obj : obj),
    });
  }

  private get instanceLabels(): Record<string, string> {
    return this.deps.instanceLabels ?? {};
  }

  private get resyncMs(): number {
    return this.deps.options?.resyncIntervalMs ?? 10_000;
  }

  /** Starts watching this node's pods and the runtime; resolves once existing containers are adopted. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) return;
    this.started = true;
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    const info = await this.runtime.info();
    this.runtimeName = info.runtimeName;
    this.allocatable = this.deps.nodeAllocatable?.() ?? { cpuMilli: info.cpus * 1000, memoryBytes: info.memoryBytes };
    void this.informer.run(this.abort.signal);
    void this.watchRuntimeEvents();
    if (!(await this.informer.waitForSync(this.abort.signal))) return;
    await this.cleanupOrphans().catch((err: unknown) => this.logger.warn('orphan cleanup failed', { error: errorText(err) }));
    const tick = () => {
      if (this.abort.signal.aborted) return;
      void this.cleanupOrphans()
        .catch((err: unknown) => this.logger.warn('orphan cleanup failed', { error: errorText(err) }))
        .finally(() => {
          if (!this.abort.signal.aborted) this.housekeepingTimer = this.scheduler.setTimer(tick, this.deps.options?.housekeepingIntervalMs ?? 60_000);
        });
    };
    this.housekeepingTimer = this.scheduler.setTimer(tick, this.deps.options?.housekeepingIntervalMs ?? 60_000);
  }

  /** Stops syncing (containers keep running: a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.housekeepingTimer) this.scheduler.clearTimer(this.housekeepingTimer);
    this.probes.stop();
    await this.workers.stop();
  }

  /** Resolves once no pod sync is running (tests). */
  idle(): Promise<void> {
    return this.workers.idle();
  }

  /** The pod as the agent last saw it (from the API or its own write). */
  podByUID(uid: string): Pod | undefined {
    return this.states.get(uid)?.pod;
  }

  // ------------------------------------------------------------------------ events in

  private onPod(pod: DeepReadonly<Pod>): void {
    const uid = pod.metadata.uid ?? '';
    if (!uid) return;
    let st = this.states.get(uid);
    if (!st) {
      st = { uid, pod: deepClone<Pod>(pod), deleted: false, finalized: false, terminal: false, reasons: new Map() };
      this.states.set(uid, st);
    } else if (rvNumber(pod) >= rvNumber(st.pod)) {
      st.pod = deepClone<Pod>(pod);
    }
    this.workers.requestSync(uid);
  }

  private onPodDeleted(pod: DeepReadonly<Pod>): void {
    const uid = pod.metadata?.uid ?? '';
    const st = this.states.get(uid);
    if (!st) return;
    st.deleted = true;
    this.workers.requestSync(uid);
  }

  private async watchRuntimeEvents(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        for await (const ev of this.runtime.events({ labels: { [LABEL_MANAGED]: 'true', ...this.instanceLabels }, signal })) {
          const uid = ev.labels[LABEL_POD_UID];
          // An exited container's status is cached as final, but the engine may learn of its OOM
          // kill after the exit (Docker: containerd's TaskOOM after TaskExit): read it again.
          if (ev.type === 'oom') this.reader.forget(ev.id);
          if (uid && this.states.has(uid) && ev.type !== 'created') this.workers.requestSync(uid);
        }
      } catch (err) {
        if (signal.aborted) return;
        this.logger.warn('runtime events failed; relisting', { error: errorText(err) });
      }
      if (signal.aborted) return;
      // Events may have been missed: sync everything, then listen again.
      for (const uid of this.states.keys()) this.workers.requestSync(uid);
      await this.scheduler.sleep(1_000, signal).catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------------ sync

  /** One sync of one pod; the pod workers serialise calls per uid. */
  async syncPod(uid: string): Promise<PodSyncResult> {
    const st = this.states.get(uid);
    if (!st) return { done: true };
    if (st.deleted) {
      await this.terminatePod(st, false);
      this.states.delete(uid);
      return { done: true };
    }
    const pod = deepClone(st.pod);
    if (pod.metadata.deletionTimestamp) {
      await this.terminatePod(st, true);
      return {};
    }
    if (st.finalized) return {};
    const now = this.scheduler.now();
    st.startTime ??= pod.status?.startTime ?? rfc3339(now);
    let rt = await this.readRuntime(pod);

    const apiPhase = pod.status?.phase;
    if (apiPhase === 'Succeeded' || apiPhase === 'Failed') st.terminal = true;
    if (st.terminal) {
      await this.finishTerminalPod(st, pod, rt);
      return {};
    }

    // activeDeadlineSeconds (the kubelet's activeDeadlineHandler evicts the pod).
    const deadline = this.deadline(pod, st);
    if (deadline !== undefined && now.getTime() >= deadline) {
      const reason = 'DeadlineExceeded';
      const message = 'Pod was active on the node longer than the specified deadline';
      this.deps.recorder.event(pod, 'Normal', reason, message);
      st.eviction = { reason, message };
      st.terminal = true;
      await this.finishTerminalPod(st, pod, rt);
      return {};
    }

    // 1. What runs now.
    this.probes.updatePod(pod, this.podIP(pod, rt), this.running(rt));
    let status = this.generate(st, pod, rt, false);
    await this.writeStatus(st, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      st.terminal = true;
      await this.finishTerminalPod(st, st.pod, rt);
      return {};
    }

    // 2-4. Make it run.
    st.wakeAt = undefined;
    const changed = await this.syncContainers(st, pod, rt);

    // 5. What runs after.
    rt = await this.readRuntime(pod);
    this.probes.updatePod(pod, this.podIP(pod, rt), this.running(rt));
    status = this.generate(st, st.pod, rt, false);
    await this.writeStatus(st, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return { requeueAfterMs: 0 };
    if (changed) return { requeueAfterMs: 0 };
    let next = this.resyncMs;
    const nowMs = this.scheduler.now().getTime();
    if (st.wakeAt !== undefined) next = Math.min(next, Math.max(1, st.wakeAt - nowMs));
    if (deadline !== undefined) next = Math.min(next, Math.max(1, deadline - nowMs));
    return { requeueAfterMs: next };
  }

  private deadline(pod: Pod, st: PodState): number | undefined {
    const seconds = pod.spec.activeDeadlineSeconds;
    const start = pod.status?.startTime ?? st.startTime;
    if (seconds === undefined || seconds === null || !start) return undefined;
    return new Date(start).getTime() + seconds * 1000;
  }

  private podIP(pod: Pod, rt: RuntimePod): string {
    if (pod.spec.hostNetwork) return this.deps.hostIP;
    return readySandbox(rt)?.ip ?? '';
  }

  private running(rt: RuntimePod): { name: string; id: string; startedAt: Date }[] {
    const out: { name: string; id: string; startedAt: Date }[] = [];
    const seen = new Set<string>();
    for (const c of rt.containers) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      if (c.state === 'running') out.push({ name: c.name, id: c.id, startedAt: c.startedAt ?? c.createdAt });
    }
    return out;
  }

  private generate(st: PodState, pod: Pod, rt: RuntimePod, podIsTerminal: boolean): PodStatus {
    // The old status is the freshest one known (st.pod follows our own writes).
    const base: Pod = { ...pod, status: st.pod.status };
    const sandbox = readySandbox(rt);
    return generatePodStatus({
      pod: base,
      runtime: rt,
      runtimeName: this.runtimeName,
      now: this.scheduler.now(),
      hostIP: this.deps.hostIP,
      podIP: podIsTerminal ? '' : this.podIP(pod, rt),
      startTime: st.startTime,
      reasons: st.reasons,
      probes: this.probes.statusFor(st.uid),
      podIsTerminal,
      sandboxReady: !!sandbox && !podIsTerminal,
      ...(st.eviction ? { eviction: st.eviction } : {}),
    });
  }

  /** Writes the status through /status when it differs from what the API has. */
  private async writeStatus(st: PodState, status: PodStatus): Promise<void> {
    if (sameStatus(st.pod.status, status)) return;
    const ns = st.pod.metadata.namespace ?? 'default';
    for (let attempt = 0; attempt < 3; attempt++) {
      const body: Pod = { ...deepClone(st.pod), status };
      try {
        const updated = await this.deps.client.pods.namespace(ns).updateStatus(body);
        if (rvNumber(updated) >= rvNumber(st.pod)) st.pod = updated;
        st.lastWritten = status;
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
        try {
          const fresh = await this.deps.client.pods.namespace(ns).get(st.pod.metadata.name ?? '');
          if (fresh.metadata.uid !== st.uid) return;
          st.pod = fresh;
        } catch (e) {
          if (isNotFound(e)) return;
          throw e;
        }
      }
    }
  }

  private async readRuntime(pod: Pod): Promise<RuntimePod> {
    const rt = await this.reader.read(pod.metadata.uid ?? '');
    for (const c of rt.containers) {
      if (c.state !== 'exited' || this.reader.isRemembered(c.id)) continue;
      c.terminationMessage = await this.terminationMessage(pod, c);
      this.reader.rememberExited(c);
    }
    return rt;
  }

  /** The message of an exited container: its terminationMessagePath file, or its last log lines (FallbackToLogsOnError). */
  private async terminationMessage(pod: Pod, c: RuntimeContainer): Promise<string> {
    let message = '';
    const hostFile = c.annotations[ANNOTATION_TERMINATION_LOG];
    const path = c.annotations[ANNOTATION_TERMINATION_MESSAGE_PATH];
    try {
      if (hostFile) message = (await this.hostFS.readFile(hostFile, MAX_TERMINATION_MESSAGE))?.toString('utf8') ?? '';
      else if (path) message = (await this.runtime.readFile(c.id, path, { limitBytes: MAX_TERMINATION_MESSAGE })).toString('utf8');
    } catch {
      message = '';
    }
    const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === c.name);
    const policy = c.annotations[ANNOTATION_TERMINATION_MESSAGE_POLICY] ?? spec?.terminationMessagePolicy;
    if (message === '' && policy === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0) {
      try {
        const lines: string[] = [];
        for await (const l of this.runtime.containerLogs(c.id, { tail: FALLBACK_LOG_LINES })) lines.push(l.content + (l.partial ? '' : '\n'));
        const text = lines.join('');
        message = Buffer.byteLength(text) > FALLBACK_LOG_BYTES ? Buffer.from(text).subarray(-FALLBACK_LOG_BYTES).toString('utf8') : text;
      } catch {
        message = '';
      }
    }
    return message;
  }

  // ------------------------------------------------------------------------ containers

  /** Sandbox, init containers, app containers (computePodActions + SyncPod). True when something changed. */
  private async syncContainers(st: PodState, pod: Pod, rt: RuntimePod): Promise<boolean> {
    let sandbox = readySandbox(rt);
    let changed = false;
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (!sandbox && policy === 'Never' && rt.sandboxes.length > 0 && rt.containers.length > 0) {
      // A pod that never restarts does not get a new sandbox once its containers ran (computePodActions).
      for (const c of rt.containers) if (c.state === 'running') await this.runtime.stopContainer(c.id, 0).catch(() => undefined);
      return rt.containers.some((c) => c.state === 'running');
    }
    if (!sandbox) {
      const created = await this.createSandbox(st, pod, rt);
      if (!created) return false;
      sandbox = created;
      changed = true;
      rt = await this.readRuntime(pod);
      // The containers of a sandbox that died lost their network: start over.
      rt = { ...rt, containers: rt.containers.filter((c) => c.sandboxId === sandbox!.id) };
    } else if (!st.plan || st.populatedSandbox !== sandbox.id) {
      // Adopted: the volumes exist and the sandbox keeps its files; re-read the plan for mounts.
      try {
        st.plan = await this.volumes.prepare(pod);
        st.populatedSandbox = sandbox.id;
      } catch (err) {
        this.failedMount(pod, err);
        return false;
      }
    }
    const plan = st.plan!;

    // Init containers, one at a time; a restartable one (a sidecar, restartPolicy Always)
    // only has to be running for the next one to start.
    const regularStarted = pod.spec.containers.some((c) => rt.containers.some((rc) => rc.name === c.name && rc.sandboxId === sandbox!.id));
    if (!regularStarted) {
      for (const c of pod.spec.initContainers ?? []) {
        const latest = latestContainer(rt, c.name);
        if (isRestartableInit(c)) {
          if (latest?.state === 'running') continue;
          return (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) || changed;
        }
        if (latest?.state === 'exited' && latest.exitCode === 0) continue;
        if (latest?.state === 'running') return changed;
        if (latest?.state === 'exited' && (pod.spec.restartPolicy ?? 'Always') === 'Never') return changed;
        return (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) || changed;
      }
    } else {
      // Sidecars keep running alongside the app containers whatever the pod's restartPolicy.
      for (const c of (pod.spec.initContainers ?? []).filter(isRestartableInit)) {
        const latest = latestContainer(rt, c.name);
        if (latest?.state === 'running') continue;
        if (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) changed = true;
      }
    }

    // App containers.
    for (const c of pod.spec.containers) {
      const latest = latestContainer(rt, c.name);
      if (latest?.state === 'running') {
        const failed = this.probes.failed(st.uid, c.name, latest.id);
        if (failed) {
          const restart = policy !== 'Never';
          const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
          const message = `Container ${c.name} failed ${failed} probe${restart ? ', will be restarted' : ''}`;
          await this.killContainer(pod, c, latest, message, probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30, this.podIP(pod, rt));
          changed = true;
        }
        continue;
      }
      if (!shouldContainerBeRestarted(c, pod, rt)) continue;
      if (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) changed = true;
    }
    return changed;
  }

  private failedMount(pod: Pod, err: unknown): void {
    const message = err instanceof VolumeError ? err.message : `MountVolume.SetUp failed: ${errorText(err)}`;
    this.deps.recorder.event(pod, 'Warning', 'FailedMount', message);
  }

  /** Volumes, then the sandbox, then the volumes' files. Undefined (with events) when it failed. */
  private async createSandbox(st: PodState, pod: Pod, rt: RuntimePod): Promise<PodSandboxStatus | undefined> {
    // A sandbox that stopped takes its containers with it.
    for (const c of rt.containers) if (c.state === 'running') await this.runtime.stopContainer(c.id, 0).catch(() => undefined);
    let plan: VolumePlan;
    try {
      plan = await this.volumes.prepare(pod);
    } catch (err) {
      this.failedMount(pod, err);
      return undefined;
    }
    const attempt = rt.sandboxes.length ? Math.max(...rt.sandboxes.map((s) => s.metadata.attempt)) + 1 : 0;
    const ports: PortMapping[] = [];
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort) continue;
        const m: PortMapping = { containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol ?? 'TCP' };
        if (p.hostIP) m.hostIP = p.hostIP;
        ports.push(m);
      }
    }
    // The pod's cgroup and its limits exist before anything of the pod runs.
    let cgroupParent: string | undefined;
    try {
      cgroupParent = await this.deps.podCgroups?.ensure(st.uid);
    } catch (err) {
      this.deps.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: failed to create the pod's cgroup: ${errorText(err)}`);
      return undefined;
    }
    let id: string;
    try {
      id = await this.runtime.runPodSandbox({
        metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid: st.uid, attempt },
        hostname: podHostname(pod),
        labels: { ...(pod.metadata.labels ?? {}), ...this.instanceLabels },
        portMappings: ports,
        hostNetwork: !!pod.spec.hostNetwork,
        hostPID: !!pod.spec.hostPID,
        hostIPC: !!pod.spec.hostIPC,
        volumes: this.sandboxVolumes(plan),
        ...this.pidsLimit(),
        ...(cgroupParent ? { cgroupParent } : {}),
      });
    } catch (err) {
      this.deps.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorText(err)}`);
      return undefined;
    }
    try {
      await this.volumes.populate(id, plan);
    } catch (err) {
      this.failedMount(pod, err);
      await this.runtime.removePodSandbox(id).catch(() => undefined);
      return undefined;
    }
    st.plan = plan;
    st.populatedSandbox = id;
    return this.runtime.podSandboxStatus(id);
  }

  /** Every runtime volume of the pod stays mounted by the sandbox (tmpfs lifetime, file writes, subPaths). */
  /** { pidsLimit } when podPidsLimit sets one, else nothing (as upstream: only a positive value limits). */
  private pidsLimit(): { pidsLimit?: number } {
    const limit = this.deps.options?.podPidsLimit;
    return limit !== undefined && limit > 0 ? { pidsLimit: limit } : {};
  }

  private sandboxVolumes(plan: VolumePlan): string[] {
    const out = new Set(plan.sandboxVolumes);
    for (const v of plan.volumes.values()) if (v.kind === 'runtime') out.add(v.runtimeVolume);
    return [...out];
  }

  private backoffKey(pod: Pod, c: Container): string {
    return `${pod.metadata.uid ?? ''}/${c.name}`;
  }

  /** Starts (or restarts) a container unless it is in its crash-loop back-off. */
  private async startWithBackoff(st: PodState, pod: Pod, c: Container, rt: RuntimePod, sandbox: PodSandboxStatus, plan: VolumePlan): Promise<boolean> {
    const latest = latestContainer(rt, c.name);
    const now = this.scheduler.now();
    let attempt = 0;
    if (latest) {
      if (latest.state === 'exited') {
        attempt = latest.metadata.attempt + 1;
        const key = this.backoffKey(pod, c);
        const finishedAt = latest.finishedAt ?? latest.createdAt;
        if (this.backoff.isInBackOffSince(key, finishedAt, now)) {
          const delay = this.backoff.get(key);
          this.deps.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
          st.reasons.set(c.name, { reason: CrashLoopBackOff, message: `back-off ${formatDuration(delay)} restarting failed container=${c.name} pod=${formatPod(pod)}` });
          const until = this.backoff.until(key, finishedAt);
          if (until) st.wakeAt = Math.min(st.wakeAt ?? Infinity, until.getTime());
          return false;
        }
        this.backoff.next(key, finishedAt, now);
        // Keep only the instance just ended (for logs --previous).
        for (const old of rt.containers.filter((x) => x.name === c.name && x.id !== latest.id)) {
          await this.drainLogs([old.id]);
          await this.runtime.removeContainer(old.id).catch(() => undefined);
          this.reader.forget(old.id);
        }
      } else {
        // Created but never started, or unknown: replace it under the same attempt.
        attempt = latest.metadata.attempt;
        await this.runtime.removeContainer(latest.id).catch(() => undefined);
      }
    }
    return this.startContainer(st, pod, c, sandbox, plan, attempt);
  }

  /**
   * The kubelet's startContainer: image, config, create, start, postStart. Failures become
   * waiting reasons. True when a container was created (the runtime changed).
   */
  private async startContainer(st: PodState, pod: Pod, c: Container, sandbox: PodSandboxStatus, plan: VolumePlan, attempt: number): Promise<boolean> {
    const rec = this.deps.recorder;
    const fail = (reason: string, message: string, event = true) => {
      st.reasons.set(c.name, { reason, message });
      if (event) rec.event(pod, 'Warning', 'Failed', `Error: ${reason === 'CreateContainerConfigError' || reason === 'CreateContainerError' || reason === 'RunContainerError' ? message : reason}`);
    };

    // 1. The image.
    const image = c.image ?? '';
    const pullPolicy = c.imagePullPolicy ?? defaultPullPolicy(image);
    let willPull = false;
    try {
      const present = await this.runtime.imageStatus(applyDefaultImageTag(image));
      willPull = pullPolicy === 'Always' || (pullPolicy === 'IfNotPresent' && !present);
    } catch {
      willPull = false; // ensureImage reports it
    }
    const keyring = await this.keyring(pod);
    const backoffKey = `${st.uid}_${image}`;
    if (willPull && !this.images.backoff.isInBackOffSinceUpdate(backoffKey, this.scheduler.now())) rec.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    let imageRef: string;
    try {
      const res = await this.images.ensureImage({ podUID: st.uid, image, pullPolicy, keyring });
      imageRef = applyDefaultImageTag(image);
      if (res.pulled) {
        const took = goDuration(res.pullDurationMs ?? 0);
        rec.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${res.image.sizeBytes} bytes.`);
      } else {
        rec.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      }
    } catch (err) {
      if (!isRuntimeError(err)) throw err;
      switch (err.reason) {
        case 'ImagePullBackOff': {
          rec.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
          const last = this.lastPullError.get(backoffKey);
          fail('ImagePullBackOff', last ? `${err.message}: ErrImagePull: ${last}` : err.message);
          break;
        }
        case 'ErrImagePull':
          rec.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`);
          this.lastPullError.set(backoffKey, err.message);
          fail('ErrImagePull', err.message);
          break;
        case 'ErrImageNeverPull':
          rec.event(pod, 'Warning', 'ErrImageNeverPull', err.message);
          fail('ErrImageNeverPull', err.message);
          break;
        case 'InvalidImageName':
          rec.event(pod, 'Warning', 'InspectFailed', err.message);
          fail('InvalidImageName', err.message);
          break;
        default:
          rec.event(pod, 'Warning', 'InspectFailed', err.message);
          fail(err.reason, err.message);
      }
      st.wakeAt = Math.min(st.wakeAt ?? Infinity, this.scheduler.now().getTime() + Math.max(1_000, this.images.backoff.get(backoffKey) || BACKOFF_INITIAL_MS));
      return false;
    }

    // 2. Its configuration.
    let config: ContainerConfig;
    try {
      config = await this.containerConfig(st, pod, c, sandbox, plan, attempt, imageRef);
    } catch (err) {
      if (err instanceof ContainerConfigError) {
        fail('CreateContainerConfigError', err.message);
        return false;
      }
      if (err instanceof VolumeError) {
        this.failedMount(pod, err);
        fail('CreateContainerConfigError', err.message, false);
        return false;
      }
      throw err;
    }

    // 3. Create and start.
    let id: string;
    try {
      // Made again if it went (a container started outside the pod's cgroup would escape its limit).
      await this.deps.podCgroups?.ensure(st.uid);
      id = await this.runtime.createContainer(sandbox.id, config);
    } catch (err) {
      fail('CreateContainerError', errorText(err));
      return false;
    }
    rec.event(pod, 'Normal', 'Created', `Created container: ${c.name}`);
    try {
      await this.runtime.startContainer(id);
    } catch (err) {
      fail('RunContainerError', errorText(err));
      return true;
    }
    rec.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    st.reasons.delete(c.name);

    // 4. postStart: the container counts as started only once it returns.
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const failure = await runLifecycleHandler(postStart, { pod, container: c, containerId: id, podIP: sandbox.ip || this.deps.hostIP, timeoutMs: POST_START_TIMEOUT_MS }, {
        runtime: this.runtime,
        network: this.network,
        scheduler: this.scheduler,
      });
      if (failure) {
        rec.event(pod, 'Warning', 'FailedPostStartHook', failure);
        const status = await this.runtime.containerStatus(id).catch(() => undefined);
        if (status) await this.killContainer(pod, c, { ...status, name: c.name }, 'FailedPostStartHook', podGraceSeconds(pod), sandbox.ip);
        st.reasons.set(c.name, { reason: 'PostStartHookError', message: failure });
      }
    } else {
      this.lastPullError.delete(backoffKey);
    }
    return true;
  }

  private async keyring(pod: Pod): Promise<DockerKeyring | undefined> {
    const refs = pod.spec.imagePullSecrets ?? [];
    if (refs.length === 0) return undefined;
    const ns = pod.metadata.namespace ?? 'default';
    const secrets: Secret[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      if (!ref.name) continue;
      try {
        secrets.push(await this.deps.client.secrets.namespace(ns).get(ref.name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        missing.push(ref.name);
      }
    }
    if (missing.length) {
      this.deps.recorder.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
    }
    try {
      return DockerKeyring.fromSecrets(secrets);
    } catch {
      return undefined;
    }
  }

  /** generateContainerConfig: env, expanded command, mounts (+ the termination log), resources, labels. */
  private async containerConfig(st: PodState, pod: Pod, c: Container, sandbox: PodSandboxStatus, plan: VolumePlan, attempt: number, image: string): Promise<ContainerConfig> {
    const podIP = pod.spec.hostNetwork ? this.deps.hostIP : sandbox.ip;
    const { env, warnings } = await makeEnvironmentVariables(
      { pod, container: c, podIP, hostIP: this.deps.hostIP, nodeAllocatable: this.allocatable },
      this.config,
    );
    for (const w of warnings) this.deps.recorder.event(pod, 'Warning', w.reason, w.message);
    const expanded = expandContainerCommand(c.command, c.args, env);
    const mounts: Mount[] = this.volumes.mountsFor(c, plan);
    for (const d of this.volumes.subPathDirs(c, plan)) {
      await this.runtime.writeVolumeFiles(sandbox.id, d.runtimeVolume, [{ path: d.path, isDirectory: true, mode: 0o755 }]).catch((err: unknown) => {
        throw new VolumeError(c.name, `failed to create subPath directory ${d.path}: ${errorText(err)}`);
      });
    }
    const annotations: Record<string, string> = {
      [ANNOTATION_RESTART_COUNT]: String(attempt),
      [ANNOTATION_TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File',
    };
    const tmPath = c.terminationMessagePath ?? '/dev/termination-log';
    if (tmPath) {
      annotations[ANNOTATION_TERMINATION_MESSAGE_PATH] = tmPath;
      if (this.deps.rootDir && !mounts.some((m) => m.target === tmPath)) {
        const file = `${this.deps.rootDir}/pods/${st.uid}/containers/${c.name}/${randomBytes(4).toString('hex')}`;
        await this.hostFS.writeFile(file, '', 0o666);
        mounts.push({ type: 'bind', source: file, target: tmPath });
        annotations[ANNOTATION_TERMINATION_LOG] = file;
      }
    }
    const sc = c.securityContext ?? {};
    const podSC = (pod.spec.securityContext ?? {}) as { runAsUser?: number; runAsGroup?: number };
    const security: ContainerConfig['security'] = {};
    const runAsUser = sc.runAsUser ?? podSC.runAsUser;
    const runAsGroup = sc.runAsGroup ?? podSC.runAsGroup;
    if (runAsUser !== undefined) security.runAsUser = runAsUser;
    if (runAsGroup !== undefined) security.runAsGroup = runAsGroup;
    if (sc.privileged) security.privileged = true;
    if (sc.readOnlyRootFilesystem) security.readOnlyRootFilesystem = true;
    if (sc.capabilities?.add?.length) security.capabilitiesAdd = sc.capabilities.add;
    if (sc.capabilities?.drop?.length) security.capabilitiesDrop = sc.capabilities.drop;
    const config: ContainerConfig = {
      metadata: { name: c.name, attempt },
      image,
      env,
      mounts,
      stdin: !!c.stdin,
      stdinOnce: !!c.stdinOnce,
      tty: !!c.tty,
      resources: { ...linuxResources(c.resources), ...this.pidsLimit() },
      security,
      sharePidNamespace: !!pod.spec.shareProcessNamespace,
      labels: { ...this.instanceLabels },
      annotations,
    };
    if (expanded.command) config.command = expanded.command;
    if (expanded.args) config.args = expanded.args;
    if (c.workingDir) config.workingDir = c.workingDir;
    return config;
  }

  /** killContainer: Killing event, preStop within the grace period, then SIGTERM → grace → SIGKILL. */
  private async killContainer(pod: Pod, c: Container | undefined, rc: RuntimeContainer, message: string, graceSeconds: number, podIP: string): Promise<void> {
    this.deps.recorder.event(pod, 'Normal', 'Killing', message || `Stopping container ${rc.name}`);
    let grace = graceSeconds;
    const preStop = c?.lifecycle?.preStop;
    if (preStop && grace > 0 && rc.state === 'running') {
      const started = this.scheduler.now().getTime();
      const failure = await runLifecycleHandler(preStop, { pod, container: c, containerId: rc.id, podIP: podIP || this.deps.hostIP, timeoutMs: grace * 1000 }, {
        runtime: this.runtime,
        network: this.network,
        scheduler: this.scheduler,
      });
      if (failure) this.deps.recorder.event(pod, 'Warning', 'FailedPreStopHook', failure);
      grace -= Math.floor((this.scheduler.now().getTime() - started) / 1000);
    }
    if (grace < MIN_GRACE_SECONDS) grace = MIN_GRACE_SECONDS;
    try {
      await this.runtime.stopContainer(rc.id, grace);
    } catch (err) {
      this.logger.warn('stopping a container failed', { pod: formatPod(pod), container: rc.name, error: errorText(err) });
    }
  }

  /** killPod: every running container in parallel, then the sandbox. */
  private async killPod(pod: Pod, rt: RuntimePod, graceSeconds: number): Promise<void> {
    const specs = new Map([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]));
    const running = rt.containers.filter((c) => c.state === 'running');
    // httpGet preStop hooks go to the pod IP.
    const ip = pod.spec.hostNetwork ? this.deps.hostIP : (readySandbox(rt)?.ip ?? '');
    await Promise.all(running.map((rc) => this.killContainer(pod, specs.get(rc.name), rc, `Stopping container ${rc.name}`, graceSeconds, ip)));
    for (const s of rt.sandboxes) if (s.state === 'ready') await this.runtime.stopPodSandbox(s.id).catch(() => undefined);
  }

  /** A pod that will not run again: stop what runs, stop the sandbox, report the final status; keep exited containers. */
  private async finishTerminalPod(st: PodState, pod: Pod, rt: RuntimePod): Promise<void> {
    this.probes.removePod(st.uid);
    if (rt.containers.some((c) => c.state === 'running') || rt.sandboxes.some((s) => s.state === 'ready')) {
      await this.killPod(pod, rt, podGraceSeconds(pod));
      rt = await this.readRuntime(pod);
    }
    const status = this.generate(st, st.pod, rt, true);
    await this.writeStatus(st, status);
  }

  /**
   * Termination of a deleted pod: kill, final status, remove containers/sandbox/volumes, then
   * DELETE with grace 0 (`apiDelete`; false when the pod is already gone from the API).
   */
  private async terminatePod(st: PodState, apiDelete: boolean): Promise<void> {
    const pod = deepClone(st.pod);
    this.probes.removePod(st.uid);
    if (!st.finalized) {
      let rt = await this.readRuntime(pod);
      if (rt.containers.some((c) => c.state === 'running') || rt.sandboxes.some((s) => s.state === 'ready')) {
        await this.killPod(pod, rt, podGraceSeconds(pod));
        rt = await this.readRuntime(pod);
      }
      if (apiDelete) await this.writeStatus(st, this.generate(st, st.pod, rt, true)).catch((err: unknown) => this.logger.warn('final status write failed', { error: errorText(err) }));
      await this.drainLogs(rt.containers.map((c) => c.id));
      for (const s of rt.sandboxes) await this.runtime.removePodSandbox(s.id);
      for (const c of rt.containers) {
        await this.runtime.removeContainer(c.id);
        this.reader.forget(c.id);
      }
      await this.volumes.cleanup(st.uid).catch((err: unknown) => this.logger.warn('removing pod volumes failed', { error: errorText(err) }));
      if (this.deps.rootDir) await this.hostFS.remove(`${this.deps.rootDir}/pods/${st.uid}`).catch(() => undefined);
      await this.deps.podCgroups?.remove(st.uid).catch((err: unknown) => this.logger.warn('removing the pod cgroup failed', { error: errorText(err) }));
      this.backoff.forgetPrefix(`${st.uid}/`);
      for (const k of [...this.lastPullError.keys()]) if (k.startsWith(`${st.uid}_`)) this.lastPullError.delete(k);
      st.finalized = true;
    }
    if (apiDelete && !st.deleteSent) {
      try {
        await this.deps.client.pods.namespace(pod.metadata.namespace ?? 'default').delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: st.uid } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      st.deleteSent = true;
    }
  }

  /** The beforeContainerRemoval hook for each container (the log collectors drain them). */
  private async drainLogs(ids: string[]): Promise<void> {
    const hook = this.deps.beforeContainerRemoval;
    if (!hook) return;
    for (const id of ids) {
      await hook(id).catch((err: unknown) => this.logger.warn('draining container logs failed', { id, error: errorText(err) }));
    }
  }

  // ------------------------------------------------------------------------ housekeeping

  /** Removes sandboxes, containers and pod volumes whose pod this node no longer has. */
  async cleanupOrphans(): Promise<void> {
    if (!this.informer.hasSynced()) return;
    const known = new Set<string>();
    for (const p of this.informer.lister().list()) if (p.metadata?.uid) known.add(p.metadata.uid);
    for (const [uid, st] of this.states) if (!st.deleted) known.add(uid);
    const sandboxes = await this.runtime.listPodSandboxes({ labels: this.instanceLabels });
    const containers = await this.runtime.listContainers({ labels: this.instanceLabels });
    for (const c of containers) {
      const uid = c.labels[LABEL_POD_UID];
      if (uid && !known.has(uid)) {
        this.logger.info('removing an orphaned container', { id: c.id, pod: uid });
        await this.drainLogs([c.id]);
        await this.runtime.removeContainer(c.id).catch(() => undefined);
      }
    }
    for (const s of sandboxes) {
      if (!known.has(s.metadata.uid)) {
        this.logger.info('removing an orphaned sandbox', { id: s.id, pod: s.metadata.uid });
        await this.runtime.removePodSandbox(s.id).catch(() => undefined);
      }
    }
    const volumes = await this.runtime.listVolumes({ [LABEL_VOLUME_TYPE]: 'pod', ...this.instanceLabels });
    for (const v of volumes) {
      const uid = v.labels[LABEL_POD_UID];
      if (uid && !known.has(uid)) await this.runtime.removeVolume(v.name).catch(() => undefined);
    }
    const cgroups = this.deps.podCgroups;
    if (cgroups) for (const uid of await cgroups.list().catch(() => [])) if (!known.has(uid)) await cgroups.remove(uid).catch(() => undefined);
  }
}

/** Go's time.Duration String at millisecond precision: "523ms", "1.234s", "2m3.5s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const trim = (x: number) => x.toFixed(3).replace(/\.?0+$/, '');
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${trim((ms - m * 60_000) / 1000)}s`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
