// pods/log served by the node (the kubelet's GetContainerLogs and validateContainerLogStatus):
// the API server hands the request over through the PodLogProvider contract of
// api/core-streams.ts, which this class implements (cmd/ passes it in).
// Which container instance: `previous` → the one in lastState.terminated; otherwise the
// running one, or the terminated one; a container still waiting has no logs yet and the
// answer is upstream's 400 (`container "c" in pod "p" is waiting to start: ContainerCreating`).
// Then: `follow` (ends when the container ends), `timestamps` (RFC 3339 with nanoseconds),
// `tailLines`, `sinceSeconds` / `sinceTime`, `limitBytes` (counted on what is sent).
import { Readable } from 'node:stream';
import type { ContainerStatus, Pod } from '../api/index.js';
import type { PodLogOptions, PodLogProvider } from '../api/core-streams.js';
import { badRequest, type Clock, realClock } from '../machinery/index.js';
import { type ContainerRuntime, isNotFoundError } from './runtime/index.js';
import { ContainerCreating, PodInitializing } from './status.js';

export interface PodLogsDeps {
  runtime: ContainerRuntime;
  clock?: Clock;
}

/** "docker://abc" → "abc". */
function bareId(containerID: string | undefined): string {
  return (containerID ?? '').replace(/^[a-z0-9-]+:\/\//, '');
}

/** validateContainerLogStatus: the runtime id whose logs a request means, or upstream's 400. */
export function containerIdForLogs(pod: Pod, containerName: string, previous: boolean): string {
  const podName = pod.metadata.name ?? '';
  const isInit = (pod.spec.initContainers ?? []).some((c) => c.name === containerName);
  const statuses: ContainerStatus[] = isInit ? (pod.status?.initContainerStatuses ?? []) : (pod.status?.containerStatuses ?? []);
  const known = isInit || pod.spec.containers.some((c) => c.name === containerName);
  if (!known) throw badRequest(`container ${JSON.stringify(containerName)} in pod ${JSON.stringify(podName)} is not available`);
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const status: ContainerStatus = statuses.find((s) => s.name === containerName) ?? {
    name: containerName,
    state: { waiting: { reason: hasInit ? PodInitializing : ContainerCreating } },
    ready: false,
    restartCount: 0,
    image: '',
    imageID: '',
  };
  const q = (s: string) => JSON.stringify(s);
  const last = status.lastState?.terminated;
  const { waiting, running, terminated } = status.state ?? {};
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container ${q(containerName)} in pod ${q(podName)} not found`);
    return bareId(last.containerID);
  }
  if (running) return bareId(status.containerID);
  if (terminated) {
    if (terminated.containerID) return bareId(terminated.containerID);
    if (last?.containerID) return bareId(last.containerID);
    throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is terminated`);
    return bareId(last.containerID);
  }
  if (waiting) {
    const reason = waiting.reason ?? '';
    if (reason === 'ErrImagePull') throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: trying and failing to pull image`);
    throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: ${reason}`);
  }
  throw badRequest(`container ${q(containerName)} in pod ${q(podName)} is waiting to start - no logs yet`);
}

/** The agent's PodLogProvider. */
export class PodLogs implements PodLogProvider {
  private readonly runtime: ContainerRuntime;
  private readonly clock: Clock;

  constructor(deps: PodLogsDeps) {
    this.runtime = deps.runtime;
    this.clock = deps.clock ?? realClock;
  }

  async streamLogs(pod: Pod, options: PodLogOptions, signal: AbortSignal): Promise<Readable> {
    const id = containerIdForLogs(pod, options.container, options.previous);
    try {
      await this.runtime.containerStatus(id);
    } catch (err) {
      if (isNotFoundError(err)) {
        throw badRequest(`container ${JSON.stringify(options.container)} in pod ${JSON.stringify(pod.metadata.name ?? '')} is not available`);
      }
      throw err;
    }
    let since: Date | undefined;
    if (options.sinceSeconds !== undefined) since = new Date(this.clock.now().getTime() - options.sinceSeconds * 1000);
    else if (options.sinceTime) {
      since = new Date(options.sinceTime);
      if (Number.isNaN(since.getTime())) throw badRequest(`sinceTime: Invalid value: ${JSON.stringify(options.sinceTime)}: must be an RFC 3339 time`);
    }
    const lines = this.runtime.containerLogs(id, {
      follow: options.follow,
      ...(since ? { since } : {}),
      ...(options.tailLines !== undefined ? { tail: options.tailLines } : {}),
      signal,
    });
    const timestamps = options.timestamps;
    let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
    async function* bytes(): AsyncGenerator<Buffer> {
      for await (const l of lines) {
        if (remaining <= 0) return;
        let out = Buffer.from(`${timestamps ? `${l.timestamp} ` : ''}${l.content}${l.partial ? '' : '\n'}`);
        if (out.length > remaining) out = out.subarray(0, remaining);
        remaining -= out.length;
        yield out;
        if (remaining <= 0) return;
      }
    }
    return Readable.from(bytes(), { objectMode: false });
  }
}
