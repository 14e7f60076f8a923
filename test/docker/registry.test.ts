// The private registry that image-pull tests use (docs/product.md#image-selection, #always-pull-image, #image-pull-secret): Debian's docker-registry
// with htpasswd auth, fed by the local busybox image, pulled through the Docker Engine
// API the way the node agent pulls (X-Registry-Auth from an auth config).

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, registryHostOf, startRegistry, type Registry, type RegistryAuth } from '../support/registry.js';

const exec = promisify(execFile);
const docker = new Docker();

/** Pulls `ref` through the Engine API; resolves when the pull finished, rejects with the engine's error. */
async function pull(ref: string, auth?: RegistryAuth & { serveraddress: string }): Promise<void> {
  const stream = await docker.pull(ref, auth ? { authconfig: { username: auth.user, password: auth.password, serveraddress: auth.serveraddress } } : {});
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

async function imageExists(ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function removeImage(ref: string): Promise<void> {
  if (await imageExists(ref)) await docker.getImage(ref).remove();
}

describe('test registry (docker-registry + htpasswd)', () => {
  const auth: RegistryAuth = { user: 'jobyard', password: randomBytes(9).toString('base64url') };
  let registry: Registry;
  let ref: string;

  beforeAll(async () => {
    if (!(await imageExists('busybox:1.36'))) {
      throw new Error('image busybox:1.36 is missing: run scripts/setup.sh (scripts/images/build.sh builds it)');
    }
    registry = await startRegistry({ auth });
    ref = `${registry.host}/library/busybox:1.36`;
  });

  afterAll(async () => {
    if (ref) await removeImage(ref).catch(() => undefined);
    await registry?.stop();
  });

  it('listens on a loopback port and demands credentials', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const anonymous = await fetch(`http://${registry.host}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`http://${registry.host}/v2/`, { headers: { authorization: basic(auth.user, 'not-the-password') } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`http://${registry.host}/v2/`, { headers: { authorization: basic(auth.user, auth.password) } });
    expect(right.status).toBe(200);
  });

  it('takes a push of busybox with credentials', async () => {
    const { digest } = await pushImage('busybox:1.36', ref, auth);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // The registry itself lists the tag and serves the manifest under that digest.
    const headers = { authorization: basic(auth.user, auth.password) };
    const tags = await fetch(`http://${registry.host}/v2/library/busybox/tags/list`, { headers });
    expect(await tags.json()).toEqual({ name: 'library/busybox', tags: ['1.36'] });
    const manifest = await fetch(`http://${registry.host}/v2/library/busybox/manifests/1.36`, {
      method: 'HEAD',
      headers: { ...headers, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);

    // pushImage leaves no local tag behind, so the pulls below really pull.
    expect(await imageExists(ref)).toBe(false);
  });

  it('refuses a pull without credentials', async () => {
    await expect(pull(ref)).rejects.toThrow(/no basic auth credentials|unauthorized|authentication required/i);
    expect(await imageExists(ref)).toBe(false);
  });

  it('refuses a pull with a wrong password', async () => {
    await expect(pull(ref, { user: auth.user, password: 'not-the-password', serveraddress: registry.host })).rejects.toThrow(
      /unauthorized|authentication required|incorrect username or password/i,
    );
    expect(await imageExists(ref)).toBe(false);
  });

  it('serves the image back to a pull with credentials, and it runs', async () => {
    await pull(ref, { ...auth, serveraddress: registry.host });
    const image = await docker.getImage(ref).inspect();
    expect(image.RepoTags).toContain(ref);
    expect(image.RepoDigests.some((d) => d.startsWith(`${registry.host}/library/busybox@sha256:`))).toBe(true);
    // Same content as the local image it was pushed from.
    const local = await docker.getImage('busybox:1.36').inspect();
    expect(image.Id).toBe(local.Id);

    const { stdout } = await exec('docker', ['run', '--rm', ref, 'sh', '-c', 'echo pulled-ok; ls /bin | grep -cx httpd']);
    expect(stdout.trim().split('\n')).toEqual(['pulled-ok', '1']);
  });
});

describe('test registry without auth', () => {
  it('answers anonymous requests and stops cleanly', async () => {
    const registry = await startRegistry();
    try {
      expect(registry.auth).toBeUndefined();
      const res = await fetch(`http://${registry.host}/v2/`);
      expect(res.status).toBe(200);
    } finally {
      await registry.stop();
    }
    await expect(fetch(`http://${registry.host}/v2/`)).rejects.toThrow();
    await registry.stop(); // a second stop is harmless
  });
});

describe('registryHostOf', () => {
  it('finds the registry host of a reference', () => {
    expect(registryHostOf('127.0.0.1:5000/library/busybox:1.36')).toBe('127.0.0.1:5000');
    expect(registryHostOf('registry.example.com/team/app:v1')).toBe('registry.example.com');
    expect(registryHostOf('localhost/app')).toBe('localhost');
    expect(() => registryHostOf('library/busybox')).toThrow(/names no registry host/);
    expect(() => registryHostOf('busybox')).toThrow(/names no registry host/);
  });
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
