// The kubelet's container log manager over the CRI (container-log-manager.ts): running
// containers from ListContainers, their log_path from ContainerStatus, ReopenContainerLog after
// the rename. The agent runs it beside a CRI runtime (`run(signal)`); Docker rotates its own.
import { readdir, rm, stat } from 'node:fs/promises';
import { ContainerLogManager, type ContainerLogManagerDeps, type LogRotatePolicy } from '../container-log-manager.js';
import type { RuntimeServiceCalls } from './client.js';

/** A pod log directory younger than this is never taken for an orphan (its sandbox may be on its way). */
const ORPHAN_MIN_AGE_MS = 60_000;

/**
 * Removes pod log directories (`<logRoot>/<ns>_<name>_<uid>`) of pods without a sandbox: those
 * left when the agent stopped between a sandbox's removal and its directory's (the kubelet's
 * log GC). Directories are listed before the sandboxes, and a runtime creates a log file only
 * in a sandbox that exists, so a directory seen with no sandbox after it is an orphan.
 */
export async function removeOrphanedPodLogDirs(ctx: { runtime: Pick<RuntimeServiceCalls, 'ListPodSandbox'>; logRoot: string }, now = Date.now()): Promise<string[]> {
  const names = await readdir(ctx.logRoot).catch(() => [] as string[]);
  if (!names.length) return [];
  const { items } = await ctx.runtime.ListPodSandbox({});
  const uids = new Set(items.map((s) => s.metadata?.uid));
  const removed: string[] = [];
  for (const n of names) {
    const uid = n.split('_')[2];
    if (!uid || uids.has(uid)) continue;
    const st = await stat(`${ctx.logRoot}/${n}`).catch(() => undefined);
    if (!st?.isDirectory() || now - st.mtimeMs < ORPHAN_MIN_AGE_MS) continue;
    await rm(`${ctx.logRoot}/${n}`, { recursive: true, force: true });
    removed.push(n);
  }
  return removed;
}

export function criContainerLogManager(
  ctx: { runtime: Pick<RuntimeServiceCalls, 'ListContainers' | 'ContainerStatus' | 'ReopenContainerLog' | 'ListPodSandbox'>; logRoot: string },
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
      afterPass: async () => {
        await removeOrphanedPodLogDirs(ctx);
      },
      reopen: async (id) => {
        await ctx.runtime.ReopenContainerLog({ container_id: id });
      },
      ...extra,
    },
    policy,
  );
}
