// One container's lifecycle against the runtime (upstream's kuberuntime_container.go):
// startContainer in named steps (image, config, create, start, postStart), the container's
// configuration (env, command, mounts, termination log, security, resources), killContainer
// with its preStop hook and grace period, and the termination message of an exited container.
import { randomBytes } from 'node:crypto';
import type { Container, Pod } from '../../api/index.js';
import { errorMessage } from '../../machinery/index.js';
import { ContainerConfigError, makeEnvironmentVariables } from '../env.js';
import { runLifecycleHandler } from '../lifecycle.js';
import { type ContainerConfig, expandContainerCommand, linuxResources, type Mount, type PodSandboxStatus } from '../runtime/index.js';
import type { RuntimeContainer } from '../runtime-pod.js';
import { formatPod } from '../status.js';
import { UnsupportedVolumeError, VolumeError, type VolumePlan } from '../volumes/volume-manager.js';
import { MIN_GRACE_SECONDS, pidsLimit, podGraceSeconds, type PodRuntimeState, recordStartFailure, type RuntimeManagerContext } from './context.js';
import { imageBackoffKey, pullImage } from './kuberuntime-image.js';
import { ANNOTATION_RESTART_COUNT, ANNOTATION_TERMINATION_LOG, ANNOTATION_TERMINATION_MESSAGE_PATH, ANNOTATION_TERMINATION_MESSAGE_POLICY } from './labels.js';

const MAX_TERMINATION_MESSAGE = 4096;
const FALLBACK_LOG_LINES = 80;
const FALLBACK_LOG_BYTES = 2048;
const POST_START_TIMEOUT_MS = 120_000;

/** The pod status reason of a pod failed for a volume type the node never mounts. */
export const UNSUPPORTED_VOLUME_REASON = 'UnsupportedVolume';

/**
 * Reports a volume that could not be set up as upstream's FailedMount event; a volume type the
 * node never mounts also marks the pod unrunnable (the kubelet then fails it).
 */
export function failedMount(ctx: RuntimeManagerContext, pod: Pod, err: unknown, st?: PodRuntimeState): void {
  const message = err instanceof VolumeError ? err.message : `MountVolume.SetUp failed: ${errorMessage(err)}`;
  ctx.recorder.event(pod, 'Warning', 'FailedMount', message);
  if (st && err instanceof UnsupportedVolumeError) st.unrunnable = { reason: UNSUPPORTED_VOLUME_REASON, message };
}

/**
 * The kubelet's startContainer: image, config, create, start, postStart. Failures become
 * waiting reasons. True when a container was created (the runtime changed).
 */
export async function startContainer(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, sandbox: PodSandboxStatus, plan: VolumePlan, attempt: number): Promise<boolean> {
  // 1. The image.
  const imageRef = await pullImage(ctx, st, pod, c);
  if (imageRef === undefined) return false;

  // 2. Its configuration.
  const config = await containerConfigOrFailure(ctx, st, pod, c, sandbox, plan, attempt, imageRef);
  if (!config) return false;

  // 3. Create and start.
  const id = await createContainer(ctx, st, pod, c, sandbox, config);
  if (id === undefined) return false;
  if (!(await startCreatedContainer(ctx, st, pod, c, id))) return true;

  // 4. postStart: the container counts as started only once it returns.
  if (c.lifecycle?.postStart) await runPostStartHook(ctx, st, pod, c, id, sandbox);
  else ctx.lastPullError.delete(imageBackoffKey(st, c));
  return true;
}

/** generateContainerConfig, with its errors as waiting reasons (CreateContainerConfigError). */
async function containerConfigOrFailure(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, sandbox: PodSandboxStatus, plan: VolumePlan, attempt: number, image: string): Promise<ContainerConfig | undefined> {
  try {
    return await generateContainerConfig(ctx, st, pod, c, sandbox, plan, attempt, image);
  } catch (err) {
    if (err instanceof ContainerConfigError) {
      recordStartFailure(ctx, st, pod, c.name, 'CreateContainerConfigError', err.message);
      return undefined;
    }
    if (err instanceof VolumeError) {
      failedMount(ctx, pod, err);
      recordStartFailure(ctx, st, pod, c.name, 'CreateContainerConfigError', err.message, false);
      return undefined;
    }
    throw err;
  }
}

/** Creates the container in the sandbox (the Created event); undefined with CreateContainerError. */
async function createContainer(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, sandbox: PodSandboxStatus, config: ContainerConfig): Promise<string | undefined> {
  let id: string;
  try {
    // Made again if it went (a container started outside the pod's cgroup would escape its limit).
    await ctx.podCgroups?.ensure(st.uid);
    id = await ctx.runtime.createContainer(sandbox.id, config);
  } catch (err) {
    recordStartFailure(ctx, st, pod, c.name, 'CreateContainerError', errorMessage(err));
    return undefined;
  }
  ctx.recorder.event(pod, 'Normal', 'Created', `Created container: ${c.name}`);
  return id;
}

/** Starts a created container (the Started event); false with RunContainerError. */
async function startCreatedContainer(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, id: string): Promise<boolean> {
  try {
    await ctx.runtime.startContainer(id);
  } catch (err) {
    recordStartFailure(ctx, st, pod, c.name, 'RunContainerError', errorMessage(err));
    return false;
  }
  ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
  st.reasons.delete(c.name);
  return true;
}

/** Runs the postStart hook; a failing hook kills the container (PostStartHookError). */
async function runPostStartHook(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, id: string, sandbox: PodSandboxStatus): Promise<void> {
  const failure = await runLifecycleHandler(c.lifecycle!.postStart!, { pod, container: c, containerId: id, podIP: sandbox.ip || ctx.hostIP, timeoutMs: POST_START_TIMEOUT_MS }, {
    runtime: ctx.runtime,
    network: ctx.network,
    scheduler: ctx.scheduler,
  });
  if (!failure) return;
  ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', failure);
  const status = await ctx.runtime.containerStatus(id).catch(() => undefined);
  if (status) await killContainer(ctx, pod, c, { ...status, name: c.name }, 'FailedPostStartHook', podGraceSeconds(pod), sandbox.ip);
  st.reasons.set(c.name, { reason: 'PostStartHookError', message: failure });
}

/** generateContainerConfig: env, expanded command, mounts (+ the termination log), resources, labels. */
export async function generateContainerConfig(ctx: RuntimeManagerContext, st: PodRuntimeState, pod: Pod, c: Container, sandbox: PodSandboxStatus, plan: VolumePlan, attempt: number, image: string): Promise<ContainerConfig> {
  const podIP = pod.spec.hostNetwork ? ctx.hostIP : sandbox.ip;
  const { env, warnings } = await makeEnvironmentVariables({ pod, container: c, podIP, hostIP: ctx.hostIP, nodeAllocatable: ctx.allocatable() }, ctx.config);
  for (const w of warnings) ctx.recorder.event(pod, 'Warning', w.reason, w.message);
  const expanded = expandContainerCommand(c.command, c.args, env);
  const mounts: Mount[] = ctx.volumes.mountsFor(c, plan);
  for (const d of ctx.volumes.subPathDirs(c, plan)) {
    await ctx.runtime.writeVolumeFiles(sandbox.id, d.runtimeVolume, [{ path: d.path, isDirectory: true, mode: 0o755 }]).catch((err: unknown) => {
      throw new VolumeError(c.name, `failed to create subPath directory ${d.path}: ${errorMessage(err)}`);
    });
  }
  const annotations: Record<string, string> = {
    [ANNOTATION_RESTART_COUNT]: String(attempt),
    [ANNOTATION_TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File',
  };
  await terminationLog(ctx, st, c, mounts, annotations);
  const config: ContainerConfig = {
    metadata: { name: c.name, attempt },
    image,
    env,
    mounts,
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    tty: !!c.tty,
    resources: { ...linuxResources(c.resources), ...pidsLimit(ctx) },
    security: securityConfig(pod, c),
    sharePidNamespace: !!pod.spec.shareProcessNamespace,
    labels: { ...ctx.instanceLabels },
    annotations,
  };
  if (expanded.command) config.command = expanded.command;
  if (expanded.args) config.args = expanded.args;
  if (c.workingDir) config.workingDir = c.workingDir;
  return config;
}

/**
 * The terminationMessagePath: annotated on the container, and backed by a node file bind-mounted
 * there when the agent has a directory of its own (read after exit without the container).
 */
async function terminationLog(ctx: RuntimeManagerContext, st: PodRuntimeState, c: Container, mounts: Mount[], annotations: Record<string, string>): Promise<void> {
  const tmPath = c.terminationMessagePath ?? '/dev/termination-log';
  if (!tmPath) return;
  annotations[ANNOTATION_TERMINATION_MESSAGE_PATH] = tmPath;
  if (ctx.rootDir && !mounts.some((m) => m.target === tmPath)) {
    const file = `${ctx.rootDir}/pods/${st.uid}/containers/${c.name}/${randomBytes(4).toString('hex')}`;
    await ctx.hostFS.writeFile(file, '', 0o666);
    mounts.push({ type: 'bind', source: file, target: tmPath });
    annotations[ANNOTATION_TERMINATION_LOG] = file;
  }
}

/** The container's securityContext over the pod's (runAsUser, runAsGroup), as the runtime takes it. */
function securityConfig(pod: Pod, c: Container): ContainerConfig['security'] {
  const sc = c.securityContext ?? {};
  const podSC = (pod.spec.securityContext ?? {}) as { runAsUser?: number; runAsGroup?: number };
  const security: ContainerConfig['security'] = {};
  const runAsUser = sc.runAsUser ?? podSC.runAsUser;
  const runAsGroup = sc.runAsGroup ?? podSC.runAsGroup;
  if (runAsUser !== undefined) security.runAsUser = runAsUser;
  if (runAsGroup !== undefined) security.runAsGroup = runAsGroup;
  if (sc.privileged) security.privileged = true;
  if (sc.readOnlyRootFilesystem) security.readOnlyRootFilesystem = true;
  if (sc.capabilities?.add?.length) security.capabilitiesAdd = sc.capabilities.add;
  if (sc.capabilities?.drop?.length) security.capabilitiesDrop = sc.capabilities.drop;
  return security;
}

/** killContainer: Killing event, preStop within the grace period, then SIGTERM → grace → SIGKILL. */
export async function killContainer(ctx: RuntimeManagerContext, pod: Pod, c: Container | undefined, rc: RuntimeContainer, message: string, graceSeconds: number, podIP: string): Promise<void> {
  ctx.recorder.event(pod, 'Normal', 'Killing', message || `Stopping container ${rc.name}`);
  let grace = graceSeconds;
  const preStop = c?.lifecycle?.preStop;
  if (preStop && grace > 0 && rc.state === 'running') {
    const started = ctx.scheduler.now().getTime();
    const failure = await runLifecycleHandler(preStop, { pod, container: c, containerId: rc.id, podIP: podIP || ctx.hostIP, timeoutMs: grace * 1000 }, {
      runtime: ctx.runtime,
      network: ctx.network,
      scheduler: ctx.scheduler,
    });
    if (failure) ctx.recorder.event(pod, 'Warning', 'FailedPreStopHook', failure);
    grace -= Math.floor((ctx.scheduler.now().getTime() - started) / 1000);
  }
  if (grace < MIN_GRACE_SECONDS) grace = MIN_GRACE_SECONDS;
  try {
    await ctx.runtime.stopContainer(rc.id, grace);
  } catch (err) {
    ctx.logger.warn('stopping a container failed', { pod: formatPod(pod), container: rc.name, error: errorMessage(err) });
  }
}

/** The message of an exited container: its terminationMessagePath file, or its last log lines (FallbackToLogsOnError). */
export async function terminationMessage(ctx: RuntimeManagerContext, pod: Pod, c: RuntimeContainer): Promise<string> {
  let message = '';
  const hostFile = c.annotations[ANNOTATION_TERMINATION_LOG];
  const path = c.annotations[ANNOTATION_TERMINATION_MESSAGE_PATH];
  try {
    if (hostFile) message = (await ctx.hostFS.readFile(hostFile, MAX_TERMINATION_MESSAGE))?.toString('utf8') ?? '';
    else if (path) message = (await ctx.runtime.readFile(c.id, path, { limitBytes: MAX_TERMINATION_MESSAGE })).toString('utf8');
  } catch {
    message = '';
  }
  const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === c.name);
  const policy = c.annotations[ANNOTATION_TERMINATION_MESSAGE_POLICY] ?? spec?.terminationMessagePolicy;
  if (message === '' && policy === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0) {
    try {
      const lines: string[] = [];
      for await (const l of ctx.runtime.containerLogs(c.id, { tail: FALLBACK_LOG_LINES })) lines.push(l.content + (l.partial ? '' : '\n'));
      const text = lines.join('');
      message = Buffer.byteLength(text) > FALLBACK_LOG_BYTES ? Buffer.from(text).subarray(-FALLBACK_LOG_BYTES).toString('utf8') : text;
    } catch {
      message = '';
    }
  }
  return message;
}
