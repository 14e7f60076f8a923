// The streams a node serves for the API server (upstream: the kubelet's GetContainerLogs,
// GetExec, GetAttach behind pods/log, pods/exec, pods/attach): the core/v1 option types, as the
// API server has resolved and validated them, and the provider contracts between the two.
// server/handlers validates a request and calls a provider; agent/pod-logs.ts and
// agent/pod-streams.ts implement them; cmd/ wires one to the other.
//
// Not in the api/ barrel: the providers speak Node streams, and the console (web/) compiles
// api/index.ts without Node's types.
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Pod } from './core.js';

/** core/v1 PodLogOptions, resolved: the container is named, flags are booleans. */
export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

/** core/v1 PodAttachOptions, resolved (stderr is false with a tty: it arrives on stdout). */
export interface PodAttachOptions {
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** core/v1 PodExecOptions: PodAttachOptions and the command to run. */
export interface PodExecOptions extends PodAttachOptions {
  command: string[];
}

/** core/v1 PodPortForwardOptions: the ports a client may forward (none listed: any). */
export interface PodPortForwardOptions {
  ports?: number[];
}

/** Answers pods/log: the node's side of it. */
export interface PodLogProvider {
  /** A stream of log bytes; throws StatusError (400) when the container has no logs yet. */
  streamLogs(pod: Pod, options: PodLogOptions, signal: AbortSignal): Promise<Readable>;
}

/** A process in a pod's container, exec'd or attached to (the runtime's ExecSession is this shape). */
export interface PodStreamSession {
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

/** Answers pods/exec and pods/attach: the node's side of them. */
export interface PodStreamProvider {
  /** Starts the process; throws StatusError when the container cannot run it. */
  exec(pod: Pod, options: PodExecOptions): Promise<PodStreamSession>;
  /** Attaches to the container's main process; its exit code is always 0. */
  attach(pod: Pod, options: PodAttachOptions): Promise<PodStreamSession>;
  /**
   * Port forwarding into the pod's network (pods/portforward; upstream: the kubelet's
   * GetPortForward, which finds the pod's sandbox before the connection is upgraded); throws
   * StatusError when the pod has no running sandbox. Optional: without it, 503.
   */
  portForward?(pod: Pod): Promise<PodPortForwarder>;
}

/** The pod's sandbox, ready to take connections to its ports (upstream: CRI PortForward). */
export interface PodPortForwarder {
  /** The sandbox's id: upstream's error messages name the pod by it. */
  podSandboxId: string;
  /**
   * A TCP connection to the port, made from inside the pod's network; resolves once connected.
   * Its rejection's message is what the client reads on the error stream.
   */
  connect(port: number): Promise<Duplex>;
}
