// The pod sandbox (upstream's kuberuntime_sandbox.go): the pod's volumes prepared, its cgroup,
// the sandbox config (hostname, host ports, host namespaces, pids limit) and the volumes' files
// written once the sandbox exists.
import type { Pod } from '../../api/index.js';
import { errorMessage } from '../../machinery/index.js';
import type { PodSandboxConfig, PodSandboxStatus, PortMapping } from '../runtime/index.js';
import type { RuntimePod } from '../runtime-pod.js';
import type { VolumePlan } from '../volumes/volume-manager.js';
import { pidsLimit, type PodRuntimeState, type RuntimeManagerContext } from './context.js';
import { failedMount } from './kuberuntime-container.js';

/** The pod's hostname: spec.hostname or the pod name, cut to a DNS label. */
export function podHostname(pod: Pod): string {
  const name = (pod.spec.hostname || pod.metadata.name || '').slice(0, 63);
  return name.replace(/[-.]+$/, '');
}

/** Volumes, then the sandbox, then the volumes' files. Undefined (with events) when it failed. */
export async function createPodSandbox(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, rt: RuntimePod): Promise<PodSandboxStatus | undefined> {
  // A sandbox that stopped takes its containers with it.
  for (const c of rt.containers) if (c.state === 'running') await ctx.runtime.stopContainer(c.id, 0).catch(() => undefined);
  let plan: VolumePlan;
  try {
    plan = await ctx.volumes.prepare(pod);
  } catch (err) {
    failedMount(ctx, pod, err, st);
    return undefined;
  }
  const attempt = rt.sandboxes.length ? Math.max(...rt.sandboxes.map((s) => s.metadata.attempt)) + 1 : 0;
  // The pod's cgroup and its limits exist before anything of the pod runs.
  let cgroupParent: string | undefined;
  try {
    cgroupParent = await ctx.podCgroups?.ensure(st.uid);
  } catch (err) {
    ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: failed to create the pod's cgroup: ${errorMessage(err)}`);
    return undefined;
  }
  let id: string;
  try {
    id = await ctx.runtime.runPodSandbox(generatePodSandboxConfig(ctx, st, pod, plan, attempt, cgroupParent));
  } catch (err) {
    ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorMessage(err)}`);
    return undefined;
  }
  try {
    await ctx.volumes.populate(id, plan);
  } catch (err) {
    failedMount(ctx, pod, err);
    await ctx.runtime.removePodSandbox(id).catch(() => undefined);
    return undefined;
  }
  st.plan = plan;
  st.populatedSandbox = id;
  return ctx.runtime.podSandboxStatus(id);
}

/** generatePodSandboxConfig: metadata, hostname, labels, host ports, DNS, host namespaces, volumes, limits. */
function generatePodSandboxConfig(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, plan: VolumePlan, attempt: number, cgroupParent: string | undefined): PodSandboxConfig {
  return {
    metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid: st.uid, attempt },
    hostname: podHostname(pod),
    labels: { ...(pod.metadata.labels ?? {}), ...ctx.instanceLabels },
    portMappings: hostPortMappings(pod),
    ...(ctx.dns ? { dns: ctx.dns.podDNS(pod, ctx.recorder) } : {}),
    hostNetwork: !!pod.spec.hostNetwork,
    hostPID: !!pod.spec.hostPID,
    hostIPC: !!pod.spec.hostIPC,
    volumes: sandboxVolumes(plan),
    ...pidsLimit(ctx),
    ...(cgroupParent ? { cgroupParent } : {}),
    ...(!ctx.alwaysPauseContainer && !needsOwnSandbox(pod, plan) ? { singleContainer: true } : {}),
  };
}

/**
 * Whether anything of the pod needs a sandbox that outlives its containers or that they share:
 * more than one container (init containers too), a container that may restart (its pod IP must
 * stay), volumes the sandbox keeps mounted or writes files into, a shared process namespace, or
 * the pod IP before the container starts (the downward API's status.podIP, a postStart hook
 * over the network). Otherwise the runtime may make the one container its own sandbox (a pod
 * then costs the engine one container lifecycle instead of two).
 */
export function needsOwnSandbox(pod: Pod, plan: VolumePlan): boolean {
  const spec = pod.spec;
  if (spec.containers.length !== 1 || spec.initContainers?.length) return true;
  if ((spec.restartPolicy ?? 'Always') !== 'Never' || spec.shareProcessNamespace) return true;
  if (sandboxVolumes(plan).length > 0) return true;
  const c = spec.containers[0]!;
  if (c.env?.some((e) => e.valueFrom?.fieldRef?.fieldPath === 'status.podIP' || e.valueFrom?.fieldRef?.fieldPath === 'status.podIPs')) return true;
  const postStart = c.lifecycle?.postStart;
  return !!(postStart?.httpGet || postStart?.tcpSocket);
}

/** The containers' ports that ask for a hostPort. */
function hostPortMappings(pod: Pod): PortMapping[] {
  const ports: PortMapping[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const m: PortMapping = { containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol ?? 'TCP' };
      if (p.hostIP) m.hostIP = p.hostIP;
      ports.push(m);
    }
  }
  return ports;
}

/** Every runtime volume of the pod stays mounted by the sandbox (tmpfs lifetime, file writes, subPaths). */
function sandboxVolumes(plan: VolumePlan): string[] {
  const out = new Set(plan.sandboxVolumes);
  for (const v of plan.volumes.values()) if (v.kind === 'runtime') out.add(v.runtimeVolume);
  return [...out];
}
