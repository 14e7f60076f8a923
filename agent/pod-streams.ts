// pods/exec, pods/attach and pods/portforward served by the node (the kubelet's GetExec,
// GetAttach and GetPortForward): the API server hands a validated request over through the
// PodStreamProvider contract of api/core-streams.ts, which this implements, as PodLogs does for
// pods/log. The container is the pod's running one of that name, the sandbox the pod's ready
// one, as the runtime reports them now (the pod's status may lag).
import type { Pod } from '../api/index.js';
import type { PodAttachOptions, PodExecOptions, PodPortForwarder, PodStreamProvider } from '../api/core-streams.js';
import { badRequest, errorMessage, serviceUnavailable, StatusError, failureStatus } from '../machinery/index.js';
import { type ContainerRuntime, type ExecSession, isRuntimeError, LABEL_CONTAINER_NAME, LABEL_POD_UID } from './runtime/index.js';

export class PodStreams implements PodStreamProvider {
  private readonly runtime: ContainerRuntime;

  constructor(deps: { runtime: ContainerRuntime }) {
    this.runtime = deps.runtime;
  }

  async exec(pod: Pod, options: PodExecOptions): Promise<ExecSession> {
    const run = this.runtime.exec?.bind(this.runtime);
    if (!run) throw serviceUnavailable('the container runtime of this node cannot run interactive processes');
    return this.inRunningContainer(pod, options, 'executing command in', (id) => run(id, options.command, options));
  }

  async attach(pod: Pod, options: PodAttachOptions): Promise<ExecSession> {
    const attach = this.runtime.attach?.bind(this.runtime);
    if (!attach) throw serviceUnavailable('the container runtime of this node cannot attach to containers');
    return this.inRunningContainer(pod, options, 'attaching to', (id) => attach(id, options));
  }

  async portForward(pod: Pod): Promise<PodPortForwarder> {
    const forward = this.runtime.portForward?.bind(this.runtime);
    if (!forward) throw serviceUnavailable('the container runtime of this node cannot forward ports');
    const q = (s: string) => JSON.stringify(s);
    const sandboxes = await this.runtime.listPodSandboxes({ labels: { [LABEL_POD_UID]: pod.metadata.uid ?? '' } });
    const newest = sandboxes.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    // Upstream's kubelet finds no sandbox (500), or its runtime one that is not ready (the
    // pod ended, or is between restarts of its sandbox).
    if (!newest) throw new StatusError(failureStatus(500, 'InternalError', `failed to find sandbox for pod ${q(pod.metadata.name ?? '')}`));
    if (newest.state !== 'ready') throw new StatusError(failureStatus(500, 'InternalError', `sandbox ${q(newest.id)} of pod ${q(pod.metadata.name ?? '')} is not running`));
    return { podSandboxId: newest.id, connect: (port) => forward(newest.id, port) };
  }

  private async inRunningContainer(pod: Pod, options: PodAttachOptions, doing: string, start: (id: string) => Promise<ExecSession>): Promise<ExecSession> {
    const q = (s: string) => JSON.stringify(s);
    const podName = pod.metadata.name ?? '';
    const running = await this.runtime.listContainers({
      labels: { [LABEL_POD_UID]: pod.metadata.uid ?? '', [LABEL_CONTAINER_NAME]: options.container },
      state: 'running',
    });
    const id = running.at(-1)?.id;
    if (!id) throw badRequest(`container ${q(options.container)} in pod ${q(podName)} is not running`);
    try {
      return await start(id);
    } catch (err) {
      if (isRuntimeError(err) && (err.reason === 'NotRunning' || err.reason === 'NotFound')) {
        throw badRequest(`container ${q(options.container)} in pod ${q(podName)} is not running`);
      }
      throw new StatusError(failureStatus(500, 'InternalError', `error ${doing} container ${q(options.container)}: ${errorMessage(err)}`));
    }
  }
}
