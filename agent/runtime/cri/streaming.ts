// StreamingService through the CRI: ExecSync for probes and hooks; Exec, Attach and PortForward
// return a URL on the runtime's streaming server, which stream-client.ts speaks to as the
// kubelet does. A failed call is explained by the container's (or sandbox's) status, so that
// NotRunning and NotFound do not depend on one runtime's wording.
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import type { ExecOptions, ExecResult, ExecSession, StreamingService } from '../streaming-service.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import type { CriCallOptions } from './client.js';
import type { AttachRequest } from './generated/runtime/v1/AttachRequest.js';
import type { AttachResponse__Output } from './generated/runtime/v1/AttachResponse.js';
import type { ContainerStatusRequest } from './generated/runtime/v1/ContainerStatusRequest.js';
import type { ContainerStatusResponse__Output } from './generated/runtime/v1/ContainerStatusResponse.js';
import type { ExecRequest } from './generated/runtime/v1/ExecRequest.js';
import type { ExecResponse__Output } from './generated/runtime/v1/ExecResponse.js';
import type { ExecSyncRequest } from './generated/runtime/v1/ExecSyncRequest.js';
import type { ExecSyncResponse__Output } from './generated/runtime/v1/ExecSyncResponse.js';
import type { PodSandboxStatusRequest } from './generated/runtime/v1/PodSandboxStatusRequest.js';
import type { PodSandboxStatusResponse__Output } from './generated/runtime/v1/PodSandboxStatusResponse.js';
import type { PortForwardRequest } from './generated/runtime/v1/PortForwardRequest.js';
import type { PortForwardResponse__Output } from './generated/runtime/v1/PortForwardResponse.js';
import { portForwardStream, remoteCommandSession } from './stream-client.js';

type Call<Req, Res> = (request: Req, options?: CriCallOptions) => Promise<Res>;

/** The RuntimeService calls streaming makes (CriContext['runtime'] has them all). */
export interface CriStreamingCalls {
  ExecSync: Call<ExecSyncRequest, ExecSyncResponse__Output>;
  Exec: Call<ExecRequest, ExecResponse__Output>;
  Attach: Call<AttachRequest, AttachResponse__Output>;
  PortForward: Call<PortForwardRequest, PortForwardResponse__Output>;
  ContainerStatus: Call<ContainerStatusRequest, ContainerStatusResponse__Output>;
  PodSandboxStatus: Call<PodSandboxStatusRequest, PodSandboxStatusResponse__Output>;
}

/** Whether a container was made with a tty: containerd's verbose status carries its config (CRI-O's its OCI spec). */
export function ttyOf(info: Record<string, string> | undefined): boolean | undefined {
  if (!info?.info) return undefined;
  try {
    const parsed = JSON.parse(info.info) as { config?: { tty?: boolean }; runtimeSpec?: { process?: { terminal?: boolean } } };
    return parsed.config?.tty ?? parsed.runtimeSpec?.process?.terminal;
  } catch {
    return undefined;
  }
}

export class CriStreaming implements StreamingService {
  private readonly calls: CriStreamingCalls;
  /** Stdin attachments waiting for their container to start (the CRI attaches to running containers only). */
  private readonly pendingStdin = new Map<string, ((err?: Error) => void)[]>();

  /** ctx: the runtime's CriContext (only its RuntimeService calls are used). */
  constructor(ctx: { runtime: CriStreamingCalls }) {
    this.calls = ctx.runtime;
  }

  /** A RuntimeError for a failed call on a container: NotFound or NotRunning when its status says so. */
  private async containerFailure(id: string, err: unknown, doing: string): Promise<RuntimeError> {
    try {
      const st = await this.calls.ContainerStatus({ container_id: id });
      if (st.status && st.status.state !== 'CONTAINER_RUNNING') return new RuntimeError('NotRunning', `container ${id} is not running`, { cause: err });
    } catch (statusErr) {
      if (isRuntimeError(statusErr, 'NotFound')) return new RuntimeError('NotFound', `no such container: ${id}`, { cause: err });
    }
    if (isRuntimeError(err)) return err;
    return new RuntimeError('Unknown', `${doing}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }

  /**
   * ExecSync with the CRI's timeout in whole seconds (rounded up: the runtime kills the process
   * then) and a call deadline of timeoutMs, so a probe's timeout holds to the millisecond.
   * Untracked by the health check: it takes as long as the command does, by design.
   */
  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    try {
      const r = await this.calls.ExecSync({ container_id: id, cmd, timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) }, { timeoutMs, untracked: true });
      return { exitCode: r.exit_code, stdout: Buffer.from(r.stdout).toString('utf8'), stderr: Buffer.from(r.stderr).toString('utf8') };
    } catch (err) {
      if (isRuntimeError(err, 'DeadlineExceeded')) throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`, { cause: err });
      throw await this.containerFailure(id, err, 'exec');
    }
  }

  async exec(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession> {
    // The CRI refuses stderr with a tty: the terminal merges it into stdout.
    const streams = { ...options, stderr: options.stderr && !options.tty };
    let url: string;
    try {
      ({ url } = await this.calls.Exec({ container_id: id, cmd, ...streams }));
    } catch (err) {
      throw await this.containerFailure(id, err, 'exec');
    }
    return remoteCommandSession(url, streams, 'exec');
  }

  /**
   * Attaches to the main process. The streams must match the container's tty (the streaming
   * server expects a resize stream and no stderr with one), which its verbose status tells.
   */
  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    let url: string;
    let tty: boolean;
    try {
      const st = await this.calls.ContainerStatus({ container_id: id, verbose: true });
      if (st.status && st.status.state !== 'CONTAINER_RUNNING') throw new RuntimeError('NotRunning', `container ${id} is not running`);
      tty = ttyOf(st.info) ?? options.tty;
      ({ url } = await this.calls.Attach({ container_id: id, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !tty, tty }));
    } catch (err) {
      throw await this.containerFailure(id, err, 'attach');
    }
    return remoteCommandSession(url, { stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !tty, tty }, 'attach');
  }

  /**
   * The container's stdin. A container not started yet gets a buffer that attaches once
   * startContainer has run (containerStarted); nothing is lost, as the process reads stdin only
   * once running.
   */
  async attachStdin(id: string): Promise<Writable> {
    const st = await this.calls.ContainerStatus({ container_id: id, verbose: true }).catch(async (err: unknown) => {
      throw await this.containerFailure(id, err, 'attach');
    });
    const tty = ttyOf(st.info) ?? false;
    const attachNow = async () => {
      const { url } = await this.calls.Attach({ container_id: id, stdin: true, stdout: false, stderr: false, tty });
      const session = await remoteCommandSession(url, { stdin: true, stdout: false, stderr: false, tty }, 'attach');
      return session.stdin!;
    };
    if (st.status?.state === 'CONTAINER_RUNNING') {
      try {
        return await attachNow();
      } catch (err) {
        throw await this.containerFailure(id, err, 'attach');
      }
    }
    if (st.status?.state !== 'CONTAINER_CREATED') throw new RuntimeError('NotRunning', `container ${id} is not running`);
    const buffer = new PassThrough();
    const waiters = this.pendingStdin.get(id) ?? [];
    waiters.push((startErr) => {
      if (startErr) return void buffer.destroy(startErr);
      attachNow().then(
        (stdin) => buffer.pipe(stdin),
        (err: unknown) => buffer.destroy(err as Error),
      );
    });
    this.pendingStdin.set(id, waiters);
    buffer.on('error', () => undefined);
    return buffer;
  }

  /** Called by the runtime once StartContainer succeeded (or failed: err), for attachStdin's waiters. */
  containerStarted(id: string, err?: Error): void {
    const waiters = this.pendingStdin.get(id);
    this.pendingStdin.delete(id);
    for (const w of waiters ?? []) w(err);
  }

  /**
   * A connection to a port inside the sandbox's network namespace, made by the runtime. It
   * connects once the streams are set up: a refused port fails the Duplex (a RuntimeError
   * with the runtime's message) rather than this promise.
   */
  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    let url: string;
    try {
      ({ url } = await this.calls.PortForward({ pod_sandbox_id: podSandboxId, port: [port] }));
    } catch (err) {
      throw await this.sandboxFailure(podSandboxId, err);
    }
    return portForwardStream(url, port);
  }

  private async sandboxFailure(id: string, err: unknown): Promise<RuntimeError> {
    try {
      const st = await this.calls.PodSandboxStatus({ pod_sandbox_id: id });
      if (st.status && st.status.state !== 'SANDBOX_READY') return new RuntimeError('NotRunning', `sandbox ${id} is not running`, { cause: err });
    } catch (statusErr) {
      if (isRuntimeError(statusErr, 'NotFound')) return new RuntimeError('NotFound', `no such sandbox: ${id}`, { cause: err });
    }
    if (isRuntimeError(err)) return err;
    return new RuntimeError('Unknown', `port-forward: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
