// The runtime manager (upstream's kuberuntime_manager.go, kubeGenericRuntimeManager): what a
// pod has on the runtime (getPodStatus), and SyncPod, which brings it to what the spec asks.
// computeSandboxAction and computeContainerActions (upstream's computePodActions, pure) decide;
// SyncPod carries it out:
//   1. the sandbox (volumes first: FailedMount and retry on errors; a sandbox that died is
//      replaced and the pod's containers start again from the init containers);
//   2. init containers one at a time, each to success (restartPolicy decides about failures);
//   3. app containers: start what never ran, kill what failed its liveness/startup probe,
//      restart what exited as restartPolicy says, with the crash-loop back-off (doBackOff).
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
    // Step 1: the sandbox.
    let sandbox: PodSandboxStatus;
    let changed = false;
    const sandboxAction = computeSandboxAction(st, pod, rt);
    switch (sandboxAction.type) {
      case 'killPodNoSandbox':
        // A pod that never restarts does not get a new sandbox once its containers ran.
        for (const c of rt.containers) if (c.state === 'running') await this.ctx.runtime.stopContainer(c.id, 0).catch(() => undefined);
        return rt.containers.some((c) => c.state === 'running');
      case 'createSandbox': {
        const created = await createPodSandbox(this.ctx, st, pod, rt);
        if (!created) return false;
        sandbox = created;
        changed = true;
        // The containers of a sandbox that died lost their network: start over. Nothing runs in
        // the new sandbox yet, so there is nothing to read again from the engine.
        rt = { ...rt, sandboxes: [created, ...rt.sandboxes.filter((s) => s.id !== created.id)], containers: [] };
        break;
      }
      case 'adoptSandbox':
        // Adopted: the volumes exist and the sandbox keeps its files; re-read the plan for mounts.
        sandbox = sandboxAction.sandbox;
        try {
          st.plan = await this.ctx.volumes.prepare(pod, { adopted: true });
          st.populatedSandbox = sandbox.id;
        } catch (err) {
          failedMount(this.ctx, pod, err, st);
          return false;
        }
        await this.refreshVolumes(pod, st, sandbox);
        break;
      case 'keepSandbox':
        sandbox = sandboxAction.sandbox;
        await this.refreshVolumes(pod, st, sandbox);
    }
    const plan = st.plan!;

    // Steps 2 and 3: init containers, then sidecars and app containers, in order.
    for (const action of computeContainerActions(pod, rt, sandbox)) {
      const c = action.container;
      if (action.type === 'start') {
        if (await this.startWithBackoff(st, pod, c, rt, sandbox, plan)) changed = true;
        continue;
      }
      // Running: killed when its liveness or startup probe failed (restartPolicy decides what follows).
      const failed = this.ctx.probes.failed(st.uid, c.name, action.running.id);
      if (!failed) continue;
      const restart = (pod.spec.restartPolicy ?? 'Always') !== 'Never';
      const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
      const message = `Container ${c.name} failed ${failed} probe${restart ? ', will be restarted' : ''}`;
      await killContainer(this.ctx, pod, c, action.running, message, probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30, this.podIP(pod, rt));
      changed = true;
    }
    return changed;
  }

  /**
   * configMap, secret, downwardAPI and projected volumes follow what they show (labels and
   * annotations, the objects' data) at every sync: the pod's updates and the periodic resync.
   * A failure is a FailedMount event; the containers keep the files they have.
   */
  private async refreshVolumes(pod: Pod, st: PodRuntimeState, sandbox: PodSandboxStatus): Promise<void> {
    if (!st.plan || sandbox.state !== 'ready') return;
    try {
      await this.ctx.volumes.refresh(pod, st.plan, sandbox.id);
    } catch (err) {
      failedMount(this.ctx, pod, err);
    }
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

/** What step 1 of SyncPod does with the pod's sandbox (the sandbox half of upstream's computePodActions). */
export type SandboxAction =
  | { type: 'killPodNoSandbox' }
  | { type: 'createSandbox' }
  | { type: 'adoptSandbox'; sandbox: PodSandboxStatus }
  | { type: 'keepSandbox'; sandbox: PodSandboxStatus };

/**
 * The sandbox decision: a ready sandbox is kept (its volume plan read again when this agent did
 * not populate it); without one a new sandbox is created, except for a restartPolicy Never pod
 * whose containers already ran (they are stopped and nothing starts again).
 */
export function computeSandboxAction(st: PodRuntimeState, pod: Pod, rt: RuntimePod): SandboxAction {
  const sandbox = readySandbox(rt);
  if (!sandbox) {
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' && rt.sandboxes.length > 0 && rt.containers.length > 0) return { type: 'killPodNoSandbox' };
    return { type: 'createSandbox' };
  }
  if (!st.plan || st.populatedSandbox !== sandbox.id) return { type: 'adoptSandbox', sandbox };
  return { type: 'keepSandbox', sandbox };
}

/** One container step of SyncPod: start (or restart, after its back-off) a container, or check a running one's probes. */
export type ContainerAction = { type: 'start'; container: Container } | { type: 'running'; container: Container; running: RuntimeContainer };

/**
 * The container half of computePodActions, read from the runtime once the sandbox is there. Until
 * an app container ran in this sandbox: the next init container to start, or nothing while one
 * runs or after one failed for good (init containers run one at a time; a restartable one, a
 * sidecar, only has to be running). After that: sidecars that are not running (whatever the
 * pod's restartPolicy), then each app container in order, to check if it runs or to start if
 * restartPolicy says so.
 */
export function computeContainerActions(pod: Pod, rt: RuntimePod, sandbox: PodSandboxStatus): ContainerAction[] {
  const actions: ContainerAction[] = [];
  const regularStarted = pod.spec.containers.some((c) => rt.containers.some((rc) => rc.name === c.name && rc.sandboxId === sandbox.id));
  if (!regularStarted) {
    for (const c of pod.spec.initContainers ?? []) {
      const latest = latestContainer(rt, c.name);
      if (isRestartableInit(c)) {
        if (latest?.state === 'running') continue;
        return [{ type: 'start', container: c }];
      }
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      if (latest?.state === 'running') return [];
      if (latest?.state === 'exited' && (pod.spec.restartPolicy ?? 'Always') === 'Never') return [];
      return [{ type: 'start', container: c }];
    }
  } else {
    for (const c of (pod.spec.initContainers ?? []).filter(isRestartableInit)) {
      if (latestContainer(rt, c.name)?.state !== 'running') actions.push({ type: 'start', container: c });
    }
  }
  for (const c of pod.spec.containers) {
    const latest = latestContainer(rt, c.name);
    if (latest?.state === 'running') actions.push({ type: 'running', container: c, running: latest });
    else if (shouldContainerBeRestarted(c, pod, rt)) actions.push({ type: 'start', container: c });
  }
  return actions;
}
