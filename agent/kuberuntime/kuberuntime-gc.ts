// Removing what pods leave behind (upstream's kuberuntime_gc.go and the kubelet's pod cleanup):
// a terminated pod's containers, sandboxes, volumes, files and cgroup, and orphans of pods this
// node no longer has. Every container's logs are drained first (beforeContainerRemoval).
import { errorMessage } from '../../machinery/index.js';
import { LABEL_POD_UID } from '../runtime/index.js';
import type { RuntimePod } from '../runtime-pod.js';
import { LABEL_VOLUME_TYPE } from '../volumes/volume-manager.js';
import type { RuntimeManagerContext } from './context.js';

/** The beforeContainerRemoval hook for each container (the log collectors drain them). */
export async function drainLogs(ctx: RuntimeManagerContext, ids: string[]): Promise<void> {
  const hook = ctx.beforeContainerRemoval;
  if (!hook) return;
  for (const id of ids) {
    await hook(id).catch((err: unknown) => ctx.logger.warn('draining container logs failed', { id, error: errorMessage(err) }));
  }
}

/** Everything of a terminated pod on the node: containers and sandboxes, volumes, its directory, its cgroup, its back-offs. */
export async function removePodResources(ctx: RuntimeManagerContext, uid: string, rt: RuntimePod): Promise<void> {
  await drainLogs(ctx, rt.containers.map((c) => c.id));
  // Containers first: removing a sandbox removes its members too, which would remove each container twice.
  for (const c of rt.containers) {
    await ctx.runtime.removeContainer(c.id);
    ctx.reader.forget(c.id);
  }
  for (const s of rt.sandboxes) await ctx.runtime.removePodSandbox(s.id);
  await ctx.volumes.cleanup(uid).catch((err: unknown) => ctx.logger.warn('removing pod volumes failed', { error: errorMessage(err) }));
  if (ctx.rootDir) await ctx.hostFS.remove(`${ctx.rootDir}/pods/${uid}`).catch(() => undefined);
  await ctx.podCgroups?.remove(uid).catch((err: unknown) => ctx.logger.warn('removing the pod cgroup failed', { error: errorMessage(err) }));
  ctx.backoff.forgetPrefix(`${uid}/`);
  for (const k of [...ctx.lastPullError.keys()]) if (k.startsWith(`${uid}_`)) ctx.lastPullError.delete(k);
}

/** Removes sandboxes, containers, pod volumes and pod cgroups of this agent whose pod uid is not in `known`. */
export async function removeOrphans(ctx: RuntimeManagerContext, known: ReadonlySet<string>): Promise<void> {
  const sandboxes = await ctx.runtime.listPodSandboxes({ labels: ctx.instanceLabels });
  const containers = await ctx.runtime.listContainers({ labels: ctx.instanceLabels });
  for (const c of containers) {
    const uid = c.labels[LABEL_POD_UID];
    if (uid && !known.has(uid)) {
      ctx.logger.info('removing an orphaned container', { id: c.id, pod: uid });
      await drainLogs(ctx, [c.id]);
      await ctx.runtime.removeContainer(c.id).catch(() => undefined);
    }
  }
  for (const s of sandboxes) {
    if (!known.has(s.metadata.uid)) {
      ctx.logger.info('removing an orphaned sandbox', { id: s.id, pod: s.metadata.uid });
      await ctx.runtime.removePodSandbox(s.id).catch(() => undefined);
    }
  }
  const volumes = await ctx.runtime.listVolumes({ [LABEL_VOLUME_TYPE]: 'pod', ...ctx.instanceLabels });
  for (const v of volumes) {
    const uid = v.labels[LABEL_POD_UID];
    if (uid && !known.has(uid)) await ctx.runtime.removeVolume(v.name).catch(() => undefined);
  }
  const cgroups = ctx.podCgroups;
  if (cgroups) for (const uid of await cgroups.list().catch(() => [])) if (!known.has(uid)) await cgroups.remove(uid).catch(() => undefined);
}
