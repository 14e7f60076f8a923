// StreamingService: processes run in, and streams attached to, running containers (CRI's
// ExecSync, Exec and Attach; the kubelet serves the streams through its streaming server).
import type { Readable, Writable } from 'node:stream';

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

/** A process started in a running container, streaming while it runs. */
export interface ExecSession {
  /** The process's stdin when asked for; ending it closes the process's stdin. */
  stdin?: Writable;
  /** Ends when the process has exited and its output was read. */
  stdout: Readable;
  /** Empty with a tty. */
  stderr: Readable;
  /** Terminal size in characters (tty only; ignored otherwise). */
  resize(width: number, height: number): Promise<void>;
  /** The exit code, once the process has exited and its output ended. */
  exitCode(): Promise<number>;
  /** Drops the connection; the process gets EOF/SIGHUP as with a closed terminal. */
  close(): void;
}

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
}
