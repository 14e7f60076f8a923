// The engine's health as the kubelet sees it (upstream's runtimeState, pkg/kubelet/runtime.go,
// with the PLEG's Healthy check, pkg/kubelet/pleg/generic.go). Every `intervalMs` it:
// - pings the engine (runtime.info); an error is "container runtime is down: <error>", and a
//   ping not answered within the deadline is "container runtime is down: no answer for 3m0s";
// - looks at the engine calls in flight (runtime.operations); one older than the deadline is
//   "PLEG is not healthy: ..." (upstream's PLEG reports a relist that has not come back within
//   its 3-minute relistThreshold the same way: jobyard's calls are its relist).
// The errors, joined as upstream's utilerrors aggregate, become the Node's Ready=False message
// (node-status.ts, reason KubeletNotReady); the kubelet skips pod syncs meanwhile and says so on
// the pods it holds (kubelet.ts). Recovery needs nothing but the engine answering again.
import type { Pod } from '../api/index.js';
import { type EventRecorder, type Logger, noopLogger, realScheduler, type Scheduler, type TimerHandle } from '../client/index.js';
import { errorMessage } from '../machinery/index.js';
import { formatDuration } from './restart-backoff.js';
import type { ContainerRuntime, EngineOperation } from './runtime/index.js';

/** Upstream's relistThreshold: a PLEG relist not back in 3 minutes makes the node NotReady. */
export const DEFAULT_OPERATION_DEADLINE_MS = 3 * 60_000;

export interface RuntimeHealthOptions {
  /** An engine call (or ping) not answered in this long makes the runtime unhealthy. @defaultValue 3 min */
  operationDeadlineMs?: number;
  /** How often the engine is pinged and its calls looked at. @defaultValue 5 s (upstream's runtime status sync) */
  intervalMs?: number;
}

export interface RuntimeHealthDeps {
  runtime: Pick<ContainerRuntime, 'info' | 'operations'>;
  scheduler?: Scheduler;
  logger?: Logger;
  options?: RuntimeHealthOptions;
}

/** utilerrors.NewAggregate(errs).Error(): one error as it is, several as "[a, b]". */
export function aggregateMessage(errors: string[]): string {
  return errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]`;
}

export class RuntimeHealth {
  readonly deadlineMs: number;
  private readonly deps: RuntimeHealthDeps;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly listeners: ((errors: string[]) => void)[] = [];
  private current: string[] = [];
  private ping: { startedAt: number; done: boolean; error?: string } | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(deps: RuntimeHealthDeps) {
    this.deps = deps;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.deadlineMs = deps.options?.operationDeadlineMs ?? DEFAULT_OPERATION_DEADLINE_MS;
  }

  /** Called with the new errors each time they change ([] once healthy again). */
  onChange(listener: (errors: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** upstream's runtimeErrors(): empty while the engine is healthy. */
  errors(): string[] {
    return [...this.current];
  }

  healthy(): boolean {
    return this.current.length === 0;
  }

  /** Checks at once, then every intervalMs. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.check();
      this.timer = this.scheduler.setTimer(tick, this.deps.options?.intervalMs ?? 5_000);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimer(this.timer);
  }

  /**
   * One round: the last ping's outcome and the calls in flight are judged now, and a new ping
   * goes out unless the last one is still waiting (a stuck engine gets one ping, not one per
   * round). The ping's answer triggers a new judgement at once, so recovery shows without
   * waiting for the next round.
   */
  check(): void {
    const now = this.scheduler.now().getTime();
    if (!this.ping || this.ping.done) {
      const ping: { startedAt: number; done: boolean; error?: string } = { startedAt: now, done: false };
      this.ping = ping;
      this.deps.runtime.info().then(
        () => this.pinged(ping, undefined),
        (err: unknown) => this.pinged(ping, errorMessage(err)),
      );
    }
    this.judge();
  }

  private pinged(ping: { done: boolean; error?: string }, error: string | undefined): void {
    ping.done = true;
    if (error !== undefined) ping.error = error;
    if (this.ping === ping) this.judge();
  }

  private judge(): void {
    const now = this.scheduler.now().getTime();
    const errors: string[] = [];
    const ping = this.ping;
    if (ping?.done && ping.error !== undefined) errors.push(`container runtime is down: ${ping.error}`);
    else if (ping && !ping.done && now - ping.startedAt >= this.deadlineMs) {
      errors.push(`container runtime is down: no answer from the engine for ${formatDuration(now - ping.startedAt)}`);
    }
    const stuck = (this.deps.runtime.operations?.() ?? []).filter((op) => now - op.startedAt.getTime() >= this.deadlineMs + (op.allowanceMs ?? 0));
    if (stuck.length > 0) errors.push(`PLEG is not healthy: ${describeStuck(stuck, now, this.deadlineMs)}`);
    if (errors.join('\n') === this.current.join('\n')) return;
    const was = this.current;
    this.current = errors;
    if (errors.length) this.logger.warn('container runtime is not healthy', { errors });
    else if (was.length) this.logger.info('container runtime is healthy again');
    for (const l of this.listeners) l(this.errors());
  }
}

/** "engine call POST /containers/x/start has not returned for 3m2s (and 4 more); threshold is 3m0s". */
function describeStuck(stuck: EngineOperation[], now: number, deadlineMs: number): string {
  const oldest = stuck[0]!;
  const more = stuck.length > 1 ? ` (and ${stuck.length - 1} more)` : '';
  return `engine call ${oldest.name} has not returned for ${formatDuration(now - oldest.startedAt.getTime())}${more}; threshold is ${formatDuration(deadlineMs)}`;
}

/**
 * The kubelet's side of the health check: while the runtime is unhealthy, pod syncs are skipped
 * (upstream's syncLoop: "skipping pod synchronization - [container runtime is down]"), and each
 * pod held up says so once per episode with a FailedSync event, first the pods whose sync was
 * already waiting on the engine. Once healthy again, every pod syncs at once.
 */
export class PodSyncGate {
  private readonly health: RuntimeHealth;
  private readonly recorder: EventRecorder;
  private warned = new Set<string>();

  constructor(deps: { health: RuntimeHealth; recorder: EventRecorder; podByUID: (uid: string) => Pod | undefined; busy: () => string[]; resyncAll: () => void }) {
    this.health = deps.health;
    this.recorder = deps.recorder;
    let wasHealthy = deps.health.healthy();
    deps.health.onChange((errors) => {
      const healthy = errors.length === 0;
      if (healthy === wasHealthy) return;
      wasHealthy = healthy;
      if (healthy) return deps.resyncAll();
      this.warned = new Set();
      for (const uid of deps.busy()) {
        const pod = deps.podByUID(uid);
        if (pod) this.warn(pod);
      }
    });
  }

  /** True (the pod told why, once) when the sync of this pod has to wait for the runtime. */
  blocks(pod: Pod): boolean {
    if (this.health.healthy()) return false;
    this.warn(pod);
    return true;
  }

  private warn(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    if (this.warned.has(uid)) return;
    this.warned.add(uid);
    this.recorder.event(pod, 'Warning', 'FailedSync', `skipping pod synchronization - ${aggregateMessage(this.health.errors())}`);
  }
}
