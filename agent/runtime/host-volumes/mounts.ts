// What the kernel says about mounts (/proc/<pid>/mountinfo, proc(5)): whether a directory is a
// mount point here, and which processes in other mount namespaces (containers) have it mounted.
import { readdir, readFile, readlink } from 'node:fs/promises';

interface MountInfo {
  /** major:minor of the filesystem. */
  dev: string;
  /** The directory of the filesystem this mount shows. */
  root: string;
  mountPoint: string;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 5) continue;
    out.push({ dev: f[2], root: unescape(f[3]), mountPoint: unescape(f[4]) });
  }
  return out;
}

async function mountsOf(pid: string): Promise<MountInfo[] | undefined> {
  try {
    return parseMountInfo(await readFile(`/proc/${pid}/mountinfo`, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function isMountPoint(dir: string): Promise<boolean> {
  return ((await mountsOf('self')) ?? []).some((m) => m.mountPoint === dir);
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/**
 * Where `dir` is as the kernel names it: the device of the filesystem that holds it here and
 * its path inside that filesystem (what another namespace's bind mount of it shows as root).
 */
function locate(mounts: MountInfo[], dir: string): { dev: string; path: string } | undefined {
  let best: MountInfo | undefined;
  for (const m of mounts) if (under(dir, m.mountPoint) && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  if (!best) return undefined;
  const rest = dir.slice(best.mountPoint === '/' ? 0 : best.mountPoint.length);
  const path = `${best.root === '/' ? '' : best.root}${rest}` || '/';
  return { dev: best.dev, path };
}

/**
 * Processes in another mount namespace than ours that have `dir` (or something under it)
 * mounted: the containers using a volume. One mountinfo read per mount namespace.
 */
export async function mountUsers(dir: string): Promise<number[]> {
  const own = await mountsOf('self');
  const where = own && locate(own, dir);
  if (!where) return [];
  const ownNs = await readlink('/proc/self/ns/mnt').catch(() => '');
  const seen = new Set<string>([ownNs]);
  const users: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ns = await readlink(`/proc/${pid}/ns/mnt`).catch(() => undefined);
    if (ns === undefined || seen.has(ns)) continue;
    seen.add(ns);
    const mounts = await mountsOf(pid);
    // A mount at the very same path is that namespace's copy of ours (a namespace made by
    // unshare, or a service's private one, receiving our mounts by propagation), not a use.
    if (mounts?.some((m) => m.dev === where.dev && under(m.root, where.path) && !under(m.mountPoint, dir))) users.push(Number(pid));
  }
  return users;
}
