// Containers of the FakeRuntime (RuntimeService, second half): created from a local image in
// a ready sandbox, started by running their FakeProgram, stopped with SIGTERM then SIGKILL on
// virtual time, waited for, and their lifecycle events.
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
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatus,
  type ContainerSummary,
  type EventsOptions,
} from '../../container-runtime.js';
import { AsyncQueue } from '../../async-queue.js';
import { mergeEnv, resolveCommand } from '../../resolve-command.js';
import { RuntimeError } from '../../runtime-error.js';
import { labelsMatch, type FakeNode, type FakeContainer } from './node.js';
import type { FakeProcesses } from './processes.js';
import type { FakeImages } from './images.js';

export class FakeContainers {
  private readonly node: FakeNode;
  private readonly imageService: FakeImages;
  private readonly processes: FakeProcesses;

  constructor(node: FakeNode, imageService: FakeImages, processes: FakeProcesses) {
    this.node = node;
    this.imageService = imageService;
    this.processes = processes;
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    this.node.record('createContainer', config.metadata.name, config);
    this.node.injected('createContainer', config.metadata.name);
    const s = this.node.sandboxes.get(sandboxId);
    if (!s) throw new RuntimeError('CreateContainerError', `no such sandbox: ${sandboxId}`);
    if (s.state !== 'ready') throw new RuntimeError('CreateContainerError', `cannot join network of a non running sandbox ${sandboxId}`);
    const image = this.imageService.findImage(config.image);
    if (!image) throw new RuntimeError('CreateContainerError', `No such image: ${config.image}`);
    const argv = resolveCommand(image.config, config.command, config.args);
    for (const m of config.mounts ?? []) {
      if (m.type === 'volume' && !this.node.volumes.has(m.source)) throw new RuntimeError('CreateContainerError', `no such volume: ${m.source}`);
    }
    const id = this.node.newId();
    const labels: Record<string, string> = {
      ...config.labels,
      ...Object.fromEntries(Object.entries(config.annotations ?? {}).map(([k, v]) => [ANNOTATION_LABEL_PREFIX + k, v])),
      [LABEL_POD_NAME]: s.config.metadata.name,
      [LABEL_POD_NAMESPACE]: s.config.metadata.namespace,
      [LABEL_POD_UID]: s.config.metadata.uid,
      [LABEL_CONTAINER_NAME]: config.metadata.name,
      [LABEL_CONTAINER_TYPE]: 'container',
      [LABEL_SANDBOX_ID]: sandboxId,
      [LABEL_MANAGED]: 'true',
    };
    const c: FakeContainer = {
      id,
      type: 'container',
      sandboxId,
      config: structuredClone(config),
      imageId: image.id,
      imageRef: image.repoDigests[0] ?? image.id,
      imageFiles: image.files,
      state: 'created',
      createdAt: this.node.clock.now(),
      oomKilled: false,
      labels,
      argv,
      env: mergeEnv(image.config.env, config.env),
      workingDir: config.workingDir || image.config.workingDir || '/',
      layer: new Map(),
      logs: [],
      partial: { stdout: '', stderr: '' },
      logWaiters: new Set(),
      stdinBuf: '',
      stdinEOF: false,
      stdinWaiters: new Set(),
      signalHandlers: new Map(),
      exitWaiters: new Set(),
      memoryUsed: 0,
      cpuNanos: 0,
      run: 0,
    };
    this.node.containers.set(id, c);
    this.node.emit('created', id, 'container', labels);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.node.record('startContainer', id);
    this.node.injected('startContainer', id);
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'created') throw new RuntimeError('RunContainerError', `container ${id} is not in created state`);
    const s = this.node.sandboxes.get(c.sandboxId);
    if (!s || s.state !== 'ready') throw new RuntimeError('RunContainerError', `cannot join network of a non running sandbox ${c.sandboxId}`);
    const missing = this.processes.missingExecutable(c, c.argv[0]);
    if (missing) {
      // Docker leaves the container "created" with exit code 127; CRI reports it exited (ContainerCannotRun).
      c.state = 'exited';
      c.exitCode = 127;
      c.startedAt = c.createdAt;
      c.finishedAt = c.createdAt;
      c.message = missing;
      throw new RuntimeError('RunContainerError', `failed to start container: ${missing}`);
    }
    c.state = 'running';
    c.startedAt = this.node.clock.now();
    c.pid = 1000 + this.node.seq++;
    c.run++;
    for (const m of c.config.mounts ?? []) if (m.type === 'volume') this.node.volumes.get(m.source)!.mountedBy.add(c.id);
    this.node.emit('started', id, 'container', c.labels);
    const proc = this.processes.makeProcess(c, c.argv, false);
    const program = this.processes.findProgram(c, c.argv, false);
    const run = c.run;
    void Promise.resolve()
      .then(() => program(proc.api))
      .then(
        () => {
          if (c.state === 'running' && c.run === run) this.node.finish(c, 0, false);
        },
        (err: unknown) => {
          if (c.state === 'running' && c.run === run) {
            proc.api.err(String(err instanceof Error ? err.message : err));
            this.node.finish(c, 1, false);
          }
        },
      );
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    this.node.record('stopContainer', id, { graceSeconds });
    this.node.injected('stopContainer', id);
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'running') return;
    if (graceSeconds > 0) {
      for (const h of c.signalHandlers.get('SIGTERM') ?? []) h();
      const exited = this.node.exitPromise(c);
      const cancel = new AbortController();
      await Promise.race([exited, this.node.time.sleep(graceSeconds * 1000, cancel.signal)]);
      cancel.abort();
    }
    if (c.state === 'running') this.node.finish(c, 137, false);
  }

  async removeContainer(id: string): Promise<void> {
    this.node.record('removeContainer', id);
    this.node.injected('removeContainer', id);
    const c = this.node.containers.get(id);
    if (!c) return;
    if (c.state === 'running') this.node.finish(c, 137, false);
    this.node.containers.delete(id);
    for (const w of c.logWaiters) w();
    this.node.emit('removed', id, 'container', c.labels);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.node.containers.get(id);
    if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
    return this.node.status(c);
  }

  /** CPU time its processes spent (useCpu) and the memory they allocated, read now (virtual time). */
  async containerStats(id: string): Promise<ContainerStats> {
    const c = this.node.containers.get(id);
    if (!c || c.type !== 'container') throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state !== 'running') throw new RuntimeError('NotRunning', `container ${id} is not running`);
    return { id, timestamp: this.node.clock.now(), usageCoreNanoSeconds: c.cpuNanos, workingSetBytes: c.memoryUsed };
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
    return [...this.node.containers.values()]
      .filter(
        (c) =>
          (!filter.id || c.id === filter.id) &&
          (!filter.sandboxId || c.sandboxId === filter.sandboxId) &&
          (!filter.state || c.state === filter.state) &&
          labelsMatch(c.labels, filter.labels),
      )
      .map((c) => this.node.summary(c));
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    const c = this.node.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `no such container: ${id}`);
    if (c.state === 'running') {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          c.exitWaiters.delete(done);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        c.exitWaiters.add(done);
      });
    }
    return this.node.status(c);
  }

  events(options: EventsOptions = {}): AsyncIterable<ContainerEvent> {
    const sub = { queue: new AsyncQueue<ContainerEvent>(() => this.node.subscribers.delete(sub)), labels: options.labels };
    this.node.subscribers.add(sub);
    options.signal?.addEventListener('abort', () => {
      this.node.subscribers.delete(sub);
      sub.queue.end();
    });
    if (options.signal?.aborted) sub.queue.end();
    return sub.queue;
  }
}
