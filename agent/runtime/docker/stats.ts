// Container resource usage from the engine (CRI's ContainerStats): one `GET
// /containers/{id}/stats?stream=false&one-shot=true` per container, asked only when someone
// wants figures (`kubectl top`), so nothing runs in the background. one-shot skips the
// engine's second sample a second later; the node computes rates from its own samples.
import type { ContainerStats } from '../container-runtime.js';
import { RuntimeError } from '../runtime-error.js';
import type { DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';

interface EngineStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

export async function dockerContainerStats(engine: DockerEngine, id: string): Promise<ContainerStats> {
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
  return {
    id,
    timestamp: new Date(stats.read),
    usageCoreNanoSeconds: cpu,
    workingSetBytes: Math.max(0, memory - inactiveFile),
  };
}
