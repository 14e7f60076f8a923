// The node's resource usage for metrics.k8s.io (upstream: the kubelet's CRI stats provider and
// cadvisor, scraped by metrics-server): per container from the runtime's containerStats, for
// the node from /proc. Nothing is sampled in the background: figures are read when asked.
// CPU is a rate, so it needs two samples: the samples of earlier asks are kept (two per
// container, at least minWindowMs apart), and an ask that finds none old enough reads again
// after minWindowMs (the first `kubectl top` takes a second; later ones answer at once, over
// the window since an earlier ask, as metrics-server's window is the time between its scrapes).
import { readFile } from 'node:fs/promises';
import type { Pod } from '../api/index.js';
import type { PodUsage, ResourceMetricsProvider, UsageSample } from '../api/metrics.js';
import { type ContainerRuntime, type ContainerStats, LABEL_CONTAINER_NAME, LABEL_POD_UID } from './runtime/index.js';

/** Cumulative figures at one moment. */
interface Reading {
  at: number;
  cpuNs: number;
  workingSetBytes: number;
}

/** The node's cumulative CPU time and its memory working set, now. */
export type NodeReader = () => Promise<Reading>;

const NODE = '';

export interface ResourceMetricsDeps {
  runtime: ContainerRuntime;
  nodeName: string;
  /** The shortest interval a CPU rate is computed over (default 1 s). */
  minWindowMs?: number;
  readNode?: NodeReader;
  sleep?: (ms: number) => Promise<void>;
}

export class ResourceMetrics implements ResourceMetricsProvider {
  private readonly deps: ResourceMetricsDeps;
  private readonly minWindowMs: number;
  /** Earlier readings by container id (NODE for the node): at most two, minWindowMs apart. */
  private readonly history = new Map<string, Reading[]>();

  constructor(deps: ResourceMetricsDeps) {
    this.deps = deps;
    this.minWindowMs = deps.minWindowMs ?? 1000;
  }

  async podUsage(pods: Pod[]): Promise<PodUsage[]> {
    const stats = this.deps.runtime.containerStats?.bind(this.deps.runtime);
    if (!stats) return [];
    const uids = new Set(pods.map((p) => p.metadata.uid ?? ''));
    const running = await this.deps.runtime.listContainers({ state: 'running' });
    this.forgetAllBut(new Set(running.map((c) => c.id)));
    const wanted = running.filter((c) => uids.has(c.labels[LABEL_POD_UID] ?? ''));
    const read = async () => {
      const all = await Promise.all(wanted.map((c) => stats(c.id).catch(() => undefined)));
      return all.filter((s): s is ContainerStats => s !== undefined).map((s) => ({ id: s.id, reading: { at: s.timestamp.getTime(), cpuNs: s.usageCoreNanoSeconds, workingSetBytes: s.workingSetBytes } }));
    };
    const rates = await this.rates(read);
    const byPod = new Map<string, PodUsage>();
    for (const c of wanted) {
      const rate = rates.get(c.id);
      if (!rate) continue;
      const uid = c.labels[LABEL_POD_UID] ?? '';
      const pod = byPod.get(uid) ?? { uid, timestamp: rate.timestamp, windowMs: rate.windowMs, containers: [] };
      if (rate.timestamp > pod.timestamp) pod.timestamp = rate.timestamp;
      pod.windowMs = Math.max(pod.windowMs, rate.windowMs);
      pod.containers.push({ name: c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name, cpuNanoCores: rate.cpuNanoCores, memoryWorkingSetBytes: rate.memoryWorkingSetBytes });
      byPod.set(uid, pod);
    }
    return [...byPod.values()];
  }

  async nodeUsage(nodeName: string): Promise<UsageSample | undefined> {
    if (nodeName !== this.deps.nodeName) return undefined;
    const readNode = this.deps.readNode ?? readProcNode;
    const rates = await this.rates(async () => [{ id: NODE, reading: await readNode() }]);
    return rates.get(NODE);
  }

  /** Rates for what `read` returns, over the newest earlier reading at least minWindowMs old. */
  private async rates(read: () => Promise<{ id: string; reading: Reading }[]>): Promise<Map<string, UsageSample>> {
    let now = await read();
    if (now.some(({ id, reading }) => !this.base(id, reading.at))) {
      for (const { id, reading } of now) this.remember(id, reading);
      await (this.deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(this.minWindowMs);
      now = await read();
    }
    const out = new Map<string, UsageSample>();
    for (const { id, reading } of now) {
      const base = this.base(id, reading.at);
      this.remember(id, reading);
      if (!base) continue;
      const windowMs = reading.at - base.at;
      out.set(id, {
        timestamp: new Date(reading.at),
        windowMs,
        // ns of CPU per second of wall time is billionths of a core.
        cpuNanoCores: Math.max(0, ((reading.cpuNs - base.cpuNs) * 1000) / windowMs),
        memoryWorkingSetBytes: reading.workingSetBytes,
      });
    }
    return out;
  }

  private base(id: string, at: number): Reading | undefined {
    const earlier = this.history.get(id) ?? [];
    for (let i = earlier.length - 1; i >= 0; i--) if (at - earlier[i].at >= this.minWindowMs) return earlier[i];
    return undefined;
  }

  /** Kept only when the newest kept is minWindowMs older: an earlier base stays usable. */
  private remember(id: string, reading: Reading): void {
    const earlier = this.history.get(id) ?? [];
    const newest = earlier.at(-1);
    if (newest && reading.at - newest.at < this.minWindowMs) return;
    this.history.set(id, [...earlier, reading].slice(-2));
  }

  private forgetAllBut(running: Set<string>): void {
    for (const id of this.history.keys()) if (id !== NODE && !running.has(id)) this.history.delete(id);
  }
}

/**
 * The machine's CPU time (/proc/stat: every state but idle and iowait, in USER_HZ ticks of
 * 10 ms) and its memory working set (/proc/meminfo: total − free − inactive file pages, the
 * root cgroup's usage − inactive_file as cadvisor reports it).
 */
export async function readProcNode(): Promise<Reading> {
  const [stat, meminfo] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  const at = Date.now();
  const cpu = (stat.split('\n').find((l) => l.startsWith('cpu ')) ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  const kb = (name: string) => Number(new RegExp(`^${name.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  return {
    at,
    cpuNs: (user + nice + system + irq + softirq + steal) * 10_000_000,
    workingSetBytes: Math.max(0, kb('MemTotal') - kb('MemFree') - kb('Inactive(file)')),
  };
}
