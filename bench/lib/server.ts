// A real `jobyard server` for a benchmark row: its own temp data dir and port, started from the
// sources through tsx (default: what is measured is the tree as it stands) or from dist/ after
// `npm run build` (--server dist), so no stale build is measured by accident.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RestClientset, loadKubeconfig } from '../../client/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export type ServerBuild = 'tsx' | 'dist';

export interface BenchServerOptions {
  build: ServerBuild;
  args?: string[];
  dataDir?: string;
  port?: number;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/** A free TCP port on loopback (bound and released: the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

export function serverCommand(build: ServerBuild): string[] {
  return build === 'dist' ? [join(REPO_ROOT, 'dist', 'cmd', 'jobyard.js')] : ['--import', 'tsx', join(REPO_ROOT, 'cmd', 'jobyard.ts')];
}

export class BenchServer {
  readonly dataDir: string;
  readonly port: number;
  readonly proc: ChildProcess;
  readonly output: string[];
  private readonly ownsDataDir: boolean;
  private exited: Promise<number | null>;
  private client: RestClientset | undefined;

  private constructor(dataDir: string, port: number, proc: ChildProcess, output: string[], ownsDataDir: boolean) {
    this.dataDir = dataDir;
    this.port = port;
    this.proc = proc;
    this.output = output;
    this.ownsDataDir = ownsDataDir;
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  /** Spawns the server and resolves once it printed that it runs (its listener and controllers are up). */
  static async start(opts: BenchServerOptions): Promise<BenchServer> {
    const ownsDataDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jobyard-bench-'));
    const port = opts.port ?? (await freePort());
    const proc = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...serverCommand(opts.build), 'server', '--data-dir', dataDir, '--port', String(port), ...(opts.args ?? [])], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const server = new BenchServer(dataDir, port, proc, output, ownsDataDir);
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`jobyard server did not start in 90 s:\n${output.join('')}`)), 90_000);
      let buf = '';
      proc.stdout!.on('data', (c: Buffer) => {
        output.push(c.toString());
        buf += c.toString();
        if (/running on port \d+/.test(buf)) {
          clearTimeout(timer);
          res();
        }
      });
      proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`jobyard server exited with ${code}:\n${output.join('')}`));
      });
    });
    return server;
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  get token(): string {
    return readFileSync(join(this.dataDir, 'token'), 'utf8').trim();
  }

  clientset(): RestClientset {
    this.client ??= new RestClientset(loadKubeconfig(this.kubeconfig));
    return this.client;
  }

  /** SIGTERM, wait for the exit; removes the data dir it made unless `keepDataDir`. */
  async stop(opts: { keepDataDir?: boolean } = {}): Promise<void> {
    this.client?.close();
    this.client = undefined;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(killer);
    }
    if (this.ownsDataDir && !opts.keepDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
