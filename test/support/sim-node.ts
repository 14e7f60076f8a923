// A simulated node for integration tests: it plays the kubelet's part the way upstream's Job
// integration tests do (by writing pod status), with no containers. It registers a Ready Node
// with allocatable resources, binds nothing itself (the real scheduler does), and plays every
// pod bound to it to a scripted end: Running (Ready or not), container restarts for
// restartPolicy OnFailure, then Succeeded or Failed with per-container exit codes, terminated
// states (exitCode, reason, startedAt, finishedAt) and extra pod conditions such as
// DisruptionTarget. It finishes graceful deletions: the containers stop (at once, after a
// scripted time, or when the deletionTimestamp passes), the pod gets its terminal phase, and
// the node deletes it with grace 0, as the kubelet's status manager does.
//
//   const node = await SimNode.start({ kubeconfig });
//   node.script(ns, (pod, info) => ({ runMs: 200, exit: { exitCode: info.indexSeq === 0 ? 1 : 0 } }));
//   ...
//   await node.stop();
//
// Scripts are chosen per namespace (one namespace per test), from the pod and its place among
// the pods of its Job (seq) and of its completion index (indexSeq). Tests may also drive pods by
// hand: end(), restartContainer(). Writes survive an API server restart: transient errors are
// retried until the node stops.
import type { ContainerStatus, Node, Pod, PodCondition, PodStatus } from '../../api/index.js';
import {
  type DeepReadonly,
  InformerFactory,
  type Logger,
  RestClientset,
  Resources,
  type SharedInformer,
  isTombstone,
  loadKubeconfig,
  noopLogger,
} from '../../client/index.js';
import { errorMessage, isAlreadyExists, isConflict, isNotFound, rfc3339 } from '../../machinery/index.js';

const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

/** How a pod's containers end. */
export interface PodExit {
  /** Exit code of every container (unless `exitCodes` names it). 0 → Succeeded, else Failed. */
  exitCode: number;
  /** Per-container exit codes. */
  exitCodes?: Record<string, number>;
  /** The terminated state's reason. @defaultValue "Completed" for 0, else "Error" */
  reason?: string;
  /** Pod conditions added at the end (e.g. DisruptionTarget=True). */
  conditions?: Omit<PodCondition, 'lastTransitionTime'>[];
  /** status.reason / status.message of the pod (e.g. "Evicted"). */
  podReason?: string;
  podMessage?: string;
}

/** What the node does with one pod. Every field is optional: the default runs Ready until deleted. */
export interface PodScript {
  /** Delay between seeing the pod bound and reporting it Running. @defaultValue 0 */
  startAfterMs?: number;
  /** Ready=True while running (a passing readiness probe). @defaultValue true */
  ready?: boolean;
  /** Time Running before the containers exit; unset: until deleted or ended by the test. */
  runMs?: number;
  /** restartPolicy OnFailure: the container exits with `exitCode` and is restarted, `count` times, `everyMs` apart, before `exit`. */
  restarts?: { count: number; everyMs: number; exitCode?: number };
  /** How the pod ends after runMs (and the restarts); "none" keeps it running. @defaultValue exit code 0 */
  exit?: PodExit | 'none';
  /** Ends land on a whole second, so the second-precision finishedAt is exact (backoff timing tests). */
  alignEndToSecond?: boolean;
  /** After a deletionTimestamp, how long the containers take to stop: ms, or "grace" (until the deletionTimestamp). @defaultValue 0 */
  terminationMs?: number | 'grace';
  /** Exit code of containers stopped by a deletion. @defaultValue 137 */
  killedExitCode?: number;
}

/** Where a pod stands among the pods the node has seen. */
export interface PodInfo {
  /** The pod's Job (label batch.kubernetes.io/job-name), if any. */
  job?: string;
  /** 0 for the first pod of its Job the node sees, 1 for the next... */
  seq: number;
  /** Completion index (Indexed Jobs). */
  index?: number;
  /** 0 for the first pod of its Job and index, 1 for the next... */
  indexSeq: number;
}

export type ScriptFn = (pod: DeepReadonly<Pod>, info: PodInfo) => PodScript;

/** What happened to one pod, in this process's wall clock (ms). */
export interface PodRecord {
  namespace: string;
  name: string;
  uid: string;
  info: PodInfo;
  /** When the node first saw the pod (any node). */
  seenAtMs: number;
  startedAtMs?: number;
  /** When the containers exited (by script, by the test or by deletion). */
  endedAtMs?: number;
  phase?: 'Succeeded' | 'Failed';
  exitCode?: number;
  restarts: number;
  deletedAtMs?: number;
}

export interface SimNodeOptions {
  kubeconfig: string;
  /** @defaultValue "sim-node" */
  nodeName?: string;
  /** status.allocatable (and capacity). */
  allocatable?: Record<string, string>;
  logger?: Logger;
}

interface PodState {
  record: PodRecord;
  script: PodScript;
  timers: Set<ReturnType<typeof setTimeout>>;
  /** Serialises this pod's writes. */
  chain: Promise<void>;
  started: boolean;
  ended: boolean;
  terminating: boolean;
  gone: boolean;
  restartCount: number;
  lastExit?: { exitCode: number; finishedAt: string };
  containerStartedAt?: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function keyOf(ns: string, name: string): string {
  return `${ns}/${name}`;
}

/** The simulated node. */
export class SimNode {
  readonly nodeName: string;
  readonly clientset: RestClientset;
  /** Write errors the node gave up on (tests assert this stays empty). */
  readonly errors: string[] = [];
  private readonly logger: Logger;
  private readonly allocatable: Record<string, string>;
  private readonly ac = new AbortController();
  private readonly informers: InformerFactory;
  private readonly informer: SharedInformer<Pod>;
  private readonly states = new Map<string, PodState>();
  private readonly scripts = new Map<string, ScriptFn>();
  private readonly seqByJob = new Map<string, number>();
  private readonly seqByIndex = new Map<string, number>();
  private readonly records: PodRecord[] = [];
  /** Per namespace: uids of active pods (not terminal, no deletionTimestamp) and the most seen at once. */
  private readonly active = new Map<string, Set<string>>();
  private readonly maxActiveByNs = new Map<string, number>();
  private readonly seen = new Set<string>();
  private stopped = false;

  private constructor(opts: SimNodeOptions) {
    this.nodeName = opts.nodeName ?? 'sim-node';
    this.logger = opts.logger ?? noopLogger;
    this.allocatable = opts.allocatable ?? { cpu: '16', memory: '64Gi', pods: '1000', 'ephemeral-storage': '100Gi' };
    this.clientset = new RestClientset({ userAgent: `sim-node/${this.nodeName}`, ...loadKubeconfig(opts.kubeconfig) });
    this.informers = new InformerFactory(this.clientset);
    this.informer = this.informers.forResource<Pod>(Resources.pods);
    this.informer.addEventHandler({
      add: (p) => this.observe(p),
      update: (_o, p) => this.observe(p),
      delete: (obj) => this.forget(isTombstone(obj) ? obj.obj : obj),
    });
  }

  /** Registers the Node (Ready, with allocatable) and starts playing pods. */
  static async start(opts: SimNodeOptions): Promise<SimNode> {
    const node = new SimNode(opts);
    await node.register();
    node.informers.start(node.ac.signal);
    await node.informers.waitForCacheSync(node.ac.signal);
    return node;
  }

  /** Creates or refreshes the Node object with a Ready condition. */
  async register(): Promise<void> {
    const nodes = this.clientset.nodes;
    try {
      await nodes.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux' } },
        spec: {},
      } as Node);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const now = rfc3339(new Date());
    await this.retry(`node ${this.nodeName} status`, async () => {
      const n = await nodes.get(this.nodeName);
      n.status = {
        ...n.status,
        capacity: { ...this.allocatable },
        allocatable: { ...this.allocatable },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'sim-node is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: this.nodeName },
        ],
      } as Node['status'];
      await nodes.updateStatus(n);
    });
  }

  /** Sets how pods of `namespace` are played (replaces an earlier script of that namespace). */
  script(namespace: string, fn: ScriptFn | PodScript): void {
    this.scripts.set(namespace, typeof fn === 'function' ? fn : () => fn);
  }

  /** Everything that happened to the pods of `namespace`, in the order the node saw them. */
  history(namespace: string): PodRecord[] {
    return this.records.filter((r) => r.namespace === namespace);
  }

  /** The most pods of `namespace` that were active (not terminal, not being deleted) at once. */
  maxActive(namespace: string): number {
    return this.maxActiveByNs.get(namespace) ?? 0;
  }

  /** Ends a running pod now, as its containers exiting would. */
  end(namespace: string, name: string, exit: PodExit = { exitCode: 0 }): Promise<void> {
    const st = this.states.get(keyOf(namespace, name));
    if (!st) return Promise.reject(new Error(`sim-node: no pod ${namespace}/${name} on this node`));
    return this.enqueue(st, namespace, name, () => this.writeEnd(st, namespace, name, exit));
  }

  /** OnFailure: the container exits with `exitCode` and the node restarts it (restartCount + 1). */
  restartContainer(namespace: string, name: string, exitCode = 1): Promise<void> {
    const st = this.states.get(keyOf(namespace, name));
    if (!st) return Promise.reject(new Error(`sim-node: no pod ${namespace}/${name} on this node`));
    return this.enqueue(st, namespace, name, () => this.writeRestart(st, namespace, name, exitCode));
  }

  /** Stops playing pods (pending writes are dropped) and closes the client. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ac.abort();
    for (const st of this.states.values()) for (const t of st.timers) clearTimeout(t);
    await Promise.all([...this.states.values()].map((s) => s.chain.catch(() => {})));
    this.clientset.close();
  }

  // --- event handling ---

  private observe(pod: DeepReadonly<Pod>): void {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? '';
    this.trackActive(pod);
    if (pod.spec.nodeName !== this.nodeName || this.stopped) return;
    const key = keyOf(ns, name);
    let st = this.states.get(key);
    if (st && st.record.uid !== uid) {
      // Same name, new pod (the old one's delete event was missed).
      this.dropState(key, st);
      st = undefined;
    }
    if (!st) {
      const phase = pod.status?.phase;
      // A pod that ended before this node (re)started: nothing to play, but deletions still need finishing.
      st = this.newState(pod);
      if (phase === 'Succeeded' || phase === 'Failed') {
        st.started = true;
        st.ended = true;
      } else if (phase === 'Running') {
        st.started = true;
        st.containerStartedAt = pod.status?.startTime ?? rfc3339(new Date());
        st.restartCount = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
        this.scheduleRun(st, ns, name);
      }
    }
    if (pod.metadata.deletionTimestamp) {
      if (!st.terminating) this.terminate(st, pod);
      return;
    }
    if (!st.started) {
      st.started = true;
      this.after(st, st.script.startAfterMs ?? 0, () => this.enqueue(st, ns, name, () => this.writeRunning(st, ns, name)).then(() => this.scheduleRun(st, ns, name)));
    }
  }

  private forget(pod: DeepReadonly<Pod>): void {
    const ns = pod.metadata.namespace ?? '';
    const uid = pod.metadata.uid ?? '';
    this.active.get(ns)?.delete(uid);
    const key = keyOf(ns, pod.metadata.name ?? '');
    const st = this.states.get(key);
    if (st && st.record.uid === uid) {
      st.record.deletedAtMs ??= Date.now();
      this.dropState(key, st);
    }
  }

  private dropState(key: string, st: PodState): void {
    st.gone = true;
    for (const t of st.timers) clearTimeout(t);
    st.timers.clear();
    this.states.delete(key);
  }

  private trackActive(pod: DeepReadonly<Pod>): void {
    const ns = pod.metadata.namespace ?? '';
    const uid = pod.metadata.uid ?? '';
    let set = this.active.get(ns);
    if (!set) this.active.set(ns, (set = new Set()));
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp) set.delete(uid);
    else set.add(uid);
    if (set.size > (this.maxActiveByNs.get(ns) ?? 0)) this.maxActiveByNs.set(ns, set.size);
  }

  private newState(pod: DeepReadonly<Pod>): PodState {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? '';
    const job = pod.metadata.labels?.[JOB_NAME_LABEL];
    const rawIndex = pod.metadata.labels?.[COMPLETION_INDEX_LABEL] ?? pod.metadata.annotations?.[COMPLETION_INDEX_LABEL];
    const index = rawIndex !== undefined && /^\d+$/.test(rawIndex) ? Number(rawIndex) : undefined;
    let info: PodInfo;
    const existing = this.records.find((r) => r.uid === uid);
    if (existing) info = existing.info;
    else {
      const jobKey = `${ns}/${job ?? ''}`;
      const seq = this.seqByJob.get(jobKey) ?? 0;
      this.seqByJob.set(jobKey, seq + 1);
      const indexKey = `${jobKey}/${index ?? ''}`;
      const indexSeq = this.seqByIndex.get(indexKey) ?? 0;
      this.seqByIndex.set(indexKey, indexSeq + 1);
      info = { job, seq, index, indexSeq };
    }
    const record: PodRecord = existing ?? { namespace: ns, name, uid, info, seenAtMs: Date.now(), restarts: 0 };
    if (!existing) this.records.push(record);
    const fn = this.scripts.get(ns);
    const st: PodState = {
      record,
      script: fn ? fn(pod, info) : {},
      timers: new Set(),
      chain: Promise.resolve(),
      started: false,
      ended: false,
      terminating: false,
      gone: false,
      restartCount: 0,
    };
    this.states.set(keyOf(ns, name), st);
    return st;
  }

  private after(st: PodState, ms: number, fn: () => unknown): void {
    const t = setTimeout(() => {
      st.timers.delete(t);
      if (!st.gone && !this.stopped) void fn();
    }, Math.max(0, ms));
    st.timers.add(t);
  }

  /** After Running: the scripted restarts, then the scripted end. */
  private scheduleRun(st: PodState, ns: string, name: string): void {
    const s = st.script;
    if (s.runMs === undefined) return;
    const restarts = s.restarts;
    const step = (done: number) => {
      if (st.ended || st.terminating) return;
      if (restarts && done < restarts.count) {
        void this.enqueue(st, ns, name, () => this.writeRestart(st, ns, name, restarts.exitCode ?? 1)).then(() =>
          this.after(st, restarts.everyMs, () => step(done + 1)),
        );
        return;
      }
      if (s.exit === 'none') return;
      const exit = s.exit ?? { exitCode: 0 };
      if (s.alignEndToSecond) {
        // A few ms past the second, so the write's own clock reads that second.
        const now = Date.now();
        this.after(st, Math.ceil(now / 1000) * 1000 + 5 - now, () => this.enqueue(st, ns, name, () => this.writeEnd(st, ns, name, exit)));
      } else void this.enqueue(st, ns, name, () => this.writeEnd(st, ns, name, exit));
    };
    this.after(st, s.runMs, () => step(0));
  }

  /** A deletionTimestamp: stop the containers (now, later, or at the deadline), then delete with grace 0. */
  private terminate(st: PodState, pod: DeepReadonly<Pod>): void {
    st.terminating = true;
    for (const t of st.timers) clearTimeout(t);
    st.timers.clear();
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? '';
    const tm = st.script.terminationMs ?? 0;
    const deadline = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : Date.now();
    const waitMs = tm === 'grace' ? deadline - Date.now() : tm;
    this.after(st, waitMs, () =>
      this.enqueue(st, ns, name, async () => {
        if (!st.ended) await this.writeEnd(st, ns, name, { exitCode: st.script.killedExitCode ?? 137, reason: 'Error' });
        await this.retry(`delete ${ns}/${name}`, async () => {
          try {
            await this.clientset.pods.namespace(ns).delete(name, { gracePeriodSeconds: 0, preconditions: { uid } });
          } catch (err) {
            if (isNotFound(err) || isConflict(err)) return; // gone, or another pod by that name
            throw err;
          }
        });
      }),
    );
  }

  // --- status writes ---

  private enqueue(st: PodState, ns: string, name: string, op: () => Promise<void>): Promise<void> {
    const next = st.chain.then(async () => {
      if (st.gone || this.stopped) return;
      try {
        await op();
      } catch (err) {
        if (isNotFound(err)) return;
        const msg = `${ns}/${name}: ${errorMessage(err)}`;
        this.errors.push(msg);
        this.logger.error('sim-node write failed', { error: msg });
      }
    });
    st.chain = next;
    return next;
  }

  /** Retries transient failures (connection refused while the server restarts, conflicts) until done or stopped. */
  private async retry(what: string, op: () => Promise<void>): Promise<void> {
    let delay = 50;
    const giveUpAt = Date.now() + 120_000;
    for (;;) {
      try {
        await op();
        return;
      } catch (err) {
        if (isNotFound(err) || this.stopped || Date.now() > giveUpAt) throw err;
        this.logger.debug('sim-node retrying', { what, error: errorMessage(err) });
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  /** GET, edit the status, PUT /status; conflicts and transient errors retried. */
  private async updatePodStatus(ns: string, name: string, uid: string, edit: (pod: Pod, status: PodStatus) => void): Promise<void> {
    const pods = this.clientset.pods.namespace(ns);
    await this.retry(`status ${ns}/${name}`, async () => {
      const pod = await pods.get(name);
      if (pod.metadata.uid !== uid) return;
      const status = (pod.status ??= {});
      edit(pod, status);
      await pods.updateStatus(pod);
    });
  }

  private writeRunning(st: PodState, ns: string, name: string): Promise<void> {
    const ready = st.script.ready ?? true;
    const now = new Date();
    const t = rfc3339(now);
    st.containerStartedAt = t;
    return this.updatePodStatus(ns, name, st.record.uid, (pod, status) => {
      if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
      status.phase = 'Running';
      status.startTime ??= t;
      status.hostIP = '127.0.0.1';
      status.hostIPs = [{ ip: '127.0.0.1' }];
      status.podIP ??= `10.88.${(this.records.length >> 8) & 255}.${this.records.length & 255}`;
      status.podIPs = [{ ip: status.podIP }];
      setConditions(status, t, [
        ['PodReadyToStartContainers', 'True'],
        ['Initialized', 'True'],
        ['ContainersReady', ready ? 'True' : 'False'],
        ['Ready', ready ? 'True' : 'False'],
      ]);
      status.initContainerStatuses = (pod.spec.initContainers ?? []).map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        containerID: `sim://${st.record.uid}/${c.name}`,
        ready: true,
        restartCount: 0,
        started: false,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } },
      }));
      if (status.initContainerStatuses.length === 0) delete status.initContainerStatuses;
      status.containerStatuses = pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        containerID: `sim://${st.record.uid}/${c.name}`,
        ready,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: t } },
      }));
      st.record.startedAtMs = now.getTime();
    });
  }

  private writeRestart(st: PodState, ns: string, name: string, exitCode: number): Promise<void> {
    if (st.ended) return Promise.resolve();
    const now = rfc3339(new Date());
    st.restartCount++;
    st.record.restarts = st.restartCount;
    const count = st.restartCount;
    const startedAt = st.containerStartedAt ?? now;
    st.containerStartedAt = now;
    return this.updatePodStatus(ns, name, st.record.uid, (pod, status) => {
      if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
      status.containerStatuses = pod.spec.containers.map((c, i) => {
        const prev: Partial<ContainerStatus> = status.containerStatuses?.find((s) => s.name === c.name) ?? {};
        // The first container is the one that crashes.
        if (i !== 0) return prev as ContainerStatus;
        return {
          ...prev,
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: prev.ready ?? false,
          restartCount: count,
          started: true,
          lastState: { terminated: { exitCode, reason: 'Error', startedAt, finishedAt: now, containerID: `sim://${st.record.uid}/${c.name}` } },
          state: { running: { startedAt: now } },
        } as ContainerStatus;
      });
    });
  }

  private writeEnd(st: PodState, ns: string, name: string, exit: PodExit): Promise<void> {
    if (st.ended) return Promise.resolve();
    st.ended = true;
    for (const t of st.timers) clearTimeout(t);
    st.timers.clear();
    const nowMs = Date.now();
    const now = rfc3339(new Date(nowMs));
    const codes = (containerName: string) => exit.exitCodes?.[containerName] ?? exit.exitCode;
    st.record.endedAtMs = nowMs;
    return this.updatePodStatus(ns, name, st.record.uid, (pod, status) => {
      if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
      const allZero = pod.spec.containers.every((c) => codes(c.name) === 0);
      status.phase = allZero ? 'Succeeded' : 'Failed';
      st.record.phase = status.phase;
      st.record.exitCode = exit.exitCode;
      if (exit.podReason) status.reason = exit.podReason;
      if (exit.podMessage) status.message = exit.podMessage;
      setConditions(status, now, [
        ['ContainersReady', 'False'],
        ['Ready', 'False'],
        ...(exit.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message] as CondTuple),
      ]);
      const startedAt = st.containerStartedAt ?? now;
      status.containerStatuses = pod.spec.containers.map((c) => {
        const prev: Partial<ContainerStatus> = status.containerStatuses?.find((s) => s.name === c.name) ?? {};
        const code = codes(c.name);
        return {
          ...prev,
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          containerID: `sim://${st.record.uid}/${c.name}`,
          ready: false,
          started: false,
          restartCount: prev.restartCount ?? 0,
          state: { terminated: { exitCode: code, reason: exit.reason ?? (code === 0 ? 'Completed' : 'Error'), startedAt, finishedAt: now, containerID: `sim://${st.record.uid}/${c.name}` } },
        } as ContainerStatus;
      });
    });
  }
}

type CondTuple = [type: string, status: PodCondition['status'], reason?: string, message?: string];

/** Sets conditions by type, keeping lastTransitionTime when the status does not change. */
function setConditions(status: PodStatus, now: string, conds: CondTuple[]): void {
  const list = (status.conditions ??= []);
  for (const [type, s, reason, message] of conds) {
    const i = list.findIndex((c) => c.type === type);
    const next: PodCondition = { type, status: s, lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
    if (i < 0) list.push(next);
    else if (list[i].status !== s) list[i] = next;
    else list[i] = { ...list[i], ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  }
}
