// The node's log collectors: every container of this agent whose environment names a
// logstore (`aliyun_logs_*`, log-config.ts) gets a ContainerCollector; a loop reads them all
// (again at once while there is more, else every `pollIntervalMs`), and a relist finds new
// and exited containers (the runtime is the source of truth: its containers carry the pod's
// identity in the kubelet's labels, their env the log settings, their sandbox the pod labels,
// so this works for containers of pods already deleted from the API and after a restart).
//
// The kubelet calls `drainContainer(id)` before it removes a container: the container's logs
// are read to their end and stored before its files go away.
import { JobLabels, LOGS_API_VERSION, LOGSTORE_RESOURCE, type Logstore } from '../../api/index.js';
import { type Clientset, type Logger, noopLogger, realScheduler, type Scheduler } from '../../client/index.js';
import { isAlreadyExists } from '../../machinery/index.js';
import {
  type ContainerRuntime,
  type ContainerSummary,
  isRuntimeError,
  LABEL_CONTAINER_NAME,
  LABEL_MANAGED,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
} from '../runtime/index.js';
import { ContainerCollector, type ContainerCollectorOptions } from './container-collector.js';
import { logConfigsOf } from './log-config.js';
import type { LogSink } from './log-sink.js';

export interface LogCollectorOptions extends ContainerCollectorOptions {
  /** Idle wait between reads. @defaultValue 250 ms */
  pollIntervalMs?: number;
  /** How often containers are listed. @defaultValue 2 s */
  relistIntervalMs?: number;
  /** How long a removal waits for a container's logs. @defaultValue 5 min */
  drainTimeoutMs?: number;
  /** Read json-file logs and container files on this host. @defaultValue true */
  hostAccess?: boolean;
}

export interface LogCollectorDeps {
  runtime: ContainerRuntime;
  sink: LogSink;
  /** Creates the Logstore objects pods name (AlreadyExists is fine). */
  client?: Pick<Clientset, 'resource'>;
  /** The agent's own labels: only its containers are collected. */
  instanceLabels?: Record<string, string>;
  scheduler?: Scheduler;
  logger?: Logger;
  options?: LogCollectorOptions;
}

interface Tracked {
  /** Undefined for containers without log settings. */
  collector?: ContainerCollector;
  exited: boolean;
  done: boolean;
  /** A step failed: wait until this time before the next. */
  retryAt?: number;
  failures: number;
}

export class LogCollector {
  private readonly deps: LogCollectorDeps;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly tracked = new Map<string, Tracked>();
  private readonly pendingInspect = new Map<string, Promise<Tracked>>();
  private readonly logstores = new Set<string>();
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private lastRelist = -Infinity;
  private wake: (() => void) | undefined;

  constructor(deps: LogCollectorDeps) {
    this.deps = deps;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
  }

  private get opts(): LogCollectorOptions {
    return this.deps.options ?? {};
  }

  /** Starts the loop. */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  /** Stops reading; containers keep their checkpoints (a restarted agent resumes). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    for (const t of this.tracked.values()) await t.collector?.close();
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let progress = false;
      try {
        if (this.scheduler.now().getTime() - this.lastRelist >= (this.opts.relistIntervalMs ?? 2000)) await this.relist();
        progress = await this.pollAll();
      } catch (err) {
        this.logger.warn('log collection step failed', { error: String(err) });
      }
      if (signal.aborted) return;
      if (progress) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = this.scheduler.setTimer(() => {
          this.wake = undefined;
          resolve();
        }, this.opts.pollIntervalMs ?? 250);
        this.wake = () => {
          this.scheduler.clearTimer(t);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Lists the agent's containers: new ones are inspected, exits noted, removed ones forgotten. */
  async relist(): Promise<void> {
    this.lastRelist = this.scheduler.now().getTime();
    const list = await this.deps.runtime.listContainers({ labels: { [LABEL_MANAGED]: 'true', ...(this.deps.instanceLabels ?? {}) } });
    const present = new Set<string>();
    for (const c of list) {
      present.add(c.id);
      // Not started yet: the engine has no log file for it (LogPath is set at start); next time.
      if (c.state === 'created' && !this.tracked.has(c.id)) continue;
      const t = this.tracked.get(c.id) ?? (await this.track(c).catch((err: unknown) => this.inspectFailed(c.id, err)));
      if (t && c.state === 'exited') t.exited = true;
    }
    for (const [id, t] of this.tracked) {
      if (present.has(id)) continue;
      // Removed without a drain (by someone else): nothing left to read.
      await t.collector?.close();
      this.tracked.delete(id);
    }
  }

  private inspectFailed(id: string, err: unknown): undefined {
    if (!isRuntimeError(err, 'NotFound')) this.logger.warn('cannot inspect a container for log collection', { container: id, error: String(err) });
    return undefined;
  }

  /** Reads a container's log settings once and sets up its collector. */
  private track(c: ContainerSummary): Promise<Tracked> {
    const pending = this.pendingInspect.get(c.id);
    if (pending) return pending;
    const p = (async () => {
      const info = await this.deps.runtime.containerLogInfo(c.id);
      const { configs, problems } = logConfigsOf(info.env);
      const pod = c.labels[LABEL_POD_NAME] ?? '';
      for (const pr of problems) this.logger.warn('log collection setting ignored', { pod, container: c.metadata.name, variable: pr.variable, problem: pr.message });
      const t: Tracked = { exited: c.state === 'exited', done: false, failures: 0 };
      if (configs.length) {
        let job: string | undefined;
        if (c.sandboxId) {
          try {
            job = (await this.deps.runtime.podSandboxStatus(c.sandboxId)).labels[JobLabels.jobName] || undefined;
          } catch {
            job = undefined;
          }
        }
        t.collector = new ContainerCollector({
          sink: this.deps.sink,
          runtime: this.deps.runtime,
          container: {
            id: c.id,
            namespace: c.labels[LABEL_POD_NAMESPACE] ?? '',
            pod,
            podUID: c.labels[LABEL_POD_UID] ?? '',
            container: c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name,
            ...(job ? { job } : {}),
          },
          info,
          configs,
          hostAccess: this.opts.hostAccess ?? true,
          now: () => this.scheduler.now().getTime(),
          logger: this.logger,
          options: this.opts,
        });
        for (const cfg of configs) void this.ensureLogstore(cfg.logstore);
      } else t.done = true;
      this.tracked.set(c.id, t);
      return t;
    })().finally(() => this.pendingInspect.delete(c.id));
    this.pendingInspect.set(c.id, p);
    return p;
  }

  /** Creates the Logstore a pod names when it does not exist (with the resource's defaults). */
  private async ensureLogstore(name: string): Promise<void> {
    if (!this.deps.client || this.logstores.has(name)) return;
    this.logstores.add(name);
    const obj: Logstore = { apiVersion: LOGS_API_VERSION, kind: 'Logstore', metadata: { name } };
    try {
      await this.deps.client.resource<Logstore>(LOGSTORE_RESOURCE).create(obj);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.logstores.delete(name); // try again with the next container
      this.logger.warn('cannot create a logstore', { logstore: name, error: String(err) });
    }
  }

  /** One read of every collecting container; true when lines were read. */
  private async pollAll(): Promise<boolean> {
    let progress = false;
    const now = this.scheduler.now().getTime();
    for (const [id, t] of this.tracked) {
      if (!t.collector || t.done || (t.retryAt !== undefined && now < t.retryAt)) continue;
      try {
        const r = await t.collector.poll(t.exited);
        t.failures = 0;
        t.retryAt = undefined;
        progress ||= r.progress;
        if (r.done) {
          t.done = true;
          await t.collector.close();
        }
      } catch (err) {
        t.failures++;
        t.retryAt = now + Math.min(30_000, 500 * 2 ** Math.min(t.failures - 1, 6));
        this.logger.warn('collecting container logs failed', { container: id, error: String(err) });
      }
    }
    return progress;
  }

  /**
   * Reads a container's logs to their end and stores them (the kubelet calls this before it
   * removes the container). Gives up after drainTimeoutMs with a warning, so a log service
   * that is down cannot keep pods from being deleted forever.
   */
  async drainContainer(id: string): Promise<void> {
    let t = this.tracked.get(id);
    if (!t) {
      let summary: ContainerSummary | undefined;
      try {
        summary = (await this.deps.runtime.listContainers({ id }))[0];
      } catch {
        summary = undefined;
      }
      if (!summary) return;
      t = await this.track(summary).catch((err: unknown) => this.inspectFailed(id, err));
      if (!t) return;
    }
    t.exited = true;
    if (!t.collector || t.done) return;
    const deadline = this.scheduler.now().getTime() + (this.opts.drainTimeoutMs ?? 300_000);
    let failures = 0;
    while (this.scheduler.now().getTime() < deadline) {
      try {
        const r = await t.collector.poll(true);
        failures = 0;
        if (r.done) {
          t.done = true;
          await t.collector.close();
          return;
        }
        if (!r.progress) await this.scheduler.sleep(50);
      } catch (err) {
        failures++;
        this.logger.warn('draining container logs failed; retrying', { container: id, error: String(err) });
        await this.scheduler.sleep(Math.min(5_000, 200 * 2 ** Math.min(failures, 5)));
      }
    }
    this.logger.warn('gave up draining container logs before its removal', { container: id });
  }
}
