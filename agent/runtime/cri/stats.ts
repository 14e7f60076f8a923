// Container resource usage through the CRI's ContainerStats (the runtime reads the container's
// cgroup when asked: nothing is sampled in the background), for the node's metrics and
// `kubectl top`. A container that is not running answers NotRunning, as the interface says.
import type { ContainerStats } from '../container-runtime.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import type { CriContext } from './context.js';
import { fromNanos } from './status.js';

export async function criContainerStats(ctx: CriContext, id: string): Promise<ContainerStats> {
  const notRunning = () => new RuntimeError('NotRunning', `container ${id} is not running`);
  const { status } = await ctx.runtime.ContainerStatus({ container_id: id, verbose: false });
  if (!status) throw new RuntimeError('NotFound', `no such container: ${id}`);
  if (String(status.state) !== 'CONTAINER_RUNNING') throw notRunning();
  let stats;
  try {
    ({ stats } = await ctx.runtime.ContainerStats({ container_id: id }));
  } catch (err) {
    // Exited between the two calls: its task (and cgroup) is gone.
    if (isRuntimeError(err, 'NotFound')) throw notRunning();
    throw err;
  }
  const cpu = stats?.cpu?.usage_core_nano_seconds?.value;
  const memory = stats?.memory?.working_set_bytes?.value;
  if (cpu === undefined || memory === undefined) throw notRunning();
  return {
    id,
    timestamp: fromNanos(stats?.cpu?.timestamp) ?? new Date(),
    usageCoreNanoSeconds: cpu,
    workingSetBytes: memory,
  };
}
