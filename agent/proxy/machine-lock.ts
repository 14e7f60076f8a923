// One kube-proxy per machine, as one per node upstream: iptables' KUBE-* chains are the
// machine's, so a second proxying jobyard server (tests run side by side) waits until the first
// is gone instead of rewriting its rules. The lock is a Linux abstract Unix socket: binding it
// is exclusive and the kernel releases it when the process ends, kill -9 included (no stale
// lock file to guess about).
import { createServer, type Server } from 'node:net';

export const PROXY_LOCK_NAME = 'jobyard-kube-proxy';

function tryListen(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    server.listen(`\0${name}`, () => resolve(server));
  });
}

/**
 * Takes the machine-wide lock, waiting (polling each `intervalMs`) while another process holds
 * it; `onWait` is called once if it has to wait. Undefined when `signal` aborts first.
 */
export async function acquireMachineLock(opts: { name?: string; signal: AbortSignal; intervalMs?: number; onWait?: () => void }): Promise<{ release(): Promise<void> } | undefined> {
  let told = false;
  while (!opts.signal.aborted) {
    const server = await tryListen(opts.name ?? PROXY_LOCK_NAME);
    if (server) {
      server.unref();
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    if (!told) opts.onWait?.();
    told = true;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.intervalMs ?? 1_000);
      opts.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
  return undefined;
}
