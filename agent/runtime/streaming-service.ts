// StreamingService: processes run in, and streams attached to, running containers (CRI's
// ExecSync, Exec, Attach and PortForward; the kubelet serves the streams through its streaming server).
import type { Duplex, Writable } from 'node:stream';
import type { PodStreamSession } from '../../api/core-streams.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What an interactive exec (`kubectl exec`, `kubectl cp`) attaches to. */
export interface ExecOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** A terminal: stdout and stderr arrive merged on stdout, and the size can be set. */
  tty: boolean;
}

/**
 * A process started in a running container, streaming while it runs: the same shape the API
 * server streams to kubectl (api/core-streams.ts), so the node hands it over as it is.
 */
export type ExecSession = PodStreamSession;

export interface StreamingService {
  /** Runs cmd in a running container; DeadlineExceeded after timeoutMs (the process is abandoned). */
  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Starts cmd in a running container with streams attached (NotRunning, NotFound). Optional:
   * a runtime without it cannot serve `kubectl exec`.
   */
  exec?(id: string, cmd: string[], options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to a running container's main process (its tty is the container's own, whatever
   * options.tty says). Optional, as exec.
   */
  attach?(id: string, options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to the container's stdin (config.stdin). Ending the stream closes stdin when
   * stdinOnce is set. Attach before startContainer to be sure nothing is missed.
   */
  attachStdin(id: string): Promise<Writable>;
  /**
   * A TCP connection to a port of a ready sandbox, made from inside its network (CRI's
   * PortForward: a hostNetwork pod's port is the node's). Resolves once connected; rejects
   * with NotRunning when the sandbox is not ready, or with the connect's error (its message
   * what the client is told, e.g. "... connect: connection refused"). A runtime that connects
   * only after the stream is handed over (the CRI's streaming server) resolves first and then
   * destroys the Duplex with that error, before any byte arrives. Optional, as exec.
   */
  portForward?(podSandboxId: string, port: number): Promise<Duplex>;
}
