// VolumeService on the engine: local volumes (tmpfs for medium Memory, with its size limit),
// and files written into them through the sandbox that keeps them mounted.
import { type ExecResult, LABEL_MANAGED, type VolumeConfig, type VolumeDataSwap, type VolumeFile, type VolumeService, type VolumeStatus } from '../container-runtime.js';
import { RuntimeError } from '../runtime-error.js';
import { buildTar, type TarEntry } from '../tar.js';
import { labelFilters, type DockerEngine } from './engine.js';
import { isStatus, toRuntimeError } from './engine-errors.js';

/** Where a sandbox mounts the pod's runtime volumes. */
export const SANDBOX_VOLUME_ROOT = '/jobyard/volumes';
const LABEL_VOLUME_MEDIUM = 'jobyard.io/medium';
const LABEL_VOLUME_SIZE = 'jobyard.io/size-limit-bytes';

/**
 * The atomic writer's switch, run by the sandbox's shell (jobyard/pause holds a static busybox):
 * rename `..data_tmp` over `..data` (rename(2): atomic), then remove the old data directory and
 * the top-level links into `..data` that the new payload no longer has. Arguments: the volume's
 * directory, the new data directory, the names to keep. Never touches a name outside the volume.
 */
const SWAP_SCRIPT = [
  'set -e; B=/bin/busybox; cd "$1"; new="$2"; shift 2',
  'old=$($B readlink ..data 2>/dev/null || true)',
  '$B mv -T ..data_tmp ..data',
  'for e in * .[!.]*; do',
  '  [ -L "$e" ] || continue',
  '  case "$($B readlink "$e")" in ..data/*) ;; *) continue ;; esac',
  '  k=0; for n in "$@"; do [ "$n" = "$e" ] && k=1; done',
  '  [ $k = 1 ] || $B rm -f -- "$e"',
  'done',
  'case "$old" in ""|"$new"|*/*) ;; ..?*) $B rm -rf -- "$old" ;; esac',
].join('\n');

export class DockerVolumes implements VolumeService {
  private readonly engine: DockerEngine;
  /** A command run to its end in a container (StreamingService.execSync). */
  private readonly exec: (id: string, cmd: string[]) => Promise<ExecResult>;

  constructor(engine: DockerEngine, exec: (id: string, cmd: string[]) => Promise<ExecResult>) {
    this.engine = engine;
    this.exec = exec;
  }

  async createVolume(config: VolumeConfig): Promise<void> {
    const labels: Record<string, string> = { ...config.labels, [LABEL_MANAGED]: 'true', [LABEL_VOLUME_MEDIUM]: config.medium ?? '' };
    const opts: Record<string, string> = {};
    if (config.medium === 'Memory') {
      opts.type = 'tmpfs';
      opts.device = 'tmpfs';
      if (config.sizeLimitBytes !== undefined) {
        opts.o = `size=${config.sizeLimitBytes}`;
        labels[LABEL_VOLUME_SIZE] = String(config.sizeLimitBytes);
      }
    }
    try {
      await this.engine.docker.createVolume({ Name: config.name, Driver: 'local', DriverOpts: opts, Labels: labels });
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerConfigError', `failed to create volume "${config.name}"`);
    }
  }

  /** Where the engine keeps a volume's files on its host. */
  async volumeMountpoint(name: string): Promise<string> {
    try {
      const v = (await this.engine.docker.getVolume(name).inspect()) as { Mountpoint?: string };
      if (!v.Mountpoint) throw new Error(`volume "${name}" has no mountpoint`);
      return v.Mountpoint.replace(/\/+$/, '');
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerError', `failed to inspect volume "${name}"`);
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.engine.docker.getVolume(name).remove();
    } catch (err) {
      if (!isStatus(err, 404)) throw toRuntimeError(err, 'Unknown', `failed to remove volume "${name}"`);
    }
  }

  async listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    try {
      const res = await this.engine.docker.listVolumes({ filters: { label: [`${LABEL_MANAGED}=true`, ...labelFilters(labels)] } });
      return (res.Volumes ?? []).map((v) => {
        const l = { ...(v.Labels ?? {}) };
        const medium = l[LABEL_VOLUME_MEDIUM] === 'Memory' ? 'Memory' : '';
        const size = l[LABEL_VOLUME_SIZE];
        delete l[LABEL_VOLUME_MEDIUM];
        delete l[LABEL_VOLUME_SIZE];
        delete l[LABEL_MANAGED];
        const s: VolumeStatus = { name: v.Name, medium, labels: l };
        if (size !== undefined) s.sizeLimitBytes = Number(size);
        return s;
      });
    } catch (err) {
      throw toRuntimeError(err, 'Unknown', 'list volumes');
    }
  }

  async writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    const info = await this.engine.inspect(sandboxId, 'podsandbox');
    if (!info.State.Running) throw new RuntimeError('NotRunning', `sandbox ${sandboxId} is not running`);
    const target = `${SANDBOX_VOLUME_ROOT}/${volume}`;
    if (!(info.Mounts ?? []).some((m) => m.Destination === target)) {
      throw new RuntimeError('NotFound', `volume "${volume}" is not mounted by sandbox ${sandboxId}`);
    }
    const entries: TarEntry[] = [];
    const dirs = new Set<string>();
    const addParents = (p: string) => {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          entries.push({ path: d, type: 'directory' });
        }
      }
    };
    for (const f of files) {
      const path = f.path.replace(/^\/+/, '');
      addParents(path);
      if (f.linkTarget !== undefined) entries.push({ path, type: 'symlink', linkTarget: f.linkTarget });
      else if (f.isDirectory) {
        if (!dirs.has(path)) entries.push({ path, type: 'directory', mode: f.mode ?? 0o755 });
        dirs.add(path);
      } else entries.push({ path, type: 'file', data: Buffer.from(f.data ?? ''), mode: f.mode ?? 0o644, mtime: new Date() });
    }
    try {
      await this.engine.docker.getContainer(sandboxId).putArchive(buildTar(entries), { path: target });
    } catch (err) {
      throw toRuntimeError(err, 'CreateContainerConfigError', `failed to write files into volume "${volume}"`);
    }
  }

  /**
   * Writes the new payload beside the old one, then switches `..data` by a rename inside the
   * sandbox. A sandbox whose image has no shell gets `..data` replaced by the engine's archive
   * extraction (unlink, then symlink: not atomic) and keeps the old directory.
   */
  async swapVolumeData(sandboxId: string, volume: string, swap: VolumeDataSwap): Promise<void> {
    await this.writeVolumeFiles(sandboxId, volume, [...swap.files, { path: '..data_tmp', linkTarget: swap.dataDir }]);
    const target = `${SANDBOX_VOLUME_ROOT}/${volume}`;
    let result: ExecResult | undefined;
    try {
      result = await this.exec(sandboxId, ['/bin/sh', '-c', SWAP_SCRIPT, 'swap', target, swap.dataDir, ...swap.keep]);
    } catch {
      result = undefined;
    }
    if (result?.exitCode === 0) return;
    await this.writeVolumeFiles(sandboxId, volume, [{ path: '..data', linkTarget: swap.dataDir }]);
  }
}
