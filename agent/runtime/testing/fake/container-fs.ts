// What a fake container sees of files: its image, its own layer, and its mounts (volumes,
// tmpfs, host directories) over them, plus the synthetic files a real one would have
// (/etc/hostname, cgroup limits, /proc/mounts).
import type { Mount } from '../../container-runtime.js';
import { normalizePath, resolveInVolume, UNLIMITED_MEMORY, type FakeNode, type FakeFile, type FakeContainer } from './node.js';

export class FakeContainerFS {
  private readonly node: FakeNode;

  constructor(node: FakeNode) {
    this.node = node;
  }

  /** The mount serving `path`, longest target first. */
  mountFor(c: FakeContainer, path: string): { mount: Mount; rel: string } | undefined {
    let best: { mount: Mount; rel: string } | undefined;
    for (const m of c.config.mounts ?? []) {
      const t = normalizePath(m.target);
      if (path === t || path.startsWith(t === '/' ? '/' : t + '/')) {
        if (!best || t.length > normalizePath(best.mount.target).length) {
          const sub = m.type === 'volume' && m.subPath ? `/${m.subPath}` : '';
          best = { mount: m, rel: normalizePath(sub + path.slice(t.length)) };
        }
      }
    }
    return best;
  }

  lookupFile(c: FakeContainer, path: string): FakeFile | undefined {
    const m = this.mountFor(c, path);
    if (m) {
      if (m.mount.type === 'volume') {
        const files = this.node.volumes.get(m.mount.source)?.files;
        return files ? resolveInVolume(files, m.rel) : undefined;
      }
      if (m.mount.type === 'tmpfs') return this.node.tmpfsFiles.get(`${c.id}:${m.mount.target}`)?.get(m.rel);
      const host = this.node.hostFiles.get(normalizePath(m.mount.source + m.rel));
      return host === undefined ? undefined : { type: 'file', data: Buffer.from(host), mode: 0o644, mtime: new Date(0) };
    }
    return c.layer.get(path) ?? c.imageFiles?.get(path);
  }

  visibleFiles(c: FakeContainer): Map<string, FakeFile> {
    const out = new Map<string, FakeFile>();
    const hidden = (p: string) => this.mountFor(c, p) !== undefined;
    for (const [p, f] of c.imageFiles ?? []) if (!hidden(p)) out.set(p, f);
    for (const [p, f] of c.layer) if (!hidden(p)) out.set(p, f);
    for (const m of c.config.mounts ?? []) {
      const t = normalizePath(m.target);
      const join = (rel: string) => normalizePath(`${t}/${rel}`);
      let files: Iterable<[string, FakeFile]> = [];
      if (m.type === 'volume') {
        const sub = m.subPath ? normalizePath(m.subPath) : '';
        files = [...(this.node.volumes.get(m.source)?.files ?? [])]
          .filter(([p]) => !sub || p.startsWith(sub + '/'))
          .map(([p, f]): [string, FakeFile] => [p.slice(sub.length), f]);
      } else if (m.type === 'tmpfs') files = this.node.tmpfsFiles.get(`${c.id}:${m.target}`) ?? [];
      else {
        const src = normalizePath(m.source);
        files = [...this.node.hostFiles]
          .filter(([p]) => p.startsWith(src + '/'))
          .map(([p, d]): [string, FakeFile] => [p.slice(src.length), { type: 'file', data: Buffer.from(d), mode: 0o644, mtime: new Date(0) }]);
      }
      for (const [rel, f] of files) {
        const p = join(rel);
        if (this.mountFor(c, p)?.mount === m) out.set(p, f);
      }
    }
    return out;
  }

  syntheticFile(c: FakeContainer, path: string): string | undefined {
    const r = c.config.resources ?? {};
    const s = this.node.sandboxes.get(c.sandboxId);
    switch (path) {
      case '/etc/hostname':
        return `${s?.config.hostname ?? ''}\n`;
      case '/sys/fs/cgroup/cpu/cpu.cfs_quota_us':
        return `${r.cpuQuota && r.cpuQuota > 0 ? r.cpuQuota : -1}\n`;
      case '/sys/fs/cgroup/cpu/cpu.cfs_period_us':
        return `${r.cpuPeriod ?? 100000}\n`;
      case '/sys/fs/cgroup/cpu/cpu.shares':
        return `${r.cpuShares ?? 1024}\n`;
      case '/sys/fs/cgroup/memory/memory.limit_in_bytes':
        return `${r.memoryLimitBytes ?? UNLIMITED_MEMORY}\n`;
      case '/sys/fs/cgroup/pids/pids.max':
        return `${r.pidsLimit && r.pidsLimit > 0 ? r.pidsLimit : 'max'}\n`;
      case '/proc/mounts':
        return (c.config.mounts ?? [])
          .map((m) => {
            const fstype = m.type === 'tmpfs' || (m.type === 'volume' && this.node.volumes.get(m.source)?.config.medium === 'Memory') ? 'tmpfs' : 'ext4';
            return `${m.type === 'tmpfs' ? 'tmpfs' : m.source} ${m.target} ${fstype} ${'readOnly' in m && m.readOnly ? 'ro' : 'rw'} 0 0\n`;
          })
          .join('');
      default:
        return undefined;
    }
  }
}
