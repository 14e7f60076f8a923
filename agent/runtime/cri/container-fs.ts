// A container's files seen from the host, for statFiles/readFile of a CRI container:
// - running: through /proc/<pid>/root (its mount namespace: image, writable layer, volumes,
//   tmpfs mounts, exactly what the container sees);
// - exited (until removed): the snapshot's layers, the writable upper directory first, then
//   the image's lower ones (an overlay whiteout hides a lower file), and the bind mounts'
//   host directories (volumes, hostPath). tmpfs mounts are gone with the container.
// Paths are resolved one component at a time with lstat, so a link inside the container is
// followed inside it (an absolute target starts again at its root), never on the host.
import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { hasGlob, matchPathGlob, normalizeContainerPath, segmentRegExp } from '../path-glob.js';

export interface ContainerFsSpec {
  /** The pid of the running container's process (0 or absent once it exited). */
  pid?: number;
  /** Layer directories, top (writable) first. */
  layers: string[];
  /** Bind mounts: destination inside the container → host directory or file. */
  binds: { destination: string; source: string }[];
}

export interface FsEntry {
  /** The resolved path inside the container. */
  path: string;
  hostPath: string;
  stat: Stats;
}

const MAX_LINKS = 40;

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export class ContainerFs {
  private readonly spec: ContainerFsSpec;
  private readonly binds: { destination: string; source: string }[];

  constructor(spec: ContainerFsSpec) {
    this.spec = spec;
    this.binds = spec.binds.map((b) => ({ ...b, destination: normalizeContainerPath(b.destination) })).sort((a, b) => b.destination.length - a.destination.length);
  }

  /** Host paths that may hold a path inside the container, in the order they win. */
  private candidates(path: string): string[] {
    if (this.spec.pid) return [`/proc/${this.spec.pid}/root${path}`];
    for (const b of this.binds) {
      if (path === b.destination || path.startsWith(b.destination === '/' ? '/' : `${b.destination}/`)) return [`${b.source}${path.slice(b.destination.length)}`];
    }
    return this.spec.layers.map((l) => `${l}${path}`);
  }

  /** The entry at an already resolved path (its parents are directories), without following a last link. */
  private async lookup(path: string): Promise<{ hostPath: string; stat: Stats } | undefined> {
    for (const hostPath of this.candidates(path)) {
      let st: Stats;
      try {
        st = await lstat(hostPath);
      } catch {
        continue;
      }
      if (isWhiteout(st)) return undefined;
      return { hostPath, stat: st };
    }
    return undefined;
  }

  /** Resolves a path inside the container, following links inside it. */
  async resolve(path: string, followLast = true): Promise<FsEntry | undefined> {
    const todo = normalizeContainerPath(path).split('/').filter(Boolean);
    let cur = '';
    let links = 0;
    let entry: { hostPath: string; stat: Stats } | undefined = { hostPath: '', stat: undefined as unknown as Stats };
    while (todo.length) {
      const seg = todo.shift()!;
      if (seg === '..') {
        cur = cur.slice(0, cur.lastIndexOf('/'));
        continue;
      }
      if (seg === '.') continue;
      const next = `${cur}/${seg}`;
      entry = await this.lookup(next);
      if (!entry) return undefined;
      if (entry.stat.isSymbolicLink() && (todo.length > 0 || followLast)) {
        if (++links > MAX_LINKS) return undefined;
        const target = await readlink(entry.hostPath);
        todo.unshift(...target.split('/').filter(Boolean));
        if (target.startsWith('/')) cur = '';
        continue;
      }
      if (todo.length > 0 && !entry.stat.isDirectory()) return undefined;
      cur = next;
    }
    if (cur === '') {
      const root = await this.lookup('');
      return root ? { path: '/', ...root } : undefined;
    }
    return entry ? { path: cur, ...entry } : undefined;
  }

  /** Names in a directory inside the container (the layers' names merged, whiteouts removed). */
  async list(dir: string): Promise<string[]> {
    const d = await this.resolve(dir);
    if (!d || !d.stat.isDirectory()) return [];
    const names = new Set<string>();
    const hidden = new Set<string>();
    const hosts = this.spec.pid ? [d.hostPath] : this.candidates(d.path);
    for (const h of hosts) {
      let entries: string[];
      try {
        entries = await readdir(h);
      } catch {
        continue;
      }
      for (const n of entries) {
        if (names.has(n) || hidden.has(n)) continue;
        const st = await lstat(`${h}/${n}`).catch(() => undefined);
        if (st && isWhiteout(st)) hidden.add(n);
        else names.add(n);
      }
    }
    return [...names].sort();
  }

  /** Regular files whose path matches a pattern (path-glob.ts: `*`, `?`, `[...]`, `**`), sorted. */
  async glob(pattern: string): Promise<FsEntry[]> {
    const segs = normalizeContainerPath(pattern).split('/').filter(Boolean);
    const found = new Map<string, FsEntry>();
    const walk = async (dir: string, i: number, depth: number): Promise<void> => {
      if (i >= segs.length || depth > 32) return;
      const seg = segs[i];
      const visit = async (path: string, next: number) => {
        const e = await this.resolve(path);
        if (!e) return;
        if (next >= segs.length) {
          if (e.stat.isFile() && matchPathGlob(pattern, path)) found.set(path, { ...e, path });
        } else if (e.stat.isDirectory()) await walk(path, next, depth + 1);
      };
      if (seg === '**') {
        await walk(dir, i + 1, depth + 1);
        for (const name of await this.list(dir)) {
          const e = await this.resolve(`${dir}/${name}`, false);
          if (e?.stat.isDirectory()) await walk(`${dir}/${name}`, i, depth + 1);
        }
        return;
      }
      if (!hasGlob(seg)) return visit(`${dir}/${seg}`, i + 1);
      const re = segmentRegExp(seg);
      for (const name of await this.list(dir)) if (re.test(name)) await visit(`${dir}/${name}`, i + 1);
    };
    await walk('', 0, 0);
    return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
