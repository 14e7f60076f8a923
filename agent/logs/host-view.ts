// A container's files as seen from the engine's host: a path inside the container maps to
// the host directory of the mount that holds it (binds and volumes), or else to the
// container's writable layer (overlay2 UpperDir), which holds every file the container wrote.
// Files only in the image's lower layers are not there; the log collectors only want files
// that something writes to, so that is enough.
import { lstat, readdir } from 'node:fs/promises';
import { segmentRegExp, hasGlob, normalizeContainerPath, type ContainerLogInfo } from '../runtime/index.js';

/** A regular file found for a pattern. */
export interface HostFile {
  /** The path inside the container. */
  path: string;
  hostPath: string;
  /** `<device>:<inode>`: the file's identity across renames. */
  key: string;
  sizeBytes: number;
}

const MAX_DEPTH = 16;

export class HostView {
  private readonly mounts: { destination: string; source?: string }[];
  private readonly rootfsDir?: string;

  constructor(info: Pick<ContainerLogInfo, 'mounts' | 'rootfsDir'>) {
    // Longest destination first: the innermost mount wins.
    this.mounts = info.mounts.map((m) => ({ ...m, destination: normalizeContainerPath(m.destination) })).sort((a, b) => b.destination.length - a.destination.length);
    this.rootfsDir = info.rootfsDir;
  }

  /** The host path of a path inside the container, or undefined where the host cannot see it (tmpfs, no layer dir). */
  hostPath(path: string): string | undefined {
    const p = normalizeContainerPath(path);
    for (const m of this.mounts) {
      if (p === m.destination || p.startsWith(m.destination === '/' ? '/' : `${m.destination}/`)) {
        if (!m.source) return undefined;
        const rest = p.slice(m.destination.length);
        return rest ? `${m.source.replace(/\/+$/, '')}${rest.startsWith('/') ? rest : `/${rest}`}` : m.source;
      }
    }
    return this.rootfsDir ? `${this.rootfsDir.replace(/\/+$/, '')}${p}` : undefined;
  }

  /** Whether every file a pattern can match is visible on the host. */
  covers(pattern: string): boolean {
    const fixed: string[] = [];
    for (const seg of normalizeContainerPath(pattern).split('/').filter(Boolean)) {
      if (hasGlob(seg)) break;
      fixed.push(seg);
    }
    const base = '/' + fixed.join('/');
    if (this.hostPath(base) === undefined) return false;
    // A mount at or below the pattern's fixed part without a host source hides what is in it.
    const under = (d: string) => d === base || d.startsWith(base === '/' ? '/' : `${base}/`);
    return this.mounts.every((m) => m.source !== undefined || !under(m.destination));
  }

  /** Names of mounts directly inside a directory (mount points need not exist in the writable layer). */
  private mountChildren(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out: string[] = [];
    for (const m of this.mounts) {
      if (m.destination.startsWith(prefix)) {
        const rest = m.destination.slice(prefix.length);
        if (rest && !rest.includes('/')) out.push(rest);
      }
    }
    return out;
  }

  private async entries(dir: string): Promise<{ name: string; isDir: boolean }[]> {
    const out = new Map<string, boolean>();
    const host = this.hostPath(dir);
    if (host) {
      try {
        for (const d of await readdir(host, { withFileTypes: true })) out.set(d.name, d.isDirectory());
      } catch {
        // missing or unreadable: nothing here (yet)
      }
    }
    for (const name of this.mountChildren(dir)) out.set(name, true);
    return [...out].map(([name, isDir]) => ({ name, isDir }));
  }

  /** The regular file with this `<device>:<inode>` key in a directory (a file renamed beside where it was). */
  async findByKey(dir: string, key: string): Promise<HostFile | undefined> {
    const host = this.hostPath(dir);
    if (!host) return undefined;
    let names: string[];
    try {
      names = await readdir(host);
    } catch {
      return undefined;
    }
    for (const name of names) {
      try {
        const st = await lstat(`${host}/${name}`, { bigint: true });
        if (st.isFile() && `${st.dev}:${st.ino}` === key) return { path: dir === '/' ? `/${name}` : `${dir}/${name}`, hostPath: `${host}/${name}`, key, sizeBytes: Number(st.size) };
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  /** Regular files matching `pattern` (`*`, `?`, `[...]` per segment, `**` for any directories), sorted by path. */
  async glob(pattern: string): Promise<HostFile[]> {
    const segs = normalizeContainerPath(pattern).split('/').filter(Boolean);
    const found = new Map<string, HostFile>();
    const visit = async (dir: string, i: number, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH) return;
      if (i === segs.length) {
        const host = this.hostPath(dir);
        if (!host) return;
        try {
          const st = await lstat(host, { bigint: true });
          if (st.isFile()) found.set(dir, { path: dir, hostPath: host, key: `${st.dev}:${st.ino}`, sizeBytes: Number(st.size) });
        } catch {
          // gone meanwhile
        }
        return;
      }
      const seg = segs[i];
      const join = (name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
      if (seg === '**') {
        await visit(dir, i + 1, depth);
        for (const e of await this.entries(dir)) if (e.isDir) await visit(join(e.name), i, depth + 1);
        return;
      }
      if (!hasGlob(seg)) return visit(join(seg), i + 1, depth);
      const re = segmentRegExp(seg);
      for (const e of await this.entries(dir)) if (re.test(e.name)) await visit(join(e.name), i + 1, depth + 1);
    };
    await visit('/', 0, 0);
    return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
