// The node's last line for hostPath volumes, after the API server's allow-list (which compares
// paths as written): here the real path on the host decides, symlinks resolved.
// - jobyard's own data directory (its token, keys, state): a bind that contains it (`/`, `/root`
//   for ~/.jobyard) is read-only whatever the volumeMount says, with the directory hidden under
//   an empty tmpfs; a bind whose real source is it or lies inside it is refused (read-only
//   would still let the pod read the token);
// - the container engine's socket and state: refused (FailedMount), since a read-only bind of
//   a socket still lets a process connect to it;
// - with the server's --allow-host-path list, the real source must lie under one of those
//   directories (volume-manager.ts): a symlink a pod planted in one leads nowhere else.
import { posix } from 'node:path';

/** The engine's socket and state, as the API server's hostPath policy names them. */
export const ENGINE_HOST_PATHS = ['/var/run/docker.sock', '/run/docker.sock', '/var/lib/docker', '/run/containerd', '/var/lib/containerd'];

export interface BindVerdict {
  /** Mount read-only whatever the volumeMount says. */
  readOnly: boolean;
  /** Paths relative to the bind's source to cover with an empty tmpfs. */
  masks: string[];
  /** Set when the bind must not be made at all. */
  refused?: string;
}

export function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
}

/**
 * Judges one bind source by its real path. `protectedDirs` and `enginePaths` must be real
 * paths too (see realPathOf).
 */
export function judgeBind(realSource: string, protectedDirs: string[], enginePaths: string[]): BindVerdict {
  for (const p of enginePaths) {
    if (isWithin(realSource, p) || isWithin(p, realSource)) {
      return { readOnly: true, masks: [], refused: `${realSource} is or holds ${p}, the container engine's socket or state: it is never mounted into a pod` };
    }
  }
  const verdict: BindVerdict = { readOnly: false, masks: [] };
  for (const dir of protectedDirs) {
    if (isWithin(realSource, dir)) {
      return { readOnly: true, masks: [], refused: `${realSource} is inside ${dir}, jobyard's data directory (its token and keys): it is never mounted into a pod` };
    }
    if (isWithin(dir, realSource)) {
      verdict.readOnly = true;
      verdict.masks.push(posix.relative(realSource, dir));
    }
  }
  return verdict;
}

/** The real path of `path`; for a path that does not exist yet, its nearest existing parent's real path with the rest. */
export async function realPathOf(path: string, realpath: (p: string) => Promise<string>): Promise<string> {
  const normalized = posix.normalize(path).replace(/(.)\/+$/, '$1');
  try {
    return await realpath(normalized);
  } catch {
    const parent = posix.dirname(normalized);
    if (parent === normalized) return normalized;
    return posix.join(await realPathOf(parent, realpath), posix.basename(normalized));
  }
}
