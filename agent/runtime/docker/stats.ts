// Container resource usage (CRI's ContainerStats), read only when someone asks (`kubectl top`),
// so nothing runs in the background. On an engine of this machine the container's cgroup files
// are read directly (its main process's /proc/<pid>/cgroup names them): one inspect and a few
// small reads. Otherwise the engine's `GET /containers/{id}/stats?stream=false&one-shot=true`,
// which waits for the engine's next once-a-second sample (about half a second here).
import { readFile } from 'node:fs/promises';
import type { ContainerStats } from '../container-runtime.js';
import { RuntimeError } from '../runtime-error.js';
import type { DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';

interface EngineStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

const CGROUP_ROOT = '/sys/fs/cgroup';

export async function dockerContainerStats(engine: DockerEngine, id: string): Promise<ContainerStats> {
  const info = await engine.inspect(id, 'container');
  if (!info.State.Running) throw new RuntimeError('NotRunning', `container ${id} is not running`);
  return (await cgroupStats(info.Id, info.State.Pid)) ?? engineStats(engine, id);
}

/** The stat file's value of a key ("total_inactive_file 1234"). */
function statValue(text: string, key: string): number {
  return Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

/**
 * From the cgroup files, when the process is this machine's and its cgroup is the container's
 * (the path names the container id: cgroupfs ".../<id>", systemd ".../docker-<id>.scope").
 * undefined when they cannot be read (a remote engine, another pid namespace).
 */
export async function cgroupStats(id: string, pid: number | undefined, root = CGROUP_ROOT, proc = '/proc'): Promise<ContainerStats | undefined> {
  if (!pid) return undefined;
  try {
    const lines = (await readFile(`${proc}/${pid}/cgroup`, 'utf8')).split('\n');
    const pathOf = (controller: string) => lines.map((l) => l.split(':')).find(([, controllers]) => controllers?.split(',').includes(controller))?.[2];
    const v1cpu = pathOf('cpuacct');
    const v1memory = pathOf('memory');
    const timestamp = new Date();
    if (v1cpu && v1memory) {
      if (!v1cpu.includes(id) || !v1memory.includes(id)) return undefined;
      const [usage, memory, stat] = await Promise.all([
        readFile(`${root}/cpuacct${v1cpu}/cpuacct.usage`, 'utf8'),
        readFile(`${root}/memory${v1memory}/memory.usage_in_bytes`, 'utf8'),
        readFile(`${root}/memory${v1memory}/memory.stat`, 'utf8'),
      ]);
      return { id, timestamp, usageCoreNanoSeconds: Number(usage.trim()), workingSetBytes: Math.max(0, Number(memory.trim()) - statValue(stat, 'total_inactive_file')) };
    }
    const v2 = lines.find((l) => l.startsWith('0::'))?.slice(3);
    if (!v2?.includes(id)) return undefined;
    const [cpu, memory, stat] = await Promise.all([
      readFile(`${root}${v2}/cpu.stat`, 'utf8'),
      readFile(`${root}${v2}/memory.current`, 'utf8'),
      readFile(`${root}${v2}/memory.stat`, 'utf8'),
    ]);
    return { id, timestamp, usageCoreNanoSeconds: statValue(cpu, 'usage_usec') * 1000, workingSetBytes: Math.max(0, Number(memory.trim()) - statValue(stat, 'inactive_file')) };
  } catch {
    return undefined;
  }
}

async function engineStats(engine: DockerEngine, id: string): Promise<ContainerStats> {
  let stats: EngineStats;
  try {
    stats = (await engine.docker.getContainer(id).stats({ stream: false, 'one-shot': true })) as unknown as EngineStats;
  } catch (err) {
    if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
    throw toRuntimeError(err, 'Unknown', 'container stats');
  }
  const cpu = stats.cpu_stats?.cpu_usage?.total_usage;
  const memory = stats.memory_stats?.usage;
  // A stopped container answers with empty figures (and a zero "read" time).
  if (cpu === undefined || memory === undefined || !stats.read || stats.read.startsWith('0001-')) {
    throw new RuntimeError('NotRunning', `container ${id} is not running`);
  }
  // cgroup v1 names it total_inactive_file, v2 inactive_file; the working set is what cadvisor reports.
  const inactiveFile = stats.memory_stats?.stats?.total_inactive_file ?? stats.memory_stats?.stats?.inactive_file ?? 0;
  return { id, timestamp: new Date(stats.read), usageCoreNanoSeconds: cpu, workingSetBytes: Math.max(0, memory - inactiveFile) };
}
