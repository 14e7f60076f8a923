// StreamingService on the engine: exec and attach over hijacked connections, execSync for
// probes and hooks, and port forwarding by a TCP connection to the pod's address.
import { connect, type Socket } from 'node:net';
import { type Duplex, PassThrough, type Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecOptions, ExecResult, ExecSession, PodSandboxStatus, StreamingService } from '../container-runtime.js';
import { FrameDemuxer } from '../log-lines.js';
import { RuntimeError, isRuntimeError } from '../runtime-error.js';
import type { DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';

/**
 * The streams of a hijacked exec or attach connection: raw with a tty, else Docker's frames
 * split into stdout and stderr. Ending stdin half-closes the connection (the engine then
 * closes the process's stdin); output ends when the connection does.
 */
function hijackedSession(socket: Socket, tty: boolean, withStdin: boolean, control: Pick<ExecSession, 'resize' | 'exitCode'>): ExecSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (tty) {
    socket.pipe(stdout);
    stderr.end();
  } else {
    const demux = new FrameDemuxer();
    socket.on('data', (chunk: Buffer) => {
      for (const f of demux.push(chunk)) (f.streamType === 2 ? stderr : stdout).write(f.payload);
    });
    socket.on('end', () => {
      stdout.end();
      stderr.end();
    });
  }
  // A dropped connection ends the output too (the exit code then says what became of it).
  socket.on('close', () => {
    if (!stdout.writableEnded) stdout.end();
    if (!stderr.writableEnded) stderr.end();
  });
  socket.on('error', () => undefined);
  const ended = Promise.all([stdout, stderr].map((s) => new Promise<void>((resolve) => (s.writableFinished ? resolve() : s.once('finish', () => resolve())))));
  let stdin: Writable | undefined;
  if (withStdin) {
    stdin = new PassThrough();
    stdin.pipe(socket);
  }
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    stderr,
    resize: control.resize,
    exitCode: async () => {
      await ended;
      return control.exitCode();
    },
    close: () => socket.destroy(),
  };
}

/** Go's words for the usual connect failures, as upstream's runtimes report them. */
const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
};

export class DockerStreaming implements StreamingService {
  private readonly engine: DockerEngine;
  private readonly sandboxStatus: (id: string) => Promise<PodSandboxStatus>;

  constructor(engine: DockerEngine, sandboxStatus: (id: string) => Promise<PodSandboxStatus>) {
    this.engine = engine;
    this.sandboxStatus = sandboxStatus;
  }

  /**
   * The engine's bridge puts pod IPs in reach of the host, so a connection from here is one
   * from the pod's network (a hostNetwork pod has no IP of its own: its ports are the host's,
   * on 127.0.0.1). An engine on another machine (DOCKER_HOST=tcp://) would need a relay
   * inside the sandbox instead.
   */
  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const status = await this.sandboxStatus(podSandboxId);
    if (status.state !== 'ready') throw new RuntimeError('NotRunning', `sandbox ${podSandboxId} is not running`);
    const host = status.ip || '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const failed = (err: NodeJS.ErrnoException) => {
        const why = CONNECT_ERRORS[err.code ?? ''] ?? err.message;
        reject(new RuntimeError('Unknown', `failed to connect to ${host}:${port} inside the pod's network: dial tcp4 ${host}:${port}: connect: ${why}`));
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        // From here a reset is the forwarding's to handle (it closes the stream), never a crash.
        socket.off('error', failed);
        socket.on('error', () => undefined);
        resolve(socket);
      });
    });
  }

  /**
   * An exec over one hijacked connection: Docker multiplexes stdout and stderr in frames
   * unless there is a tty; half-closing the connection closes the process's stdin.
   */
  async exec(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession> {
    const container = this.engine.docker.getContainer(id);
    let exec: Docker.Exec;
    let socket: Socket;
    try {
      exec = await container.exec({
        Cmd: cmd,
        AttachStdin: options.stdin,
        AttachStdout: options.stdout,
        AttachStderr: options.stderr,
        Tty: options.tty,
      });
      socket = (await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty } as object)) as unknown as Socket;
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    }
    return hijackedSession(socket, options.tty, options.stdin, {
      resize: async (width, height) => {
        if (options.tty) await exec.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: async () => {
        // The engine records the exit code a moment after the output ends.
        for (let i = 0; ; i++) {
          const inspected = await exec.inspect();
          if (!inspected.Running || i >= 50) return inspected.ExitCode ?? -1;
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    });
  }

  /**
   * Attaches to the container's main process (`kubectl attach`, `kubectl run -it`). Whether
   * there is a tty is the container's (ContainerConfig.tty); the session ends when the process
   * does, or when the connection closes (the process goes on). Its exit code is always 0: the
   * process's own end is in the container's status.
   */
  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    const info = await this.engine.inspect(id, 'container');
    if (!info.State.Running) throw new RuntimeError('NotRunning', `container ${id} is not running`);
    const tty = !!info.Config.Tty;
    const container = this.engine.docker.getContainer(id);
    let socket: Socket;
    try {
      socket = (await container.attach({ stream: true, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !tty, hijack: true })) as unknown as Socket;
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'attach');
    }
    return hijackedSession(socket, tty, options.stdin, {
      resize: async (width, height) => {
        if (tty) await container.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: async () => 0,
    });
  }

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const container = this.engine.docker.getContainer(id);
    let exec: Docker.Exec;
    try {
      exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    } catch (err) {
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      if (isStatus(err, 404)) throw new RuntimeError('NotFound', `no such container: ${id}`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    }
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const output = (async () => {
      const stream = (await exec.start({ hijack: true, stdin: false, abortSignal: ac.signal } as object)) as NodeJS.ReadableStream & {
        destroy?: () => void;
      };
      ac.signal.addEventListener('abort', () => stream.destroy?.());
      const demux = new FrameDemuxer();
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const f of demux.push(chunk)) (f.streamType === 2 ? errs : out).push(f.payload);
      }
      return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') };
    })();
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([output, timeout]);
      if (result === 'timeout') {
        ac.abort();
        output.catch(() => undefined);
        throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`);
      }
      const inspected = await exec.inspect();
      return { exitCode: inspected.ExitCode ?? -1, ...result };
    } catch (err) {
      if (isRuntimeError(err)) throw err;
      if (isStatus(err, 409)) throw new RuntimeError('NotRunning', `container ${id} is not running`);
      throw toRuntimeError(err, 'Unknown', 'exec');
    } finally {
      clearTimeout(timer);
    }
  }

  async attachStdin(id: string): Promise<Writable> {
    await this.engine.inspect(id, 'container');
    try {
      const stream = (await this.engine.docker.getContainer(id).attach({ stream: true, stdin: true, stdout: false, stderr: false, hijack: true })) as unknown as Writable;
      return stream;
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', `failed to attach to container ${id}`);
    }
  }
}
