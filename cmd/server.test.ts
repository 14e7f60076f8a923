import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from './server.js';

/** A TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('startServer without a container engine', () => {
  const saved = process.env.DOCKER_HOST;
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const start = (dataDir: string) =>
    startServer({ dataDir, host: '127.0.0.1', port: 0, controllers: false, agent: true, jobBackoffBaseSeconds: 10, jobBackoffMaxSeconds: 360, tlsSans: [], quiet: true });

  it.each([
    ['a unix socket that does not exist', async () => 'unix:///nonexistent/docker.sock'],
    ['a TCP address nothing listens on', async () => `tcp://127.0.0.1:${await closedPort()}`],
  ])('fails at once with how to start one, and writes nothing, for %s', async (_what, host) => {
    process.env.DOCKER_HOST = await host();
    const parent = mkdtempSync(join(tmpdir(), 'jobyard-no-engine-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    await expect(start(dataDir)).rejects.toThrow(`no container engine answers at ${process.env.DOCKER_HOST}`);
    await expect(start(dataDir)).rejects.toThrow('or run without the node agent (--no-agent)');
    expect(existsSync(dataDir)).toBe(false);
  });
});
