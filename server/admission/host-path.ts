// jobyard's own hostPath policy, on top of Pod Security (as PodSecurityPolicy's
// allowedHostPaths was): a hostPath volume must lie under a directory the administrator named
// with --allow-host-path, and never be, contain or lie inside a protected path (the container
// engine's socket and state, jobyard's data directory with its token and keys). Paths are
// compared lexically after normalization; the node agent checks real paths again (symlinks).
import { posix } from 'node:path';

export interface ProtectedPath {
  path: string;
  /** "the container engine's socket", "jobyard's data directory"... */
  what: string;
}

/** The engine's socket and state: mounting either is root on the host, read-only or not. */
export const ENGINE_PATHS: ProtectedPath[] = [
  { path: '/var/run/docker.sock', what: "the container engine's socket" },
  { path: '/run/docker.sock', what: "the container engine's socket" },
  { path: '/var/lib/docker', what: "the container engine's state" },
  { path: '/run/containerd', what: "the container engine's state" },
  { path: '/var/lib/containerd', what: "the container engine's state" },
];

/** An absolute path without `.`/`..` segments, repeated or trailing slashes; undefined if relative. */
export function normalizeHostPath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const n = posix.normalize(path);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** child is parent or below it ("/srv/database" is not below "/srv/data"). */
export function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
}

export class HostPathPolicy {
  readonly allowed: string[];
  private readonly protectedPaths: ProtectedPath[];

  /** `allowed` and protected paths are normalized here; relative ones are dropped. */
  constructor(allowed: string[], protectedPaths: ProtectedPath[] = ENGINE_PATHS) {
    this.allowed = [...new Set(allowed.map(normalizeHostPath).filter((p): p is string => !!p))];
    this.protectedPaths = protectedPaths.flatMap((p) => {
      const path = normalizeHostPath(p.path);
      return path ? [{ path, what: p.what }] : [];
    });
  }

  /** Under an allowed directory and clear of every protected path. */
  allows(path: string): boolean {
    return this.problem('', path) === undefined;
  }

  /** Why a volume's path is refused, or undefined. */
  problem(volume: string, path: string): string | undefined {
    const subject = `hostPath volume ${JSON.stringify(volume)} (path ${JSON.stringify(path)})`;
    const n = normalizeHostPath(path);
    if (!n) return `${subject} must be an absolute path`;
    for (const p of this.protectedPaths) {
      if (isWithin(n, p.path)) return `${subject} is inside ${p.path}, ${p.what}: it is never mounted into a pod`;
      if (isWithin(p.path, n)) return `${subject} contains ${p.path}, ${p.what}: it is never mounted into a pod`;
    }
    if (this.allowed.some((dir) => isWithin(n, dir))) return undefined;
    const where = this.allowed.length
      ? `allowed: ${this.allowed.map((d) => JSON.stringify(d)).join(', ')}`
      : 'none is: the server runs without --allow-host-path';
    return `${subject} is not under a directory allowed by --allow-host-path (${where})`;
  }

  /** Every refused hostPath volume of a pod spec. */
  problems(volumes: { name: string; hostPath?: { path: string } }[] | undefined): string[] {
    const out: string[] = [];
    for (const v of volumes ?? []) {
      if (!v.hostPath) continue;
      const p = this.problem(v.name, v.hostPath.path ?? '');
      if (p) out.push(p);
    }
    return out;
  }
}
