// A V8 CPU profile (node --cpu-prof) in a few lines: self time by where the code lives
// (our folders, each npm package, Node internals, GC, idle), as shares of the samples.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucket(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? '(gc)' : fn === '(idle)' ? '(idle)' : fn === '(program)' ? '(program)' : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:')) return 'node:internals';
  const ours = /\/(api|machinery|server|client|controllers|agent|logs|clusters|cli|cmd)\/((?:simulated|runtime|storage|registry|handlers|serving|job|scheduler)\/)?/.exec(url);
  if (ours) return `${ours[1]}/${ours[2] ?? ''}`;
  return 'other';
}

/** Shares (0..1) of sampled time by bucket, largest first; `total` in seconds. */
export function summarizeProfile(path: string): { total: number; shares: [string, number][] } {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const b = n ? bucket(n.callFrame.url, n.callFrame.functionName) : '(unknown)';
    time.set(b, (time.get(b) ?? 0) + dt);
  });
  const shares = [...time.entries()].map(([k, v]) => [k, total ? v / total : 0] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { total: total / 1e6, shares };
}

/** The main thread's profile in `dir`: the largest .cpuprofile (worker threads write their own, smaller ones). */
export function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0];
}

/** "server/storage/ 31%, npm:fastify 12%, ..." of the busy (non-idle) time. */
export function describeShares(shares: [string, number][], top = 8): string {
  const idle = shares.find(([k]) => k === '(idle)')?.[1] ?? 0;
  const busy = 1 - idle;
  return shares
    .filter(([k]) => k !== '(idle)')
    .slice(0, top)
    .map(([k, v]) => `${k} ${((v / (busy || 1)) * 100).toFixed(1)}%`)
    .join(', ');
}

/**
 * Share (0..1) of the busy samples whose synchronous stack passes through a file matching
 * `urlPart` (inclusive time). Work resumed from a callback (an HTTP reply) has a fresh stack and
 * is not counted: a lower bound.
 */
export function inclusiveShare(path: string, urlPart: string): number {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, boolean>();
  const hits = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    const up = parent.get(id);
    const v = !!n && (n.callFrame.url.includes(urlPart) || (up !== undefined && hits(up)));
    memo.set(id, v);
    return v;
  };
  let busy = 0;
  let inside = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (n?.callFrame.functionName === '(idle)') return;
    const dt = p.timeDeltas[i] ?? 0;
    busy += dt;
    if (hits(id)) inside += dt;
  });
  return busy ? inside / busy : 0;
}
