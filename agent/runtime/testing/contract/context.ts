// What every part of the runtime contract shares: the harness a runtime's test provides, and
// the helpers the cases are written with (a pod, a container config, run to exit, wait for a
// log line). Each case states what the container does twice, as a busybox shell script (what
// a real engine runs) and as a FakeProgram (what the fake simulates).
import type { ContainerConfig, ContainerRuntime, ContainerStatus, LogLine, PodSandboxConfig, RegistryAuth } from '../../container-runtime.js';
import { isRuntimeError, type RuntimeError } from '../../runtime-error.js';
import type { FakeProgram } from '../fake/fake-runtime.js';

export interface ContractHarness {
  runtime: ContainerRuntime;
  /** A local image with a static busybox at /bin/busybox. */
  busybox: string;
  /** A local image with ENTRYPOINT ["/bin/busybox","echo","entry"], CMD ["from-cmd"], ENV IMAGE_VAR=from-image. */
  entrypointImage: string;
  /** argv that runs `argv` in Docker; the fake runs `program` for it. */
  cmd(argv: string[], program: FakeProgram): string[];
  /** A private image: pullable only with `auth`. */
  privateImage(): Promise<{ ref: string; auth: RegistryAuth }>;
  /** A reference no registry serves. */
  missingImage(): Promise<string>;
  /** A directory on the node holding `files`, for bind mounts. */
  hostDir(files: Record<string, string>): Promise<string>;
  /** The runtime's clock (wall clock for Docker, virtual for the fake). */
  now(): Date;
  /** A second runtime over the same engine, as an agent restart would create. */
  reconnect(): ContainerRuntime;
  /**
   * What the runtime cannot do by design, each with the reason: the case is skipped with that
   * reason in the report (never silently), and the runtime's own test shows what holds instead.
   */
  lacks?: {
    /** ContainerConfig.resources.pidsLimit on the container's own cgroup. */
    containerPidsLimit?: string;
  };
  /** Put on every sandbox and volume of this run; teardown removes by it. */
  runLabels: Record<string, string>;
  /** Unique per run, for names. */
  runId: string;
  teardown(): Promise<void>;
}

export const SH = ['/bin/busybox', 'sh', '-c'];
export const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

export async function reasonOf(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (err) {
    if (isRuntimeError(err)) return err;
    throw err;
  }
  throw new Error('expected a RuntimeError');
}

export async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

/**
 * The harness of the running suite (set by its beforeAll) and the helpers over it. The helpers
 * are bound, so the parts destructure them.
 */
export class ContractContext {
  h!: ContractHarness;
  rt!: ContainerRuntime;
  private podSeq = 0;

  sh = (script: string, program: FakeProgram): string[] => this.h.cmd([...SH, script], program);

  podConfig = (name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => {
    this.podSeq++;
    return {
      metadata: { name, namespace: 'contract', uid: `${this.h.runId}-${this.podSeq}`, attempt: 0 },
      hostname: name,
      ...extra,
      labels: { ...this.h.runLabels, app: name, ...extra.labels },
    };
  };

  newPod = async (name: string, extra: Partial<PodSandboxConfig> = {}) => {
    const config = this.podConfig(name, extra);
    const id = await this.rt.runPodSandbox(config);
    return { id, config };
  };

  containerConfig = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => {
    return { metadata: { name, attempt: 0 }, image: this.h.busybox, command, ...extra };
  };

  start = async (sandboxId: string, config: ContainerConfig): Promise<string> => {
    const id = await this.rt.createContainer(sandboxId, config);
    await this.rt.startContainer(id);
    return id;
  };

  runToExit = async (sandboxId: string, config: ContainerConfig): Promise<{ id: string; status: ContainerStatus; logs: LogLine[] }> => {
    const id = await this.start(sandboxId, config);
    const status = await this.rt.waitContainer(id);
    const logs = await collect(this.rt.containerLogs(id));
    return { id, status, logs };
  };

  text = (lines: LogLine[]): string[] => lines.map((l) => l.content);

  /** Follows the logs until a line contains `needle`. */
  waitForLine = async (id: string, needle: string): Promise<void> => {
    const ac = new AbortController();
    try {
      for await (const l of this.rt.containerLogs(id, { follow: true, signal: ac.signal })) if (l.content.includes(needle)) return;
    } finally {
      ac.abort();
    }
    throw new Error(`container ended before printing ${needle}`);
  };
}
