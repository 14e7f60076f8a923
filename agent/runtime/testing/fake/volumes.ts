// VolumeService of the FakeRuntime: volumes as in-memory file maps; a Memory volume keeps its
// size limit and empties when nothing mounts it any more.
import type { VolumeConfig, VolumeDataSwap, VolumeFile, VolumeStatus, VolumeService } from '../../container-runtime.js';
import { RuntimeError } from '../../runtime-error.js';
import { labelsMatch, normalizePath, type FakeNode } from './node.js';

export class FakeVolumes implements VolumeService {
  private readonly node: FakeNode;

  constructor(node: FakeNode) {
    this.node = node;
  }

  async createVolume(config: VolumeConfig): Promise<void> {
    this.node.record('createVolume', config.name, config);
    this.node.injected('createVolume', config.name);
    if (!this.node.volumes.has(config.name)) this.node.volumes.set(config.name, { config: { ...config }, files: new Map(), mountedBy: new Set() });
  }

  async removeVolume(name: string): Promise<void> {
    this.node.record('removeVolume', name);
    if (!this.node.volumes.has(name)) return;
    const users = [...this.node.containers.values()].filter((c) => (c.config.mounts ?? []).some((m) => m.type === 'volume' && m.source === name));
    const sandboxUsers = [...this.node.sandboxes.values()].filter((s) => (s.config.volumes ?? []).includes(name));
    if (users.length > 0 || sandboxUsers.length > 0) throw new RuntimeError('Unknown', `remove ${name}: volume is in use`);
    this.node.volumes.delete(name);
  }

  async listVolumes(labels?: Record<string, string>): Promise<VolumeStatus[]> {
    return [...this.node.volumes.values()]
      .filter((v) => labelsMatch(v.config.labels ?? {}, labels))
      .map((v) => {
        const s: VolumeStatus = { name: v.config.name, medium: v.config.medium ?? '', labels: { ...v.config.labels } };
        if (v.config.sizeLimitBytes !== undefined) s.sizeLimitBytes = v.config.sizeLimitBytes;
        return s;
      });
  }

  async writeVolumeFiles(sandboxId: string, volume: string, files: VolumeFile[]): Promise<void> {
    this.node.record('writeVolumeFiles', volume, files.map((f) => f.path));
    this.node.injected('writeVolumeFiles', volume);
    const s = this.node.sandboxes.get(sandboxId);
    if (!s) throw new RuntimeError('NotFound', `no such sandbox: ${sandboxId}`);
    if (s.state !== 'ready') throw new RuntimeError('NotRunning', `sandbox ${sandboxId} is not running`);
    if (!(s.config.volumes ?? []).includes(volume)) throw new RuntimeError('NotFound', `volume "${volume}" is not mounted by sandbox ${sandboxId}`);
    const v = this.node.volumes.get(volume)!;
    const now = this.node.clock.now();
    for (const f of files) {
      const path = normalizePath(f.path);
      if (f.linkTarget !== undefined) v.files.set(path, { type: 'symlink', data: Buffer.alloc(0), mode: 0o777, mtime: now, linkTarget: f.linkTarget });
      else if (f.isDirectory) v.files.set(path, { type: 'directory', data: Buffer.alloc(0), mode: f.mode ?? 0o755, mtime: now });
      else this.node.volumeWrite(v, path, Buffer.from(f.data ?? ''), f.mode ?? 0o644);
    }
    this.node.notifyFiles();
  }

  /** The new payload written, `..data` switched in one step, the old directory and stale links removed. */
  async swapVolumeData(sandboxId: string, volume: string, swap: VolumeDataSwap): Promise<void> {
    await this.writeVolumeFiles(sandboxId, volume, swap.files);
    const v = this.node.volumes.get(volume)!;
    const old = v.files.get('/..data')?.linkTarget;
    v.files.set('/..data', { type: 'symlink', data: Buffer.alloc(0), mode: 0o777, mtime: this.node.clock.now(), linkTarget: swap.dataDir });
    for (const [path, f] of [...v.files]) {
      const name = path.slice(1);
      const top = !name.includes('/') && !name.startsWith('..');
      if (top && f.type === 'symlink' && f.linkTarget?.startsWith('..data/') && !swap.keep.includes(name)) v.files.delete(path);
      if (old && old !== swap.dataDir && (name === old || name.startsWith(`${old}/`))) v.files.delete(path);
    }
    this.node.notifyFiles();
  }
}
