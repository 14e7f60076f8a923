// A private image registry for tests: Debian's `docker-registry` (distribution 2.8) on a
// free loopback port, storage in a temp dir, optional htpasswd (bcrypt) auth. dockerd
// talks plain HTTP to registries on 127.0.0.0/8 without any configuration, so images
// pushed here are pullable as `127.0.0.1:<port>/<name>:<tag>`.
//
//   const registry = await startRegistry({ auth: { user: 'alice', password: 's3cret' } });
//   await pushImage('busybox:1.36', `${registry.host}/library/busybox:1.36`, auth);
//   ... a pod with image `${registry.host}/library/busybox:1.36` and an imagePullSecret ...
//   await registry.stop();
//
// Prerequisites (scripts/setup.sh installs them): docker-registry, apache2-utils
// (htpasswd), a Docker engine for pushImage.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Credentials of a registry started with htpasswd auth. */
export interface RegistryAuth {
  user: string;
  password: string;
}

/** A running registry. */
export interface Registry {
  /** `127.0.0.1:<port>`: the registry's host in an image reference. */
  host: string;
  /** The credentials the registry demands, when it was started with `auth`. */
  auth?: RegistryAuth;
  /** Stops the registry and deletes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of startRegistry. */
export interface StartRegistryOptions {
  /** Require HTTP basic auth with these credentials (htpasswd, bcrypt). */
  auth?: RegistryAuth;
  /** How long to wait for the registry to answer. Default 15 s. */
  readyTimeoutMs?: number;
}

const REGISTRY_BINARIES = ['/usr/bin/docker-registry', '/usr/bin/registry'];

/** Starts Debian's docker-registry on a free port of 127.0.0.1 and waits until it answers. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<Registry> {
  const binary = REGISTRY_BINARIES.find((path) => existsSync(path));
  if (!binary) {
    throw new Error('docker-registry is not installed: run scripts/setup.sh (apt-get install docker-registry)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'jobyard-registry-'));
  try {
    await mkdir(join(dir, 'data'));
    let htpasswdPath: string | undefined;
    if (options.auth) {
      htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, await htpasswdLine(options.auth));
    }
    // A port picked by the kernel can be taken again before the registry binds it:
    // retry with a new port when that happens.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const host = `127.0.0.1:${port}`;
      const configPath = join(dir, 'config.yml');
      await writeFile(configPath, registryConfig(host, join(dir, 'data'), htpasswdPath));
      const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      try {
        await waitUntilServing(host, child, options.readyTimeoutMs ?? 15_000);
      } catch (err) {
        await stopChild(child);
        const log = output.join('');
        if (attempt < 3 && /address already in use/.test(log)) continue;
        throw new Error(`docker-registry did not start on ${host}: ${(err as Error).message}\n${log}`, { cause: err });
      }
      let stopped: Promise<void> | undefined;
      return {
        host,
        ...(options.auth ? { auth: options.auth } : {}),
        stop() {
          stopped ??= stopChild(child).then(() => rm(dir, { recursive: true, force: true }));
          return stopped;
        },
      };
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Result of pushImage. */
export interface PushResult {
  /** The manifest digest the registry stored (`sha256:...`). */
  digest: string;
}

/**
 * Tags the local image `localRef` as `remoteRef` and pushes it with the docker CLI,
 * logging in first when `auth` is given. The CLI's credentials go to a throw-away
 * DOCKER_CONFIG (never ~/.docker), and the `remoteRef` tag is removed again afterwards,
 * so a later pull of `remoteRef` really pulls.
 */
export async function pushImage(localRef: string, remoteRef: string, auth?: RegistryAuth): Promise<PushResult> {
  const registryHost = registryHostOf(remoteRef);
  const dockerConfig = await mkdtemp(join(tmpdir(), 'jobyard-docker-config-'));
  try {
    const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
    if (auth) {
      await docker(['login', registryHost, '--username', auth.user, '--password-stdin'], { env, input: auth.password });
    }
    await docker(['tag', localRef, remoteRef], { env });
    try {
      const out = await docker(['push', remoteRef], { env });
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
      if (!digest) throw new Error(`docker push ${remoteRef} printed no digest:\n${out}`);
      return { digest };
    } finally {
      await docker(['image', 'rm', remoteRef], { env }).catch(() => undefined);
    }
  } finally {
    await rm(dockerConfig, { recursive: true, force: true });
  }
}

/** The registry host of an image reference (`127.0.0.1:5000/library/busybox:1.36` → `127.0.0.1:5000`). */
export function registryHostOf(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (!first || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
    throw new Error(`image reference ${ref} names no registry host`);
  }
  return first;
}

/** The distribution config: loopback only, filesystem storage, optional htpasswd. */
function registryConfig(host: string, dataDir: string, htpasswdPath: string | undefined): string {
  return stringify({
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true }, fields: { service: 'jobyard-test-registry' } },
    storage: { filesystem: { rootdirectory: dataDir }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } },
    http: { addr: host, secret: randomBytes(16).toString('hex') },
    ...(htpasswdPath ? { auth: { htpasswd: { realm: 'jobyard-test-registry', path: htpasswdPath } } } : {}),
  });
}

/** One htpasswd line with a bcrypt hash (`htpasswd -Bbn`; distribution accepts bcrypt only). */
async function htpasswdLine(auth: RegistryAuth): Promise<string> {
  try {
    return await run('htpasswd', ['-Bbn', auth.user, auth.password]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('htpasswd is not installed: run scripts/setup.sh (apt-get install apache2-utils)', { cause: err });
    }
    throw err;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once `GET /v2/` answers 200 (open) or 401 (auth); rejects when the process exits or time runs out. */
async function waitUntilServing(host: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  child.once('error', (err) => (exited = err.message));
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`);
    // Polling a readiness condition (bounded by the deadline), not waiting for luck.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs the docker CLI; rejects with its output when it fails. */
function docker(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  return run('docker', args, options);
}

function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: options.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        // Never echo a password: only the command's own output is quoted.
        const shown = file === 'htpasswd' ? `${file} ${args[0]} ${args[1]} ***` : `${file} ${args.join(' ')}`;
        reject(Object.assign(new Error(`${shown} failed: ${stderr || stdout || err.message}`, { cause: err }), { code: (err as NodeJS.ErrnoException).code }));
      } else {
        resolve(stdout + stderr);
      }
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
