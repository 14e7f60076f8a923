// The kubelet: which pods run on this node and when each is synced (upstream's kubelet.go).
// The runtime side of a sync (sandbox, containers, kills, removal) is the runtime manager's
// (./kuberuntime/, upstream's kuberuntime_manager.go); the kubelet orchestrates it and owns the
// pod's status.
//
// Wiring: an informer on pods with `spec.nodeName=<node>` feeds PodWorkers (one serialised
// worker per pod uid); runtime events (a container started, died, was OOM-killed) and probe
// results ask for a sync of their pod at once; every pod also resyncs periodically (the
// kubelet's PLEG relist, so nothing depends on an event arriving).
//
// syncPod, for a pod that runs:
//   1. status from what runs now, written when it changed (so "ContainerCreating" shows
//      while an image is pulled);
//   2. the runtime manager's SyncPod: sandbox, init containers, app containers;
//   3. status again when anything changed.
//
// Termination: a pod with a deletionTimestamp has every container killed (preStop, SIGTERM,
// grace period, SIGKILL), its final status written, containers, sandbox and volumes removed,
// then it is DELETEd with gracePeriodSeconds 0. A pod that reached Succeeded or Failed (or
// ran past activeDeadlineSeconds) keeps its exited containers for logs until deleted.
// Adoption: on start, containers of known pods are left running (and synced like any
// other); containers, sandboxes and volumes of pods that no longer exist are removed.
import type { Pod, PodStatus } from '../api/index.js';
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
import { errorMessage, isConflict, isNotFound, rfc3339 } from '../machinery/index.js';
import type { ConfigSource } from './env.js';
import type { ServiceEnvSource } from './service-env.js';
import { podGraceSeconds, type PodRuntimeState } from './kuberuntime/context.js';
import { KubeGenericRuntimeManager } from './kuberuntime/kuberuntime-manager.js';
import { type NetworkProber, nodeNetwork } from './prober/prober.js';
import { ProbeManager } from './prober/probe-manager.js';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, RestartBackoff } from './restart-backoff.js';
import { type ContainerRuntime, ImageManager, LABEL_MANAGED, LABEL_POD_UID } from './runtime/index.js';
import { readySandbox, type RuntimePod, RuntimePodReader } from './runtime-pod.js';
import { generatePodStatus, sameStatus } from './status.js';
import { type HostFS, nodeFS } from './volumes/host-fs.js';
import { VolumeManager } from './volumes/volume-manager.js';
import type { SourceProjectors } from './volumes/projection.js';
import { PodWorkers, type PodSyncResult } from './pod-workers.js';
import { PodSyncGate, type RuntimeHealth } from './runtime-health.js';
import type { PodCgroups } from './pod-cgroups.js';
import { recordPodStart, registerKubeletMetrics } from './metrics.js';
import { PodDnsConfigurer, type PodDnsOptions } from './pod-dns.js';

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
  /**
   * Give every pod a pause container, even a pod whose one container needs nothing shared
   * (kuberuntime-sandbox.ts: needsOwnSandbox). Then the engine's network sandboxes are created and
   * destroyed only under the runtime's lock (Docker 20.10's libnetwork deadlock), at the cost of a
   * second container lifecycle per pod. @defaultValue false
   */
  alwaysPauseContainer?: boolean;
  /** The pods' DNS: the cluster DNS server(s), the cluster domain, the host's resolv.conf (agent/pod-dns.ts). */
  dns?: PodDnsOptions;
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
  /** Projected-volume sources beyond the node's own (configMap, secret, downwardAPI), e.g. serviceAccountToken (agent/volumes/projection.ts). */
  projectors?: SourceProjectors;
  /**
   * Called before a container is removed (the log collectors read its logs to the end, so
   * nothing is lost with its files). Failures are logged; the removal goes on.
   */
  beforeContainerRemoval?: (containerId: string) => Promise<void>;
  /** Each pod's own cgroup (its pids limit for all its containers); without it, limits are per container. */
  podCgroups?: PodCgroups;
  /** The runtime health check: pod syncs wait while it reports errors (runtime-health.ts). */
  health?: RuntimeHealth;
  /** Services for containers' environment variables (service-env.ts); none without it. */
  serviceEnv?: ServiceEnvSource;
  options?: KubeletOptions;
}
/** What the agent keeps per pod between syncs (all of it can be lost: a restart rebuilds it). */
interface PodState extends PodRuntimeState {
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
  /** performance.now() when this kubelet first saw the pod Pending (not one found running); cleared once its start is recorded. */
  firstSeenMs?: number;
  lastWritten?: PodStatus;
  eviction?: { reason: string; message: string };
}

function rvNumber(pod: { metadata?: { resourceVersion?: string } }): number {
  const n = Number(pod.metadata?.resourceVersion ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export class Kubelet {
  readonly deps: KubeletDeps;
  readonly informer: SharedInformer<Pod>;
  readonly workers: PodWorkers;
  readonly probes: ProbeManager;
  readonly images: ImageManager;
  readonly volumes: VolumeManager;
  readonly backoff: RestartBackoff;
  /** Sandboxes and containers of each pod on the runtime (./kuberuntime). */
  readonly runtimeManager: KubeGenericRuntimeManager;
  private readonly runtime: ContainerRuntime;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly reader: RuntimePodReader;
  private readonly states = new Map<string, PodState>();
  private runtimeName = 'docker';
  private allocatable = { cpuMilli: 0, memoryBytes: 0 };
  private abort = new AbortController();
  private housekeepingTimer: ReturnType<Scheduler['setTimer']> | undefined;
  private started = false;
  private readonly gate: PodSyncGate | undefined;

  constructor(deps: KubeletDeps) {
    registerKubeletMetrics();
    this.deps = deps;
    this.runtime = deps.runtime;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    const network = deps.network ?? nodeNetwork;
    const hostFS = deps.hostFS ?? nodeFS;
    this.reader = new RuntimePodReader(deps.runtime);
    this.backoff = new RestartBackoff(deps.options?.backoffInitialMs ?? BACKOFF_INITIAL_MS, deps.options?.backoffMaxMs ?? BACKOFF_MAX_MS);
    this.images = new ImageManager({ runtime: deps.runtime, clock: this.scheduler });
    const config: ConfigSource = {
      getConfigMap: (ns, name) => deps.client.configmaps.namespace(ns).get(name),
      getSecret: (ns, name) => deps.client.secrets.namespace(ns).get(name),
      ...(deps.serviceEnv ? { serviceEnv: (ns: string, links: boolean) => deps.serviceEnv!.serviceEnv(ns, links) } : {}),
    };
    this.volumes = new VolumeManager({
      runtime: deps.runtime,
      hostFS,
      config,
      getClaim: (ns, name) => deps.client.persistentvolumeclaims.namespace(ns).get(name),
      now: () => this.scheduler.now(),
      labels: deps.instanceLabels ?? {},
      protectedDirs: deps.protectedDirs ?? [],
      ...(deps.allowedHostPaths ? { allowedHostPaths: deps.allowedHostPaths } : {}),
      ...(deps.projectors ? { projectors: deps.projectors } : {}),
      nodeAllocatable: () => this.allocatable,
    });
    this.workers = new PodWorkers({ sync: (uid) => this.syncPod(uid), scheduler: this.scheduler, logger: this.logger });
    this.probes = new ProbeManager({
      runtime: deps.runtime,
      network,
      scheduler: this.scheduler,
      recorder: deps.recorder,
      logger: this.logger,
      onResultChange: (uid) => this.workers.requestSync(uid),
    });
    this.runtimeManager = new KubeGenericRuntimeManager({
      runtime: deps.runtime,
      client: deps.client,
      recorder: deps.recorder,
      scheduler: this.scheduler,
      logger: this.logger,
      network,
      hostFS,
      volumes: this.volumes,
      images: this.images,
      probes: this.probes,
      backoff: this.backoff,
      reader: this.reader,
      config,
      hostIP: deps.hostIP,
      ...(deps.rootDir !== undefined ? { rootDir: deps.rootDir } : {}),
      instanceLabels: deps.instanceLabels ?? {},
      ...(deps.options?.podPidsLimit !== undefined ? { podPidsLimit: deps.options.podPidsLimit } : {}),
      alwaysPauseContainer: !!deps.options?.alwaysPauseContainer,
      ...(deps.options?.dns ? { dns: new PodDnsConfigurer(deps.options.dns) } : {}),
      ...(deps.podCgroups ? { podCgroups: deps.podCgroups } : {}),
      allocatable: () => this.allocatable,
      ...(deps.beforeContainerRemoval ? { beforeContainerRemoval: deps.beforeContainerRemoval } : {}),
      lastPullError: new Map(),
    });
    const resyncAll = () => this.states.forEach((_, uid) => this.workers.requestSync(uid));
    if (deps.health) this.gate = new PodSyncGate({ health: deps.health, recorder: deps.recorder, podByUID: (uid) => this.podByUID(uid), busy: () => this.workers.busy(), resyncAll });
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
    await this.cleanupOrphans().catch((err: unknown) => this.logger.warn('orphan cleanup failed', { error: errorMessage(err) }));
    const tick = () => {
      if (this.abort.signal.aborted) return;
      void this.cleanupOrphans()
        .catch((err: unknown) => this.logger.warn('orphan cleanup failed', { error: errorMessage(err) }))
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
      if ((pod.status?.phase ?? 'Pending') === 'Pending') st.firstSeenMs = performance.now();
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
        this.logger.warn('runtime events failed; relisting', { error: errorMessage(err) });
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
    if (this.gate?.blocks(st.pod)) return { requeueAfterMs: this.resyncMs };
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
    this.probes.updatePod(pod, this.runtimeManager.podIP(pod, rt), this.running(rt));
    let status = this.generate(st, pod, rt, false);
    await this.writeStatus(st, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      st.terminal = true;
      await this.finishTerminalPod(st, st.pod, rt);
      return {};
    }

    // 2. Make it run: the runtime manager's SyncPod (sandbox, init containers, app containers).
    st.wakeAt = undefined;
    const changed = await this.runtimeManager.syncPod(st, pod, rt);
    if (st.unrunnable) {
      // Nothing of it can ever run here (a volume type the node never mounts): Failed, as the
      // kubelet's admission rejects a pod, rather than ContainerCreating forever.
      st.eviction = st.unrunnable;
      st.terminal = true;
      await this.finishTerminalPod(st, pod, await this.readRuntime(pod));
      return {};
    }

    // 3. What runs after.
    rt = await this.readRuntime(pod);
    this.probes.updatePod(pod, this.runtimeManager.podIP(pod, rt), this.running(rt));
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
      podIP: podIsTerminal ? '' : this.runtimeManager.podIP(pod, rt),
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
        if (status.phase === 'Running') st.firstSeenMs = recordPodStart(st.firstSeenMs);
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

  // ------------------------------------------------------------------------ runtime

  private readRuntime(pod: Pod): Promise<RuntimePod> {
    return this.runtimeManager.getPodStatus(pod);
  }

  /** A pod that will not run again: stop what runs, stop the sandbox, report the final status; keep exited containers. */
  private async finishTerminalPod(st: PodState, pod: Pod, rt: RuntimePod): Promise<void> {
    this.probes.removePod(st.uid);
    if (rt.containers.some((c) => c.state === 'running') || rt.sandboxes.some((s) => s.state === 'ready')) {
      await this.runtimeManager.killPod(pod, rt, podGraceSeconds(pod));
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
        await this.runtimeManager.killPod(pod, rt, podGraceSeconds(pod));
        rt = await this.readRuntime(pod);
      }
      if (apiDelete) await this.writeStatus(st, this.generate(st, st.pod, rt, true)).catch((err: unknown) => this.logger.warn('final status write failed', { error: errorMessage(err) }));
      await this.runtimeManager.removePod(st.uid, rt);
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

  // ------------------------------------------------------------------------ housekeeping

  /** Removes sandboxes, containers, pod volumes and cgroups whose pod this node no longer has (HandlePodCleanups). */
  async cleanupOrphans(): Promise<void> {
    if (!this.informer.hasSynced()) return;
    const known = new Set<string>();
    for (const p of this.informer.lister().list()) if (p.metadata?.uid) known.add(p.metadata.uid);
    for (const [uid, st] of this.states) if (!st.deleted) known.add(uid);
    await this.runtimeManager.removeOrphans(known);
  }
}
