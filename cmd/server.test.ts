import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from './server.js';
import { normalizeCriEndpoint } from './container-runtime-choice.js';

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

describe('startServer --runtime containerd without a CRI runtime', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('fails at once with how to start one, and writes nothing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'jobyard-no-cri-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    const endpoint = `unix://${join(parent, 'containerd.sock')}`;
    const start = () =>
      startServer({ dataDir, host: '127.0.0.1', port: 0, controllers: false, agent: true, runtime: 'containerd', containerRuntimeEndpoint: endpoint, jobBackoffBaseSeconds: 10, jobBackoffMaxSeconds: 360, tlsSans: [], quiet: true });
    await expect(start()).rejects.toThrow(`no CRI runtime answers at ${endpoint} (connect ENOENT`);
    await expect(start()).rejects.toThrow('point --container-runtime-endpoint at a running one, or run without the node agent (--no-agent)');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('normalizeCriEndpoint (--container-runtime-endpoint)', () => {
  it('takes unix:///path and, as the kubelet, a bare absolute path', () => {
    expect(normalizeCriEndpoint('unix:///run/containerd/containerd.sock')).toBe('unix:///run/containerd/containerd.sock');
    expect(normalizeCriEndpoint('/run/crio/crio.sock')).toBe('unix:///run/crio/crio.sock');
  });

  it.each(['tcp://127.0.0.1:1234', 'npipe:////./pipe/containerd', 'unix://relative.sock', 'run/x.sock', ''])('refuses %j: gRPC here speaks unix sockets only', (value) => {
    expect(() => normalizeCriEndpoint(value)).toThrow(`must be a unix socket: unix:///path/to.sock (or an absolute path), not '${value}'`);
  });
});
