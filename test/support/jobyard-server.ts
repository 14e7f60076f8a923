// Starts a real `jobyard server` process (from the sources, through tsx) on a free port with
// its own data directory, for end-to-end tests with kubectl, client libraries and browsers.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { JOBYARD_CLI } from './jobyard-command.js';
import { removeCriLeftovers, runtimeArgs, TEST_RUNTIME } from './test-runtime.js';

const execFileAsync = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface StartOptions {
  dataDir?: string;
  port?: number;
  args?: string[];
  env?: Record<string, string>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class JobyardServer {
  readonly dataDir: string;
  readonly port: number;
  /** The console's address as the server printed it (no token), e.g. http://127.0.0.1:6443. */
  readonly consoleAddress: string;
  private proc: ChildProcess;
  private output: string[];
  /** Made by start() (no dataDir given): stop() removes it. */
  private ownsDataDir = false;

  private constructor(dataDir: string, port: number, consoleAddress: string, proc: ChildProcess, output: string[]) {
    this.dataDir = dataDir;
    this.port = port;
    this.consoleAddress = consoleAddress;
    this.proc = proc;
    this.output = output;
  }

  static async start(opts: StartOptions = {}): Promise<JobyardServer> {
    const ownsDataDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jobyard-e2e-'));
    // No kube-proxy unless a test asks (--proxy-mode iptables): its rules are the machine's, and tests run side by side.
    const machineWide = opts.args?.some((a) => a.startsWith('--proxy-mode')) ? [] : ['--proxy-mode', 'none'];
    // No cluster DNS either unless asked (--cluster-dns): it binds port 53 on the pod address, once per machine.
    if (!opts.args?.some((a) => a === '--cluster-dns' || a === '--no-cluster-dns')) machineWide.push('--no-cluster-dns');
    // The engine of the run (JOBYARD_TEST_RUNTIME: docker or containerd), unless the test chose one.
    machineWide.push(...runtimeArgs(opts.args ?? []));
    const args = [...JOBYARD_CLI, 'server', '--data-dir', dataDir, '--port', String(opts.port ?? 0), ...machineWide, ...(opts.args ?? [])];
    const proc = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const started = await new Promise<{ port: number; consoleAddress: string }>((resolvePromise, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`jobyard server did not start in 60 s:\n${output.join('')}`)), 60_000);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        buf += text;
        const port = /running on port (\d+)/.exec(buf);
        // The sign-in link on a first start, the bare address on later ones: only its origin is used.
        const url = /console:[ \t]+(\S+)\r?\n/.exec(buf);
        if (port && url) {
          clearTimeout(timer);
          resolvePromise({ port: Number(port[1]), consoleAddress: new URL(url[1]!).origin });
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`jobyard server exited with ${code}:\n${output.join('')}`));
      });
    });
    proc.removeAllListeners('exit');
    const server = new JobyardServer(dataDir, started.port, started.consoleAddress, proc, output);
    server.ownsDataDir = ownsDataDir;
    return server;
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  /** The console's sign-in link, made from the token file (the server prints it only on a first start). */
  get consoleUrl(): string {
    return `${this.consoleAddress}/auth/login?token=${encodeURIComponent(this.token)}`;
  }

  get token(): string {
    return readFileSync(join(this.dataDir, 'token'), 'utf8').trim();
  }

  get caPem(): string {
    return readFileSync(join(this.dataDir, 'pki', 'ca.crt'), 'utf8');
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  logs(): string {
    return this.output.join('');
  }

  /** Runs the installed kubectl against this server; never throws on a non-zero exit. */
  async kubectl(args: string[], input?: string): Promise<KubectlResult> {
    return runKubectl(['--kubeconfig', this.kubeconfig, ...args], input);
  }

  /** Stops the process the hard way (SIGKILL), as a crash would. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /**
   * Stops the server, then removes the containers and volumes its node agent left (a stopped
   * agent leaves pods running, as a stopped kubelet does, for the next start to adopt).
   * Pass keepContainers to restart on the same data dir and see them adopted.
   */
  async stop(opts: { keepContainers?: boolean } = {}): Promise<void> {
    await this.signal('SIGTERM');
    if (opts.keepContainers) return;
    await removeAgentContainers(this.dataDir);
    // A data dir the harness made is the harness's to remove; one a test passed is the test's.
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await new Promise<void>((resolvePromise) => {
      this.proc.once('exit', () => resolvePromise());
      this.proc.kill(sig);
    });
  }
}

/** Removes every container and volume labelled with the agent instance of `dataDir` (on the run's engine). */
export async function removeAgentContainers(dataDir: string): Promise<void> {
  let id: string;
  try {
    id = readFileSync(join(dataDir, 'agent', 'instance'), 'utf8').trim();
  } catch {
    return; // the agent never ran
  }
  if (TEST_RUNTIME === 'containerd') {
    await removeCriLeftovers(id);
    removeAgentCgroups(id);
    return;
  }
  const label = `label=jobyard.io/agent=${id}`;
  const run = (args: string[]) => execFileAsync('docker', args).then((r) => r.stdout.split('\n').filter(Boolean), () => [] as string[]);
  const containers = await run(['ps', '-aq', '--filter', label]);
  if (containers.length) await run(['rm', '-f', '-v', ...containers]);
  const volumes = await run(['volume', 'ls', '-q', '--filter', label]);
  if (volumes.length) await run(['volume', 'rm', '-f', ...volumes]);
  removeAgentCgroups(id);
}

/**
 * Removes the (empty, once its containers are gone) pod cgroups of an agent instance, which a
 * stopped server leaves for its next start to clean (agent/pod-cgroups.ts).
 */
export function removeAgentCgroups(instance: string, root = '/sys/fs/cgroup'): void {
  let hierarchies: string[];
  try {
    hierarchies = readdirSync(root);
  } catch {
    return;
  }
  for (const h of hierarchies) {
    const dir = join(root, h, 'jobyard', instance);
    let pods: string[];
    try {
      pods = readdirSync(dir).filter((n) => n.startsWith('pod'));
    } catch {
      continue;
    }
    for (const p of pods) tryRmdir(join(dir, p));
    tryRmdir(dir);
  }
}

function tryRmdir(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // still in use, or gone
  }
}

export async function runKubectl(args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolvePromise) => {
    const child = execFile('kubectl', args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) {
      child.stdin!.write(input);
      child.stdin!.end();
    }
  });
}

export async function kubectlVersion(): Promise<string> {
  const { stdout } = await execFileAsync('kubectl', ['version', '--client', '-o', 'json']);
  return (JSON.parse(stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
}
