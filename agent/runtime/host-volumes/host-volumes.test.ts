// HostVolumes on real directories and a real tmpfs (the tests run as root, as the node agent).
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuntimeError } from '../runtime-error.js';
import { HostVolumes } from './host-volumes.js';
import { isMountPoint, mountUsers, parseMountInfo } from './mounts.js';

let root: string;
let vols: HostVolumes;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'host-volumes-'));
  vols = new HostVolumes({ root });
});

afterEach(async () => {
  for (const v of await vols.listVolumes()) await vols.removeVolume(v.name).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function mountOptions(dir: string): Promise<string | undefined> {
  const line = (await readFile('/proc/self/mounts', 'utf8')).split('\n').find((l) => l.split(' ')[1] === dir);
  return line ? `${line.split(' ')[2]} ${line.split(' ')[3]}` : undefined;
}

describe('HostVolumes', () => {
  it('makes a disk volume a 0777 directory and a Memory volume a 1777 tmpfs of its size limit; lists them by label after a restart', async () => {
    await vols.createVolume({ name: 'disk', labels: { pod: 'a' } });
    await vols.createVolume({ name: 'mem', medium: 'Memory', sizeLimitBytes: 1024 * 1024, labels: { pod: 'b' } });
    expect((await stat(`${root}/disk`)).mode & 0o7777).toBe(0o777);
    expect((await stat(`${root}/mem`)).mode & 0o7777).toBe(0o1777);
    expect(await mountOptions(`${root}/mem`)).toMatch(/^tmpfs .*size=1024k/);
    expect(await isMountPoint(`${root}/disk`)).toBe(false);
    // The size limit holds.
    await expect(writeFile(`${root}/mem/big`, Buffer.alloc(2 * 1024 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
    await rm(`${root}/mem/big`);

    const again = new HostVolumes({ root });
    expect(await again.listVolumes()).toEqual([
      { name: 'disk', medium: '', labels: { pod: 'a' } },
      { name: 'mem', medium: 'Memory', sizeLimitBytes: 1024 * 1024, labels: { pod: 'b' } },
    ]);
    expect((await again.listVolumes({ pod: 'b' })).map((v) => v.name)).toEqual(['mem']);
    // Creating again keeps the volume and its files (and does not mount a second tmpfs).
    await writeFile(`${root}/mem/kept`, 'x');
    await again.createVolume({ name: 'mem', medium: 'Memory', sizeLimitBytes: 1024 * 1024 });
    expect(await readFile(`${root}/mem/kept`, 'utf8')).toBe('x');
    expect((await readFile('/proc/self/mounts', 'utf8')).split('\n').filter((l) => l.split(' ')[1] === `${root}/mem`)).toHaveLength(1);
  });

  it('removes a volume (unmounting its tmpfs) idempotently', async () => {
    await vols.createVolume({ name: 'mem', medium: 'Memory' });
    await writeFile(`${root}/mem/f`, 'x');
    await vols.removeVolume('mem');
    expect(await isMountPoint(`${root}/mem`)).toBe(false);
    await expect(stat(`${root}/mem`)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await vols.listVolumes()).toEqual([]);
    await vols.removeVolume('mem');
    await vols.removeVolume('never-was');
  });

  it('refuses names that are not file names', async () => {
    for (const name of ['', '../x', 'a/b', '.hidden']) {
      const err = await vols.createVolume({ name }).catch((e: unknown) => e);
      expect(isRuntimeError(err, 'CreateContainerConfigError')).toBe(true);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('writes files, directories and links with their modes', async () => {
    await vols.createVolume({ name: 'v', medium: 'Memory' });
    await vols.writeVolumeFiles('unused', 'v', [
      { path: '..2026_01_01', isDirectory: true },
      { path: '..2026_01_01/password', data: 'hunter2', mode: 0o600 },
      { path: '..data', linkTarget: '..2026_01_01' },
      { path: 'password', linkTarget: '..data/password' },
      { path: 'deep/er/file', data: Buffer.from([1, 2, 3]) },
    ]);
    expect(await readFile(`${root}/v/password`, 'utf8')).toBe('hunter2');
    expect((await stat(`${root}/v/..2026_01_01/password`)).mode & 0o777).toBe(0o600);
    expect((await stat(`${root}/v/deep/er/file`)).mode & 0o777).toBe(0o644);
    expect((await stat(`${root}/v/deep`)).mode & 0o777).toBe(0o755);
    expect(await readlink(`${root}/v/..data`)).toBe('..2026_01_01');
    // Written again: replaced, not appended; no temporary file left beside it.
    await vols.writeVolumeFiles('unused', 'v', [{ path: 'deep/er/file', data: 'new' }]);
    expect(await readFile(`${root}/v/deep/er/file`, 'utf8')).toBe('new');
    expect(await readdir(`${root}/v/deep/er`)).toEqual(['file']);
    expect(isRuntimeError(await vols.writeVolumeFiles('unused', 'none', [{ path: 'f', data: '' }]).catch((e: unknown) => e), 'NotFound')).toBe(true);
  });

  it('never follows a link a container left in the volume out of it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'host-volumes-outside-'));
    try {
      await vols.createVolume({ name: 'v' });
      await symlink(outside, `${root}/v/escape`);
      await symlink(`${outside}/target`, `${root}/v/file-link`);
      const err = await vols.writeVolumeFiles('unused', 'v', [{ path: 'escape/owned', data: 'x' }]).catch((e: unknown) => e);
      expect(isRuntimeError(err, 'CreateContainerConfigError')).toBe(true);
      // A link where a file goes is replaced, not written through.
      await vols.writeVolumeFiles('unused', 'v', [{ path: 'file-link', data: 'inside' }]);
      expect((await lstat(`${root}/v/file-link`)).isFile()).toBe(true);
      expect(await readdir(outside)).toEqual([]);
      // A subPath through a link is refused as well.
      expect(isRuntimeError(await vols.hostPathOf('v', 'escape').catch((e: unknown) => e), 'CreateContainerConfigError')).toBe(true);
      expect(isRuntimeError(await vols.hostPathOf('v', '../..').catch((e: unknown) => e), 'CreateContainerConfigError')).toBe(true);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('gives the host path of a volume and of a subPath, made when missing', async () => {
    await vols.createVolume({ name: 'v' });
    expect(await vols.hostPathOf('v')).toBe(`${root}/v`);
    expect(await vols.hostPathOf('v', '/sub/dir/')).toBe(`${root}/v/sub/dir`);
    expect((await stat(`${root}/v/sub/dir`)).isDirectory()).toBe(true);
    expect(isRuntimeError(await vols.hostPathOf('none').catch((e: unknown) => e), 'NotFound')).toBe(true);
  });

  it('swaps an atomic-writer payload: ..data renamed to the new directory, the old one and stale links removed', async () => {
    await vols.createVolume({ name: 'v', medium: 'Memory' });
    await vols.writeVolumeFiles('unused', 'v', [
      { path: '..old', isDirectory: true },
      { path: '..old/labels', data: 'rack="r1"' },
      { path: '..old/gone', data: 'x' },
      { path: '..data', linkTarget: '..old' },
      { path: 'labels', linkTarget: '..data/labels' },
      { path: 'gone', linkTarget: '..data/gone' },
      { path: 'mine', data: 'not a payload link' },
    ]);
    await vols.swapVolumeData('unused', 'v', {
      files: [{ path: '..new', isDirectory: true }, { path: '..new/labels', data: 'rack="r2"' }, { path: 'labels', linkTarget: '..data/labels' }],
      dataDir: '..new',
      keep: ['labels'],
    });
    expect(await readFile(`${root}/v/labels`, 'utf8')).toBe('rack="r2"');
    expect((await readdir(`${root}/v`)).sort()).toEqual(['..data', '..new', 'labels', 'mine']);
    expect(await readlink(`${root}/v/..data`)).toBe('..new');
  });

  it('refuses to remove a volume a process in another mount namespace has mounted, and removes it once that is gone', async () => {
    await vols.createVolume({ name: 'used' });
    const mnt = await mkdtemp(join(tmpdir(), 'host-volumes-mnt-'));
    let child: ChildProcess | undefined;
    try {
      // A container's view: the volume bind-mounted at another path in a namespace of its own.
      child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', `mount --bind ${root}/used ${mnt} && echo ready && exec sleep 60`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.once('data', () => resolve());
        child!.once('exit', (code) => reject(new Error(`unshare exited ${code}`)));
      });
      expect(await mountUsers(`${root}/used`)).toContain(child.pid);
      const err = await vols.removeVolume('used').catch((e: unknown) => e);
      expect(isRuntimeError(err, 'Unknown') && err.message).toMatch(/volume is in use/);
      expect((await vols.listVolumes()).map((v) => v.name)).toEqual(['used']);
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      await vols.removeVolume('used');
      expect(await vols.listVolumes()).toEqual([]);
    } finally {
      child?.kill('SIGKILL');
      await rm(mnt, { recursive: true, force: true });
    }
  });

  it('reads mountinfo with escaped paths', () => {
    const [m] = parseMountInfo('36 35 98:0 /mnt\\040one /a\\134b rw,noatime master:1 - ext3 /dev/root rw,errors=continue');
    expect(m).toEqual({ dev: '98:0', root: '/mnt one', mountPoint: '/a\\b' });
  });
});

