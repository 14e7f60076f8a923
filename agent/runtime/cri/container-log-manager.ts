// The kubelet's container log manager over the CRI (container-log-manager.ts): running
// containers from ListContainers, their log_path from ContainerStatus, ReopenContainerLog after
// the rename. The agent runs it beside a CRI runtime (`run(signal)`); Docker rotates its own.
import { ContainerLogManager, type ContainerLogManagerDeps, type LogRotatePolicy } from '../container-log-manager.js';
import type { RuntimeServiceCalls } from './client.js';

export function criContainerLogManager(
  ctx: { runtime: Pick<RuntimeServiceCalls, 'ListContainers' | 'ContainerStatus' | 'ReopenContainerLog'> },
  policy: Partial<LogRotatePolicy> = {},
  extra: Pick<ContainerLogManagerDeps, 'logger' | 'now'> = {},
): ContainerLogManager {
  return new ContainerLogManager(
    {
      listRunning: async () => {
        const res = await ctx.runtime.ListContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } });
        const out: { id: string; logPath: string }[] = [];
        for (const c of res.containers ?? []) {
          const s = await ctx.runtime.ContainerStatus({ container_id: c.id }).catch(() => undefined);
          if (s?.status?.log_path) out.push({ id: c.id, logPath: s.status.log_path });
        }
        return out;
      },
      reopen: async (id) => {
        await ctx.runtime.ReopenContainerLog({ container_id: id });
      },
      ...extra,
    },
    policy,
  );
}
