// pods/exec served by the node (the kubelet's GetExec): the API server hands a validated
// request over through its PodExecProvider interface (server/handlers/pod-exec.ts), which
// this implements structurally, as PodLogs does for pods/log. The process runs in the pod's
// running container of that name, as the runtime reports it now (the pod's status may lag).
import type { Pod } from '../api/index.js';
import { badRequest, serviceUnavailable, StatusError, failureStatus } from '../machinery/index.js';
import { type ContainerRuntime, type ExecSession, isRuntimeError, LABEL_CONTAINER_NAME, LABEL_POD_UID } from './runtime/index.js';

/** The API server's PodExecOptions, structurally. */
export interface PodExecOptions {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The API server's PodExecProvider, structurally. */
export interface PodExecProvider {
  exec(pod: Pod, options: PodExecOptions): Promise<ExecSession>;
}

export class PodExec implements PodExecProvider {
  private readonly runtime: ContainerRuntime;

  constructor(deps: { runtime: ContainerRuntime }) {
    this.runtime = deps.runtime;
  }

  async exec(pod: Pod, options: PodExecOptions): Promise<ExecSession> {
    const q = (s: string) => JSON.stringify(s);
    const podName = pod.metadata.name ?? '';
    if (!this.runtime.exec) throw serviceUnavailable(`the container runtime of this node cannot run interactive processes`);
    const running = await this.runtime.listContainers({
      labels: { [LABEL_POD_UID]: pod.metadata.uid ?? '', [LABEL_CONTAINER_NAME]: options.container },
      state: 'running',
    });
    const id = running.at(-1)?.id;
    if (!id) throw badRequest(`container ${q(options.container)} in pod ${q(podName)} is not running`);
    try {
      return await this.runtime.exec(id, options.command, { stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, tty: options.tty });
    } catch (err) {
      if (isRuntimeError(err) && (err.reason === 'NotRunning' || err.reason === 'NotFound')) {
        throw badRequest(`container ${q(options.container)} in pod ${q(podName)} is not running`);
      }
      throw new StatusError(failureStatus(500, 'InternalError', `error executing command in container ${q(options.container)}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
