// VolumeService on the node's own filesystem, as the kubelet keeps volumes for a CRI runtime:
// every volume is a host directory under `root` that containers get as a bind mount; a Memory
// volume is a tmpfs the node mounts there (with `size=`), so no sandbox keeps it alive; the
// atomic writer's files are written on the host (pkg/volume/util/atomic_writer.go). Nothing of
// it needs a container engine, so any runtime on this host can use it.
//
// Layout: `<root>/<name>` is the volume, `<root>/.<name>.json` its config (medium, size limit,
// labels), so `listVolumes` survives an agent restart (tmpfs mounts survive it too; after a
// reboot a Memory volume is mounted again, empty, when it is next created or listed).
// Modes are the kubelet's emptyDir ones: a disk volume 0777, a tmpfs 1777 (tmpfs's own
// default, which the kubelet leaves as it is), so containers of any user can write.
//
// Writing files never follows a symbolic link out of the volume: a container may have put a
// link where a payload file goes (a writable volume is shared with containers).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { VolumeConfig, VolumeDataSwap, VolumeFile, VolumeService, VolumeStatus } from '../container-runtime.js';
import { RuntimeError } from '../runtime-error.js';
import { isMountPoint, mountUsers } from './mounts.js';

const run = promisify(execFile);

/** Docker's volume name rule (names become file names here). */
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

interface StoredVolume {
  name: string;
  medium: '' | 'Memory';
  sizeLimitBytes?: number;
  labels: Record<string, string>;
}

export interface HostVolumesOptions {
  /** Where volumes live. */
  root: string;
  /**
   * Refuse to remove a volume that a running container mounts (a process in another mount
   * namespace holds it). @defaultValue true
   */
  refuseInUse?: boolean;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Path segments of an entry inside a volume; `.`/`..` segments and empty paths are refused. */
function segmentsOf(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) throw new RuntimeError('CreateContainerConfigError', `invalid path "${path}" inside a volume`);
  return parts;
}

export class HostVolumes implements VolumeService {
  readonly root: string;
  private readonly refuseInUse: boolean;

  constructor(options: HostVolumesOptions) {
    this.root = options.root.replace(/\/+$/, '');
    this.refuseInUse = options.refuseInUse ?? true;
  }

  private check(name: string): void {
    if (!NAME_RE.test(name)) throw new RuntimeError('CreateContainerConfigError', `invalid volume name "${name}": must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  }

  /** The host directory of a volume (no check that it exists). */
  dirOf(name: string): string {
    this.check(name);
    return `${this.root}/${name}`;
  }

  private metaOf(name: string): string {
    return `${this.root}/.${name}.json`;
  }

  private async stored(name: string): Promise<StoredVolume | undefined> {
    try {
      return JSON.parse(await readFile(this.metaOf(name), 'utf8')) as StoredVolume;
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      throw new RuntimeError('Unknown', `failed to read volume "${name}": ${(err as Error).message}`);
    }
  }

  /**
   * The host path a container mounts for `Mount { type: 'volume', source, subPath }`. A subPath
   * is created when missing (as the kubelet does) and must resolve, links followed, inside the
   * volume: a container may have replaced it with a link to anywhere on the host.
   */
  async hostPathOf(name: string, subPath?: string): Promise<string> {
    const dir = this.dirOf(name);
    const meta = await this.stored(name);
    if (!meta) throw new RuntimeError('NotFound', `volume "${name}" not found`);
    if (meta.medium === 'Memory') await this.ensureTmpfs(dir, meta);
    const sub = (subPath ?? '').replace(/^\/+|\/+$/g, '');
    if (!sub) return dir;
    const parts = segmentsOf(sub);
    let at = dir;
    for (const p of parts) {
      at = `${at}/${p}`;
      try {
        await mkdir(at, { mode: 0o777 });
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw new RuntimeError('CreateContainerConfigError', `failed to create subPath "${sub}" of volume "${name}": ${(err as Error).message}`);
      }
      const st = await lstat(at);
      if (!st.isDirectory() && !st.isFile()) {
        throw new RuntimeError('CreateContainerConfigError', `subPath "${sub}" of volume "${name}": "${p}" is not a directory or a file (links are not followed)`);
      }
    }
    return at;
  }

  async createVolume(config: VolumeConfig): Promise<void> {
    const dir = this.dirOf(config.name);
    const existing = await this.stored(config.name);
    const meta: StoredVolume = existing ?? { name: config.name, medium: config.medium === 'Memory' ? 'Memory' : '', labels: { ...config.labels } };
    if (!existing && config.sizeLimitBytes !== undefined && meta.medium === 'Memory') meta.sizeLimitBytes = config.sizeLimitBytes;
    try {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      try {
        await mkdir(dir, { mode: 0o777 });
        if (meta.medium === '') await chmod(dir, 0o777);
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
      if (meta.medium === 'Memory') await this.ensureTmpfs(dir, meta);
      if (!existing) {
        // Written last and by rename: a volume is listed only once it is whole.
        const tmp = `${this.metaOf(config.name)}.${randomBytes(4).toString('hex')}`;
        await writeFile(tmp, JSON.stringify(meta), { mode: 0o600 });
        await rename(tmp, this.metaOf(config.name));
      }
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError('CreateContainerConfigError', `failed to create volume "${config.name}": ${(err as Error).message}`);
    }
  }

  private async ensureTmpfs(dir: string, meta: StoredVolume): Promise<void> {
    if (await isMountPoint(dir)) return;
    const opts = ['mode=1777', ...(meta.sizeLimitBytes !== undefined ? [`size=${meta.sizeLimitBytes}`] : [])];
    try {
      await run('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir]);
    } catch (err) {
      throw new RuntimeError('CreateContainerConfigError', `failed to mount a tmpfs for volume "${meta.name}": ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
    }
  }

  async removeVolume(name: string): Promise<void> {
    const dir = this.dirOf(name);
    const meta = await this.stored(name);
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (!meta && !exists) return;
    if (this.refuseInUse && exists) {
      const users = await mountUsers(dir);
      if (users.length > 0) throw new RuntimeError('Unknown', `remove ${name}: volume is in use by process ${users[0]}`);
    }
    try {
      // A Memory volume may be mounted more than once (created again after a crash): unmount all.
      for (let i = 0; i < 8 && (await isMountPoint(dir)); i++) await run('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
      await rm(this.metaOf(name), { force: true });
    } catch (err) {
      throw new RuntimeError('Unknown', `failed to remove volume "${name}": ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
    }
  }

  async listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (err) {
      if (errno(err) === 'ENOENT') return [];
      throw new RuntimeError('Unknown', `list volumes: ${(err as Error).message}`);
    }
    const out: VolumeStatus[] = [];
    for (const f of names.sort()) {
      const m = /^\.(.+)\.json$/.exec(f);
      if (!m || !NAME_RE.test(m[1])) continue;
      const v = await this.stored(m[1]).catch(() => undefined);
      if (!v) continue;
      if (labels && Object.entries(labels).some(([k, val]) => v.labels[k] !== val)) continue;
      const s: VolumeStatus = { name: v.name, medium: v.medium, labels: { ...v.labels } };
      if (v.sizeLimitBytes !== undefined) s.sizeLimitBytes = v.sizeLimitBytes;
      out.push(s);
    }
    return out;
  }

  /** Writes entries on the host; no sandbox is needed (the sandbox id is not used). */
  async writeVolumeFiles(_sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    const dir = this.dirOf(volume);
    const meta = await this.stored(volume);
    if (!meta) throw new RuntimeError('NotFound', `volume "${volume}" not found`);
    if (meta.medium === 'Memory') await this.ensureTmpfs(dir, meta);
    try {
      for (const f of files) await this.writeEntry(dir, f);
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError('CreateContainerConfigError', `failed to write files into volume "${volume}": ${(err as Error).message}`);
    }
  }

  /** Makes the parent directories of an entry, refusing to go through a link; returns its host path. */
  private async parentsOf(dir: string, parts: string[]): Promise<string> {
    let at = dir;
    for (const p of parts.slice(0, -1)) {
      at = `${at}/${p}`;
      try {
        await mkdir(at, { mode: 0o755 });
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
        if (!(await lstat(at)).isDirectory()) throw new RuntimeError('CreateContainerConfigError', `"${parts.join('/')}": "${p}" is not a directory inside the volume`);
      }
    }
    return `${at}/${parts[parts.length - 1]}`;
  }

  private async writeEntry(dir: string, f: VolumeFile): Promise<void> {
    const parts = segmentsOf(f.path);
    const target = await this.parentsOf(dir, parts);
    if (f.isDirectory && f.linkTarget === undefined) {
      try {
        await mkdir(target, { mode: f.mode ?? 0o755 });
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
        if (!(await lstat(target)).isDirectory()) {
          await rm(target, { force: true });
          await mkdir(target, { mode: f.mode ?? 0o755 });
        }
      }
      await chmod(target, f.mode ?? 0o755);
      return;
    }
    // Files and links are made beside their place and renamed over it: a reader sees the old
    // entry or the new one (a link left by a container is replaced, never followed).
    const tmp = join(dir, parts.slice(0, -1).join('/'), `.${parts[parts.length - 1]}.${randomBytes(4).toString('hex')}.tmp`);
    if (f.linkTarget !== undefined) await symlink(f.linkTarget, tmp);
    else {
      const fh = await open(tmp, 'wx', f.mode ?? 0o644);
      try {
        await fh.writeFile(f.data ?? '');
        await fh.chmod(f.mode ?? 0o644);
      } finally {
        await fh.close();
      }
    }
    try {
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      // rename(2) does not put a file over a directory: the directory goes first.
      if (errno(err) !== 'EISDIR' && errno(err) !== 'ENOTEMPTY' && errno(err) !== 'EEXIST') throw err;
      await rm(target, { recursive: true, force: true });
      await this.writeEntry(dir, f);
    }
  }

  /**
   * The atomic writer's update on the host: the new payload written beside the old one,
   * `..data_tmp` → dataDir renamed over `..data` (rename(2): a reader sees the old payload or the
   * new one), then the old data directory and the top-level links into `..data` not in `keep` removed.
   */
  async swapVolumeData(sandboxId: string, volume: string, swap: VolumeDataSwap): Promise<void> {
    const dataDir = segmentsOf(swap.dataDir);
    if (dataDir.length !== 1 || !dataDir[0].startsWith('..')) throw new RuntimeError('CreateContainerConfigError', `invalid data directory "${swap.dataDir}"`);
    await this.writeVolumeFiles(sandboxId, volume, swap.files);
    const dir = this.dirOf(volume);
    const old = await readlink(`${dir}/..data`).catch(() => undefined);
    try {
      await rm(`${dir}/..data_tmp`, { force: true });
      await symlink(dataDir[0], `${dir}/..data_tmp`);
      await rename(`${dir}/..data_tmp`, `${dir}/..data`);
      for (const e of await readdir(dir)) {
        if (e.startsWith('..') || swap.keep.includes(e)) continue;
        const link = await readlink(`${dir}/${e}`).catch(() => undefined);
        if (link?.startsWith('..data/')) await rm(`${dir}/${e}`, { force: true });
      }
      if (old && old !== dataDir[0] && /^\.\.[^/]+$/.test(old) && old !== '..data') await rm(`${dir}/${old}`, { recursive: true, force: true });
    } catch (err) {
      throw new RuntimeError('CreateContainerConfigError', `failed to update volume "${volume}": ${(err as Error).message}`);
    }
  }
}
