// The raw Docker references, through the docker CLI as a user would type them.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export async function docker(args: string[]): Promise<string> {
  const r = await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return r.stdout;
}

/** `n` × `docker run --rm <image> <cmd>` with at most `concurrency` at once: seconds, and how many exited non-zero. */
export async function dockerRunMany(n: number, concurrency: number, image: string, cmd: string[]): Promise<{ seconds: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      next++;
      try {
        await docker(['run', '--rm', image, ...cmd]);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { seconds: (performance.now() - t0) / 1000, failures };
}

/** `docker events` for container starts: resolves the time a container of that name is seen started. */
export class DockerStartEvents {
  private readonly proc: ChildProcess;
  private readonly waiters = new Map<string, (t: number) => void>();
  private readonly seen = new Map<string, number>();
  private buf = '';

  constructor() {
    this.proc = spawn('docker', ['events', '--filter', 'type=container', '--filter', 'event=start', '--format', '{{.Actor.Attributes.name}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.proc.stdout!.on('data', (c: Buffer) => {
      const t = performance.now();
      this.buf += c.toString();
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const name = this.buf.slice(0, i).trim();
        this.buf = this.buf.slice(i + 1);
        const w = this.waiters.get(name);
        if (w) {
          this.waiters.delete(name);
          w(t);
        } else this.seen.set(name, t);
      }
    });
  }

  /** The time (performance.now) the start event of `name` arrived. */
  started(name: string, timeoutMs = 120_000): Promise<number> {
    const t = this.seen.get(name);
    if (t !== undefined) return Promise.resolve(t);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no start event for ${name} in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(name, (at) => {
        clearTimeout(timer);
        res(at);
      });
    });
  }

  close(): void {
    this.proc.kill();
  }
}
