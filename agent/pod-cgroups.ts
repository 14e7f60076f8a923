// The kubelet's pod cgroups (upstream: pkg/kubelet/cm, the pod container manager): every pod
// gets one cgroup that its sandbox and containers are created under (the runtime's cgroup
// parent), so podPidsLimit bounds the pod as a whole, as upstream does, not each container.
//
// Made here, on the node's cgroup filesystem, only where that is the engine's own: Docker's
// cgroupfs driver on cgroup v1 (its containers then live in <controller>/<parent>/<id> for every
// mounted hierarchy). The pod's cgroup is made and its pids.max written before the sandbox
// starts, checked again before each container is created, and removed (every hierarchy) when
// the pod goes; housekeeping removes those of pods this agent no longer has. Each agent keeps
// its pods under /jobyard/<agent instance>, so agents of several servers never touch each
// other's. Elsewhere (cgroup v2, the systemd driver, a remote engine) there is no pod cgroup
// and podPidsLimit applies to each container alone.
import { lstat, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeInfo } from './runtime/index.js';

export interface PodCgroups {
  /** Makes (or repairs) the pod's cgroup and its limits; returns the cgroup parent for the runtime. */
  ensure(uid: string): Promise<string>;
  /** Removes the pod's cgroup from every hierarchy (what is still in use stays for housekeeping). */
  remove(uid: string): Promise<void>;
  /** Pods that have a cgroup here. */
  list(): Promise<string[]>;
}

const POD_PREFIX = 'pod';

export interface CgroupfsV1Options {
  /** Where the hierarchies are mounted (/sys/fs/cgroup). */
  root: string;
  /** This agent's cgroup, e.g. /jobyard/<instance>: pods are its children. */
  parent: string;
  /** pids.max of each pod (positive). */
  pidsLimit: number;
}

export class CgroupfsV1PodCgroups implements PodCgroups {
  private readonly opts: CgroupfsV1Options;

  constructor(opts: CgroupfsV1Options) {
    this.opts = opts;
  }

  cgroupParent(uid: string): string {
    return `${this.opts.parent}/${POD_PREFIX}${uid}`;
  }

  async ensure(uid: string): Promise<string> {
    if (!/^[A-Za-z0-9-]+$/.test(uid)) throw new Error(`not a pod UID: ${JSON.stringify(uid)}`);
    const parent = this.cgroupParent(uid);
    const dir = join(this.opts.root, 'pids', parent);
    await mkdir(dir, { recursive: true });
    const want = String(this.opts.pidsLimit);
    const now = (await readFile(join(dir, 'pids.max'), 'utf8').catch(() => '')).trim();
    if (now !== want) await writeFile(join(dir, 'pids.max'), want);
    return parent;
  }

  async remove(uid: string): Promise<void> {
    const parent = this.cgroupParent(uid);
    for (const hierarchy of await this.hierarchies()) {
      try {
        await rmdir(join(this.opts.root, hierarchy, parent));
      } catch (err) {
        // Gone already, or still in use (a container not yet removed): housekeeping retries.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  async list(): Promise<string[]> {
    const uids = new Set<string>();
    for (const hierarchy of await this.hierarchies()) {
      let names: string[];
      try {
        names = await readdir(join(this.opts.root, hierarchy, this.opts.parent));
      } catch {
        continue;
      }
      for (const n of names) if (n.startsWith(POD_PREFIX)) uids.add(n.slice(POD_PREFIX.length));
    }
    return [...uids];
  }

  /** The mounted hierarchies (cpu, memory, pids, name=systemd...): runc makes the parent in each. */
  private async hierarchies(): Promise<string[]> {
    const out: string[] = [];
    for (const name of await readdir(this.opts.root)) {
      const st = await lstat(join(this.opts.root, name)).catch(() => undefined);
      if (st?.isDirectory()) out.push(name);
    }
    return out;
  }
}

/**
 * Pod cgroups where this node can make them (see the top of the file), else undefined. `root`
 * is given only when the engine runs on this machine's cgroup filesystem.
 */
export async function detectPodCgroups(opts: { info: RuntimeInfo; root: string | undefined; instance: string; pidsLimit: number | undefined }): Promise<PodCgroups | undefined> {
  const { info, root, instance, pidsLimit } = opts;
  if (!root || !pidsLimit || pidsLimit <= 0) return undefined;
  if (info.cgroupVersion !== '1' || info.cgroupDriver !== 'cgroupfs') return undefined;
  if (!/^[A-Za-z0-9._-]+$/.test(instance)) return undefined;
  try {
    await mkdir(join(root, 'pids', 'jobyard', instance), { recursive: true });
  } catch {
    return undefined; // no pids hierarchy, or not ours to write
  }
  return new CgroupfsV1PodCgroups({ root, parent: `/jobyard/${instance}`, pidsLimit });
}
