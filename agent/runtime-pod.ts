// What the container runtime holds for one pod, read fresh at every sync: the kubelet's
// kubecontainer.PodStatus (sandboxes and every container instance, newest first). Exited
// containers never change, so their statuses (and termination messages) are cached by id.
import {
  type ContainerRuntime,
  type ContainerStatus as RuntimeContainerStatus,
  type ContainerSummary,
  isNotFoundError,
  LABEL_POD_UID,
  type PodSandboxStatus,
} from './runtime/index.js';

/** One container instance of a pod as the runtime reports it, plus what the agent read from it. */
export interface RuntimeContainer extends RuntimeContainerStatus {
  /** metadata.name: the container's name in the pod spec. */
  name: string;
  /** The message from terminationMessagePath (or the logs), once the container exited. */
  terminationMessage?: string;
}

/** Sandboxes and containers of one pod, newest first. */
export interface RuntimePod {
  uid: string;
  sandboxes: PodSandboxStatus[];
  containers: RuntimeContainer[];
}

/** Newest first: higher attempt, then later creation. */
export function byNewest(a: { metadata: { attempt: number }; createdAt: Date }, b: { metadata: { attempt: number }; createdAt: Date }): number {
  return b.metadata.attempt - a.metadata.attempt || b.createdAt.getTime() - a.createdAt.getTime();
}

/** The newest instance of the named container, if any. */
export function latestContainer(pod: RuntimePod, name: string): RuntimeContainer | undefined {
  return pod.containers.find((c) => c.name === name);
}

/** Every instance of the named container, newest first. */
export function containerInstances(pod: RuntimePod, name: string): RuntimeContainer[] {
  return pod.containers.filter((c) => c.name === name);
}

/** The newest sandbox that runs, if any. */
export function readySandbox(pod: RuntimePod): PodSandboxStatus | undefined {
  return pod.sandboxes.find((s) => s.state === 'ready');
}

/** Reads a pod's runtime state; exited containers come from `cache` once seen. */
export class RuntimePodReader {
  private readonly runtime: ContainerRuntime;
  private readonly exited = new Map<string, RuntimeContainer>();

  constructor(runtime: ContainerRuntime) {
    this.runtime = runtime;
  }

  async read(uid: string): Promise<RuntimePod> {
    const labels = { [LABEL_POD_UID]: uid };
    const containers: RuntimeContainer[] = [];
    // The containers' statuses are asked as soon as they are listed, beside the sandboxes' (a
    // runtime may answer both with one read when a container is its pod's sandbox).
    const statuses = async (summaries: ContainerSummary[]) =>
      Promise.all(
        summaries.map(async (s) => {
          const cached = this.exited.get(s.id);
          if (cached) {
            containers.push(cached);
            return;
          }
          try {
            const st = await this.runtime.containerStatus(s.id);
            containers.push({ ...st, name: st.metadata.name });
          } catch (err) {
            if (!isNotFoundError(err)) throw err;
          }
        }),
      );
    const [sandboxes] = await Promise.all([this.runtime.listPodSandboxes({ labels }), this.runtime.listContainers({ labels }).then(statuses)]);
    containers.sort(byNewest);
    sandboxes.sort(byNewest);
    return { uid, sandboxes, containers };
  }

  /** Remembers an exited container (with its termination message): only a late OOM report changes it (the kubelet then forgets it). */
  rememberExited(c: RuntimeContainer): void {
    if (c.state === 'exited') this.exited.set(c.id, c);
  }

  /** Whether an exited container's status is cached already. */
  isRemembered(id: string): boolean {
    return this.exited.has(id);
  }

  forget(id: string): void {
    this.exited.delete(id);
  }
}
