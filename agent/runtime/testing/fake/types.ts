// What a test scripts a FakeRuntime with: programs (what a container's process does), images,
// failures to inject, and the record of calls it checks.
import { FakeClock } from '../../../../machinery/index.js';
import type { ImageConfig, LogStreamName } from '../../container-runtime.js';

/** What a fake process can see and do. */
export interface FakeProcess {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string;
  readonly hostname: string;
  readonly tty: boolean;
  readonly containerName: string;
  readonly podName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Whether this is an exec'd process rather than the container's main one. */
  readonly isExec: boolean;
  write(stream: LogStreamName, text: string): void;
  /** Writes text + "\n" to stdout. */
  out(text: string): void;
  /** Writes text + "\n" to stderr. */
  err(text: string): void;
  /** Ends the process with this code (later writes are dropped). */
  exit(code: number): void;
  /** Handler for SIGTERM/SIGINT. Without one, PID 1 ignores SIGTERM (as in a container). */
  onSignal(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  /** Never resolves: the process runs until it is signalled, killed or exits. */
  forever(): Promise<never>;
  /** Waits in virtual time. */
  sleep(ms: number): Promise<void>;
  /** Next stdin line without "\n"; undefined at end of input. */
  readLine(): Promise<string | undefined>;
  readFile(path: string): string | undefined;
  readBytes(path: string): Buffer | undefined;
  /** Throws "No space left on device" when a Memory volume's size limit would be exceeded. */
  writeFile(path: string, data: string | Buffer, mode?: number): void;
  appendFile(path: string, data: string): void;
  exists(path: string): boolean;
  /** Resolves once the file exists. */
  waitForFile(path: string): Promise<void>;
  /** Serves `port` on the pod's network namespace. */
  listen(port: number, handler: (request: string) => string | Promise<string>): void;
  /** Sends a request to a listener on localhost or the pod IP; throws "connection refused". */
  request(host: string, port: number, request: string): Promise<string>;
  /** Uses memory; past the container's memory limit the kernel OOM-kills the container. */
  allocate(bytes: number): void;
  /** Spends CPU time (what containerStats counts), at once: virtual time does not move. */
  useCpu(ms: number): void;
}

export type FakeProgram = (p: FakeProcess) => void | Promise<void>;

/** What a program matcher sees. */
export interface ProgramContext {
  argv: readonly string[];
  image: string;
  containerName: string;
  podName: string;
  labels: Readonly<Record<string, string>>;
  isExec: boolean;
}

export type ProgramMatcher = readonly string[] | ((ctx: ProgramContext) => boolean);

export interface FakeImageSpec {
  config?: ImageConfig;
  sizeBytes?: number;
  /** Files of the image. When given, a command whose executable is not among them fails to start. */
  files?: Record<string, string | { data: string | Buffer; mode?: number }>;
}

export type FakeOp =
  | 'runPodSandbox'
  | 'stopPodSandbox'
  | 'removePodSandbox'
  | 'pullImage'
  | 'createContainer'
  | 'startContainer'
  | 'stopContainer'
  | 'removeContainer'
  | 'execSync'
  | 'createVolume'
  | 'writeVolumeFiles';

export interface FakeCall {
  op: FakeOp | 'imageStatus' | 'removeImage' | 'removeVolume';
  /** Container/sandbox id, image ref or volume name. */
  target?: string;
  detail?: unknown;
}

export interface FakeRuntimeOptions {
  clock?: FakeClock;
  /** Advance virtual time by itself when every program waits on it (default true). */
  autoAdvance?: boolean;
  cpus?: number;
  memoryBytes?: number;
  /** Program for commands nobody registered (default: exit 0 at once). */
  defaultProgram?: FakeProgram;
}
