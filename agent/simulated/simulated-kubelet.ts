// The kubelet of simulated nodes (kwok's pod stages): one pod informer for every simulated
// node; a pod bound to one is reported Running, and after the duration of its annotation its
// containers exit (restartPolicy decides: restart, Succeeded or Failed). A pod being deleted
// gets its terminal status and is deleted with grace 0, as the kubelet's status manager does.
// Every step is one merge patch of pods/status (the kubelet's one write per step); timers live
// in one heap; writes are bounded in number and retried while transient.
import type { Pod, PodStatus } from '../../api/index.js';
import { type Clientset, type DeepReadonly, type EventRecorder, type Logger, type Scheduler, SharedInformer, isTombstone } from '../../client/index.js';
import { errorMessage, isConflict, isInvalid, isNotFound, rfc3339 } from '../../machinery/index.js';
import { afterExit, configErrorStatus, parseSimulation, runningSince, runningStatus, terminatedStatus } from './pod-status.js';
import { TimerHeap } from './timer-heap.js';

/** Exit code of containers stopped by a deletion (SIGKILL after the grace period, as the kubelet reports). */
const KILLED_EXIT_CODE = 137;
/** The kubelet's crash-loop back-off: 10 s, doubling, at most 5 min. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

type Stage = 'starting' | 'running' | 'ended' | 'config-error' | 'deleting';

interface PodState {
  uid: string;
  key: string;
  hostIP: string;
  stage: Stage;
  /** When the current containers started (ms). */
  startedAtMs?: number;
  restartCount: number;
  /** Serialises this pod's writes. */
  chain: Promise<void>;
}

export interface SimulatedKubeletOptions {
  client: Clientset;
  /** Node name → its IP (the hostIP of its pods). */
  nodes: Map<string, string>;
  scheduler: Scheduler;
  recorder: EventRecorder;
  logger: Logger;
  /** Pod writes in flight at once. @defaultValue 64 */
  maxInFlight?: number;
}

export class SimulatedKubelet {
  readonly informer: SharedInformer<Pod>;
  private readonly opts: SimulatedKubeletOptions;
  private readonly states = new Map<string, PodState>();
  private readonly timers: TimerHeap;
  private readonly abort = new AbortController();
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private podIPs = 0;
  /** Writes given up on (a test asserts it stays 0). */
  failedWrites = 0;

  constructor(opts: SimulatedKubeletOptions) {
    this.opts = opts;
    this.maxInFlight = opts.maxInFlight ?? 64;
    this.timers = new TimerHeap(opts.scheduler);
    // Bound pods only; those of other nodes are dropped in sync (one watch for N nodes).
    this.informer = new SharedInformer<Pod>(opts.client.pods, { name: 'simulated-kubelet', fieldSelector: 'spec.nodeName!=', scheduler: opts.scheduler, logger: opts.logger });
    this.informer.addEventHandler({
      add: (p) => this.sync(p),
      update: (_o, p) => this.sync(p),
      delete: (p) => this.forget(isTombstone(p) ? p.obj : p),
    });
  }

  async start(): Promise<void> {
    void this.informer.run(this.abort.signal);
    await this.informer.waitForSync(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.timers.stop();
    await Promise.all([...this.states.values()].map((s) => s.chain));
  }

  /** Pods this node plays that have not ended (for tests and the benchmark's counters). */
  activePods(): number {
    let n = 0;
    for (const s of this.states.values()) if (s.stage === 'starting' || s.stage === 'running') n++;
    return n;
  }

  private sync(pod: DeepReadonly<Pod>): void {
    const nodeName = pod.spec.nodeName ?? '';
    const hostIP = this.opts.nodes.get(nodeName);
    const uid = pod.metadata.uid ?? '';
    if (hostIP === undefined || !uid || this.abort.signal.aborted) return;
    let st = this.states.get(uid);
    const phase = pod.status?.phase;
    if (!st) {
      st = { uid, key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, hostIP, stage: 'starting', restartCount: 0, chain: Promise.resolve() };
      this.states.set(uid, st);
      if (phase === 'Succeeded' || phase === 'Failed') st.stage = 'ended';
      else if (phase === 'Running') this.resume(st, pod);
      else if (!pod.metadata.deletionTimestamp) this.enqueue(st, () => this.startPod(st!));
    }
    if (pod.metadata.deletionTimestamp && st.stage !== 'deleting') {
      const ended = st.stage === 'ended' || phase === 'Succeeded' || phase === 'Failed';
      st.stage = 'deleting';
      this.timers.cancel(uid);
      this.enqueue(st, () => this.finishDeletion(st!, ended));
    }
  }

  private forget(pod: DeepReadonly<Pod>): void {
    const uid = pod.metadata.uid ?? '';
    this.timers.cancel(uid);
    this.states.delete(uid);
  }

  /** A pod Running before this node (re)started: its containers run on from their start time. */
  private resume(st: PodState, pod: DeepReadonly<Pod>): void {
    st.stage = 'running';
    st.startedAtMs = runningSince(pod) ?? this.opts.scheduler.now().getTime();
    st.restartCount = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
    this.scheduleExit(st, pod);
  }

  private scheduleExit(st: PodState, pod: DeepReadonly<Pod>): void {
    const sim = parseSimulation(pod);
    if ('error' in sim || sim.durationMs === undefined) return;
    this.timers.set(st.uid, (st.startedAtMs ?? 0) + sim.durationMs, () => this.enqueue(st, () => this.exit(st)));
  }

  /** The newest copy of the pod in the cache, if it is still the same pod. */
  private current(st: PodState): DeepReadonly<Pod> | undefined {
    const pod = this.informer.indexer.getByKey(st.key);
    return pod && pod.metadata.uid === st.uid ? pod : undefined;
  }

  private async startPod(st: PodState): Promise<void> {
    const pod = this.current(st);
    if (!pod || st.stage !== 'starting') return;
    const now = this.opts.scheduler.now();
    const sim = parseSimulation(pod);
    if ('error' in sim) {
      st.stage = 'config-error';
      this.opts.recorder.event(pod, 'Warning', 'Failed', `Error: ${sim.error}`);
      await this.patchStatus(st, configErrorStatus(pod, sim.error, now));
      return;
    }
    const n = this.podIPs++;
    await this.patchStatus(st, runningStatus(pod, { now, hostIP: st.hostIP, podIP: `10.244.${(n >> 8) & 255}.${n & 255}`, restartCount: 0 }));
    if (st.stage !== 'starting') return;
    st.stage = 'running';
    st.startedAtMs = now.getTime();
    this.scheduleExit(st, pod);
  }

  /** The containers exit: restart them (after the back-off) or end the pod. */
  private async exit(st: PodState): Promise<void> {
    const pod = this.current(st);
    if (!pod || st.stage !== 'running') return;
    const sim = parseSimulation(pod);
    if ('error' in sim || sim.durationMs === undefined) return;
    // The end is when the duration ran out (later only if this node was down at the time).
    const finishedAt = new Date((st.startedAtMs ?? 0) + sim.durationMs);
    const next = afterExit(pod, sim.exitCode);
    if (next !== 'restart') {
      st.stage = 'ended';
      await this.patchStatus(st, terminatedStatus(pod, next, sim.exitCode, finishedAt));
      return;
    }
    const backoff = Math.min(BACKOFF_BASE_MS * 2 ** st.restartCount, BACKOFF_MAX_MS);
    const startedAt = new Date(st.startedAtMs ?? finishedAt.getTime());
    this.timers.set(st.uid, finishedAt.getTime() + backoff, () =>
      this.enqueue(st, async () => {
        const latest = this.current(st);
        if (!latest || st.stage !== 'running') return;
        const now = this.opts.scheduler.now();
        st.restartCount++;
        st.startedAtMs = now.getTime();
        const lastExit = { exitCode: sim.exitCode, startedAt: rfc3339(startedAt), finishedAt: rfc3339(finishedAt) };
        await this.patchStatus(st, runningStatus(latest, { now, startedAt: now, hostIP: st.hostIP, podIP: latest.status?.podIP ?? '', restartCount: st.restartCount, lastExit }));
        this.scheduleExit(st, latest);
      }),
    );
  }

  /** Graceful deletion: the containers stop at once, the pod gets its terminal status, then goes with grace 0. */
  private async finishDeletion(st: PodState, ended: boolean): Promise<void> {
    const pod = this.current(st);
    if (!pod) return;
    if (!ended) await this.patchStatus(st, terminatedStatus(pod, 'Failed', KILLED_EXIT_CODE, this.opts.scheduler.now()));
    const [ns, name] = splitKey(st.key);
    await this.retry(st, async () => {
      try {
        await this.opts.client.pods.namespace(ns).delete(name, { gracePeriodSeconds: 0, preconditions: { uid: st.uid } });
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) return; // gone, or another pod by that name
        throw err;
      }
    });
  }

  /** One write of pods/status (merge patch: lists replaced whole, the uid must still match). */
  private patchStatus(st: PodState, status: PodStatus): Promise<void> {
    const [ns, name] = splitKey(st.key);
    return this.retry(st, async () => {
      await this.opts.client.pods.namespace(ns).patch(name, 'merge', { metadata: { uid: st.uid }, status }, { subresource: 'status' });
    });
  }

  private async retry(st: PodState, op: () => Promise<void>): Promise<void> {
    let delay = 100;
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted || !this.states.has(st.uid)) return;
      try {
        await op();
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        // 422 is final: a pod of the same name with another uid (metadata.uid is immutable), or a status we got wrong.
        const final = isInvalid(err);
        if (final && !this.current(st)) return;
        if (final || attempt >= 8) {
          this.failedWrites++;
          this.opts.logger.warn('simulated kubelet gave up a write', { pod: st.key, error: errorMessage(err) });
          return;
        }
        this.opts.logger.debug('simulated kubelet retrying', { pod: st.key, error: errorMessage(err) });
        await this.opts.scheduler.sleep(delay, this.abort.signal).catch(() => {});
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /** Runs `op` after the pod's earlier writes, with at most maxInFlight writes at once. */
  private enqueue(st: PodState, op: () => Promise<void>): void {
    st.chain = st.chain
      .then(async () => {
        // A finished write hands its slot to the next waiting one.
        if (this.inFlight < this.maxInFlight) this.inFlight++;
        else await new Promise<void>((r) => this.waiting.push(r));
        try {
          await op();
        } finally {
          const next = this.waiting.shift();
          if (next) next();
          else this.inFlight--;
        }
      })
      .catch((err: unknown) => this.opts.logger.error('simulated kubelet step failed', { pod: st.key, error: errorMessage(err) }));
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
