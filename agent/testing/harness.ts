// Test helpers for the agent (no vitest here: this folder may be imported by other tiers).
// A KubeletHarness runs a real Kubelet over FakeClientset + FakeRuntime + FakeScheduler, all
// on one FakeClock that only the test moves; FakeNetwork answers httpGet/tcpSocket probes and
// hooks; FakeHostFS is the FakeRuntime's node files.
import type { Container, Pod, PodSpec } from '../../api/index.js';
import { noopLogger } from '../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { Kubelet, type KubeletOptions } from '../kubelet.js';
import { RuntimeHealth, type RuntimeHealthOptions } from '../runtime-health.js';
import type { HttpProbeRequest, HttpProbeResponse, NetworkProber } from '../prober/prober.js';
import { FakeRuntime, settle } from '../runtime/testing/index.js';
import type { HostFileType, HostFS } from '../volumes/host-fs.js';

export const NODE = 'node-1';
export const NODE_IP = '192.0.2.10';
export const T0 = '2026-01-01T00:00:00Z';

/** A pod as the API server stores it once bound to NODE (defaults applied). */
export function newPod(name: string, spec: Partial<PodSpec> = {}, opts: { namespace?: string; labels?: Record<string, string>; uid?: string; node?: string } = {}): Pod {
  const containers: Container[] = (spec.containers ?? [{ name: 'main', image: 'busybox:1.36', command: ['/app'] }]).map((c) => withContainerDefaults(c));
  const initContainers = spec.initContainers?.map((c) => withContainerDefaults(c));
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'default', labels: opts.labels ?? { app: name } },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      ...spec,
      containers,
      ...(initContainers ? { initContainers } : {}),
      nodeName: opts.node ?? NODE,
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  if (opts.uid) pod.metadata.uid = opts.uid;
  return pod;
}

function withContainerDefaults(c: Container): Container {
  return {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...c,
  };
}

/** Probe and hook targets: `http(host, port, path)` answers, everything else is refused. */
export class FakeNetwork implements NetworkProber {
  readonly requests: HttpProbeRequest[] = [];
  private readonly http = new Map<string, (req: HttpProbeRequest) => HttpProbeResponse | Promise<HttpProbeResponse>>();
  private readonly tcp = new Set<string>();

  serveHttp(port: number, handler: (req: HttpProbeRequest) => HttpProbeResponse | Promise<HttpProbeResponse>): void {
    this.http.set(String(port), handler);
  }

  stopHttp(port: number): void {
    this.http.delete(String(port));
  }

  listenTcp(port: number): void {
    this.tcp.add(String(port));
  }

  closeTcp(port: number): void {
    this.tcp.delete(String(port));
  }

  async httpGet(req: HttpProbeRequest): Promise<HttpProbeResponse> {
    this.requests.push(req);
    const h = this.http.get(String(req.port));
    const url = `${req.scheme.toLowerCase()}://${req.host}:${req.port}${req.path}`;
    if (!h) throw new Error(`Get "${url}": dial tcp ${req.host}:${req.port}: connect: connection refused`);
    return h(req);
  }

  async tcpConnect(host: string, port: number): Promise<void> {
    if (!this.tcp.has(String(port))) throw new Error(`dial tcp ${host}:${port}: connect: connection refused`);
  }
}

/** The FakeRuntime's node files as a HostFS (directories and special files kept aside). */
export class FakeHostFS implements HostFS {
  readonly dirs = new Set<string>();
  readonly special = new Map<string, HostFileType>();
  private readonly runtime: FakeRuntime;

  constructor(runtime: FakeRuntime) {
    this.runtime = runtime;
  }

  async stat(path: string): Promise<HostFileType | undefined> {
    if (this.special.has(path)) return this.special.get(path);
    if (this.runtime.hostFiles.has(path)) return 'file';
    if (this.dirs.has(path) || [...this.runtime.hostFiles.keys()].some((p) => p.startsWith(`${path}/`))) return 'directory';
    return undefined;
  }

  async mkdir(path: string): Promise<void> {
    this.dirs.add(path);
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    this.runtime.hostFiles.set(path, Buffer.from(data));
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
    const v = this.runtime.hostFiles.get(path);
    return v === undefined ? undefined : Buffer.from(v).subarray(0, maxBytes);
  }

  async remove(path: string): Promise<void> {
    for (const p of [...this.runtime.hostFiles.keys()]) if (p === path || p.startsWith(`${path}/`)) this.runtime.hostFiles.delete(p);
    for (const d of [...this.dirs]) if (d === path || d.startsWith(`${path}/`)) this.dirs.delete(d);
  }
}

export interface HarnessOptions {
  rootDir?: string;
  options?: KubeletOptions;
  /** Objects in the API before the kubelet starts (pods, configmaps, secrets...). */
  objects?: Parameters<FakeClientset['tracker']['add']>[1][];
  /** A runtime health check over the fake runtime (started by start()), given to the kubelet. */
  health?: RuntimeHealthOptions;
}

/** A Kubelet on fakes, with helpers to let it work and to move time. */
export class KubeletHarness {
  readonly clock = new FakeClock(T0);
  readonly scheduler = new FakeScheduler(this.clock);
  readonly runtime = new FakeRuntime({ clock: this.clock, autoAdvance: false, cpus: 4, memoryBytes: 8 * 1024 ** 3 });
  readonly client = new FakeClientset({ clock: this.clock, gracefulPodDeletion: true });
  readonly recorder = new FakeEventRecorder();
  readonly network = new FakeNetwork();
  readonly hostFS: FakeHostFS;
  readonly kubelet: Kubelet;
  readonly health: RuntimeHealth | undefined;

  constructor(opts: HarnessOptions = {}) {
    this.hostFS = new FakeHostFS(this.runtime);
    if (opts.health) this.health = new RuntimeHealth({ runtime: this.runtime, scheduler: this.scheduler, options: opts.health });
    this.runtime.addImage('busybox:1.36', { config: { cmd: ['sh'] }, sizeBytes: 2_000_000 });
    this.kubelet = new Kubelet({
      client: this.client,
      runtime: this.runtime,
      nodeName: NODE,
      recorder: this.recorder,
      scheduler: this.scheduler,
      logger: noopLogger,
      network: this.network,
      hostFS: this.hostFS,
      rootDir: opts.rootDir,
      hostIP: NODE_IP,
      options: opts.options,
      ...(this.health ? { health: this.health } : {}),
    });
  }

  async start(): Promise<void> {
    this.health?.start();
    const started = this.kubelet.start();
    await this.settle();
    await started;
    await this.settle();
  }

  async stop(): Promise<void> {
    this.health?.stop();
    await this.kubelet.stop();
  }

  /**
   * Lets pending promises, due timers and pod syncs run without moving time: spins until the
   * runtime and the API saw no new call for a few rounds (a sync blocked on virtual time — a
   * grace period — stays blocked until the test advances).
   */
  async settle(): Promise<void> {
    let last = -1;
    let quiet = 0;
    for (let i = 0; i < 200 && quiet < 3; i++) {
      await settle(5);
      this.scheduler.fireDue();
      const mark = this.runtime.calls.length + this.client.actions.length + this.recorder.events.length;
      quiet = mark === last ? quiet + 1 : 0;
      last = mark;
    }
  }

  /** Moves time forward in small steps, firing runtime and kubelet timers in order. */
  async advance(ms: number, stepMs = 250): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      await this.runtime.advance(Math.min(stepMs, ms - done));
      this.scheduler.fireDue();
      await this.settle();
    }
  }

  /** Advances until `cond` holds, at most `maxMs`; returns the ms it took. */
  async advanceUntil(cond: () => boolean | Promise<boolean>, maxMs: number, stepMs = 250): Promise<number> {
    for (let t = 0; t <= maxMs; t += stepMs) {
      if (await cond()) return t;
      await this.advance(stepMs, stepMs);
    }
    throw new Error(`condition not met within ${maxMs} ms`);
  }

  async createPod(pod: Pod): Promise<Pod> {
    const created = await this.client.pods.namespace(pod.metadata.namespace ?? 'default').create(pod);
    await this.settle();
    return created;
  }

  async pod(name: string, namespace = 'default'): Promise<Pod> {
    return this.client.pods.namespace(namespace).get(name);
  }

  /** Events recorded so far as "Type Reason message". */
  get events(): string[] {
    return this.recorder.events;
  }

  /** Container ids of the runtime for one container name, newest last. */
  async instances(podName: string, container: string): Promise<string[]> {
    const list = await this.runtime.listContainers({ labels: { 'io.kubernetes.pod.name': podName, 'io.kubernetes.container.name': container } });
    return list.sort((a, b) => a.metadata.attempt - b.metadata.attempt).map((c) => c.id);
  }
}
