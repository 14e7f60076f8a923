// The runtime manager (upstream's kuberuntime_manager.go, kubeGenericRuntimeManager): what a
// pod has on the runtime (getPodStatus), and SyncPod, which brings it to what the spec asks:
//   1. the sandbox (volumes first: FailedMount and retry on errors; a sandbox that died is
//      replaced and the pod's containers start again from the init containers);
//   2. init containers one at a time, each to success (restartPolicy decides about failures);
//   3. app containers: start what never ran, kill what failed its liveness/startup probe,
//      restart what exited as restartPolicy says, with the crash-loop back-off.
// killPod stops a pod's containers with their grace period, then its sandbox. The kubelet
// (../kubelet.ts) decides when each runs and writes the status; this file never talks to the API
// but for ConfigMaps, Secrets and claims the containers need.
import type { Container, Pod } from '../../api/index.js';
import type { PodSandboxStatus } from '../runtime/index.js';
import { latestContainer, readySandbox, type RuntimeContainer, type RuntimePod } from '../runtime-pod.js';
import { formatDuration } from '../restart-backoff.js';
import { CrashLoopBackOff, formatPod, isRestartableInit, shouldContainerBeRestarted } from '../status.js';
import type { VolumePlan } from '../volumes/volume-manager.js';
import { type PodRuntimeState, type RuntimeManagerContext, wakeAtLatest } from './context.js';
import { failedMount, killContainer, startContainer, terminationMessage } from './kuberuntime-container.js';
import { drainLogs, removeOrphans, removePodResources } from './kuberuntime-gc.js';
import { createPodSandbox } from './kuberuntime-sandbox.js';

export class KubeGenericRuntimeManager {
  private readonly ctx: RuntimeManagerContext;

  constructor(ctx: RuntimeManagerContext) {
    this.ctx = ctx;
  }

  /** The pod's sandboxes and containers; an exited container's termination message is read once. */
  async getPodStatus(pod: Pod): Promise<RuntimePod> {
    const { reader } = this.ctx;
    const rt = await reader.read(pod.metadata.uid ?? '');
    for (const c of rt.containers) {
      if (c.state !== 'exited' || reader.isRemembered(c.id)) continue;
      c.terminationMessage = await terminationMessage(this.ctx, pod, c);
      reader.rememberExited(c);
    }
    return rt;
  }

  /** The pod's IP: its ready sandbox's, or the node's for hostNetwork pods. */
  podIP(pod: Pod, rt: RuntimePod): string {
    if (pod.spec.hostNetwork) return this.ctx.hostIP;
    return readySandbox(rt)?.ip ?? '';
  }

  /** Sandbox, init containers, app containers (computePodActions + SyncPod). True when something changed. */
  async syncPod(st: PodRuntimeState, pod: Pod, rt: RuntimePod): Promise<boolean> {
    let sandbox = readySandbox(rt);
    let changed = false;
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (!sandbox && policy === 'Never' && rt.sandboxes.length > 0 && rt.containers.length > 0) {
      // A pod that never restarts does not get a new sandbox once its containers ran (computePodActions).
      for (const c of rt.containers) if (c.state === 'running') await this.ctx.runtime.stopContainer(c.id, 0).catch(() => undefined);
      return rt.containers.some((c) => c.state === 'running');
    }
    if (!sandbox) {
      const created = await createPodSandbox(this.ctx, st, pod, rt);
      if (!created) return false;
      sandbox = created;
      changed = true;
      rt = await this.getPodStatus(pod);
      // The containers of a sandbox that died lost their network: start over.
      rt = { ...rt, containers: rt.containers.filter((c) => c.sandboxId === created.id) };
    } else if (!st.plan || st.populatedSandbox !== sandbox.id) {
      // Adopted: the volumes exist and the sandbox keeps its files; re-read the plan for mounts.
      try {
        st.plan = await this.ctx.volumes.prepare(pod);
        st.populatedSandbox = sandbox.id;
      } catch (err) {
        failedMount(this.ctx, pod, err);
        return false;
      }
    }
    const plan = st.plan!;

    const regularStarted = pod.spec.containers.some((c) => rt.containers.some((rc) => rc.name === c.name && rc.sandboxId === sandbox.id));
    if (!regularStarted) {
      const initDone = await this.syncInitContainers(st, pod, rt, sandbox, plan);
      if (initDone !== true) return initDone.changed || changed;
    } else if (await this.syncSidecars(st, pod, rt, sandbox, plan)) {
      changed = true;
    }
    return (await this.syncAppContainers(st, pod, rt, sandbox, plan)) || changed;
  }

  /**
   * Init containers, one at a time; a restartable one (a sidecar, restartPolicy Always) only has
   * to be running for the next one to start. True when all are done; else whether this sync
   * changed the runtime (and the app containers wait).
   */
  private async syncInitContainers(st: PodRuntimeState, pod: Pod, rt: RuntimePod, sandbox: PodSandboxStatus, plan: VolumePlan): Promise<true | { changed: boolean }> {
    for (const c of pod.spec.initContainers ?? []) {
      const latest = latestContainer(rt, c.name);
      if (isRestartableInit(c)) {
        if (latest?.state === 'running') continue;
        return { changed: await this.startWithBackoff(st, pod, c, rt, sandbox, plan) };
      }
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      if (latest?.state === 'running') return { changed: false };
      if (latest?.state === 'exited' && (pod.spec.restartPolicy ?? 'Always') === 'Never') return { changed: false };
      return { changed: await this.startWithBackoff(st, pod, c, rt, sandbox, plan) };
    }
    return true;
  }

  /** Sidecars keep running alongside the app containers whatever the pod's restartPolicy. */
  private async syncSidecars(st: PodRuntimeState, pod: Pod, rt: RuntimePod, sandbox: PodSandboxStatus, plan: VolumePlan): Promise<boolean> {
    let changed = false;
    for (const c of (pod.spec.initContainers ?? []).filter(isRestartableInit)) {
      const latest = latestContainer(rt, c.name);
      if (latest?.state === 'running') continue;
      if (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) changed = true;
    }
    return changed;
  }

  /** App containers: kill those that failed a liveness/startup probe, (re)start those restartPolicy says. */
  private async syncAppContainers(st: PodRuntimeState, pod: Pod, rt: RuntimePod, sandbox: PodSandboxStatus, plan: VolumePlan): Promise<boolean> {
    let changed = false;
    const policy = pod.spec.restartPolicy ?? 'Always';
    for (const c of pod.spec.containers) {
      const latest = latestContainer(rt, c.name);
      if (latest?.state === 'running') {
        const failed = this.ctx.probes.failed(st.uid, c.name, latest.id);
        if (failed) {
          const restart = policy !== 'Never';
          const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
          const message = `Container ${c.name} failed ${failed} probe${restart ? ', will be restarted' : ''}`;
          await killContainer(this.ctx, pod, c, latest, message, probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30, this.podIP(pod, rt));
          changed = true;
        }
        continue;
      }
      if (!shouldContainerBeRestarted(c, pod, rt)) continue;
      if (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) changed = true;
    }
    return changed;
  }

  /** Starts (or restarts) a container unless it is in its crash-loop back-off (upstream's doBackOff). */
  private async startWithBackoff(st: PodRuntimeState, pod: Pod, c: Container, rt: RuntimePod, sandbox: PodSandboxStatus, plan: VolumePlan): Promise<boolean> {
    const { backoff, recorder, runtime, reader, scheduler } = this.ctx;
    const latest = latestContainer(rt, c.name);
    const now = scheduler.now();
    let attempt = 0;
    if (latest) {
      if (latest.state === 'exited') {
        attempt = latest.metadata.attempt + 1;
        const key = `${pod.metadata.uid ?? ''}/${c.name}`;
        const finishedAt = latest.finishedAt ?? latest.createdAt;
        if (backoff.isInBackOffSince(key, finishedAt, now)) {
          const delay = backoff.get(key);
          recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
          st.reasons.set(c.name, { reason: CrashLoopBackOff, message: `back-off ${formatDuration(delay)} restarting failed container=${c.name} pod=${formatPod(pod)}` });
          const until = backoff.until(key, finishedAt);
          if (until) wakeAtLatest(st, until.getTime());
          return false;
        }
        backoff.next(key, finishedAt, now);
        // Keep only the instance just ended (for logs --previous).
        for (const old of rt.containers.filter((x) => x.name === c.name && x.id !== latest.id)) {
          await drainLogs(this.ctx, [old.id]);
          await runtime.removeContainer(old.id).catch(() => undefined);
          reader.forget(old.id);
        }
      } else {
        // Created but never started, or unknown: replace it under the same attempt.
        attempt = latest.metadata.attempt;
        await runtime.removeContainer(latest.id).catch(() => undefined);
      }
    }
    return startContainer(this.ctx, st, pod, c, sandbox, plan, attempt);
  }

  /** killPod: every running container in parallel, then the sandbox. */
  async killPod(pod: Pod, rt: RuntimePod, graceSeconds: number): Promise<void> {
    const specs = new Map([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]));
    const running = rt.containers.filter((c) => c.state === 'running');
    // httpGet preStop hooks go to the pod IP.
    const ip = this.podIP(pod, rt);
    await Promise.all(running.map((rc: RuntimeContainer) => killContainer(this.ctx, pod, specs.get(rc.name), rc, `Stopping container ${rc.name}`, graceSeconds, ip)));
    for (const s of rt.sandboxes) if (s.state === 'ready') await this.ctx.runtime.stopPodSandbox(s.id).catch(() => undefined);
  }

  /** Removes everything a terminated pod has on the node (its containers' logs drained first). */
  removePod(uid: string, rt: RuntimePod): Promise<void> {
    return removePodResources(this.ctx, uid, rt);
  }

  /** Removes what this agent created for pods whose uid is not in `known` (the kubelet's housekeeping). */
  removeOrphans(known: ReadonlySet<string>): Promise<void> {
    return removeOrphans(this.ctx, known);
  }
}
