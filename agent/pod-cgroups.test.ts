import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeInfo } from './runtime/index.js';
import { CgroupfsV1PodCgroups, detectPodCgroups } from './pod-cgroups.js';

// A stand-in for /sys/fs/cgroup: plain directories (the real thing is tested in test/security/pids.test.ts).
const roots: string[] = [];
function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'jobyard-cgroup-'));
  for (const h of ['pids', 'memory', 'cpu']) mkdirSync(join(root, h));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const info = (cgroupVersion: '1' | '2', cgroupDriver: string): RuntimeInfo =>
  ({ runtimeName: 'docker', runtimeVersion: '20.10', apiVersion: '1.41', cpus: 2, memoryBytes: 1, cgroupVersion, cgroupDriver, storageDriver: '', kernelVersion: '', operatingSystem: '', architecture: '' });

describe('pod cgroups', () => {
  it("make the pod's pids cgroup with pids.max before anything runs, under the agent's own parent", async () => {
    const root = fakeRoot();
    const cgroups = new CgroupfsV1PodCgroups({ root, parent: '/jobyard/node-1-abc', pidsLimit: 32 });
    expect(await cgroups.ensure('0b9353a7-4c29-4c03-b7c6-477a8545fda5')).toBe('/jobyard/node-1-abc/pod0b9353a7-4c29-4c03-b7c6-477a8545fda5');
    expect(readFileSync(join(root, 'pids/jobyard/node-1-abc/pod0b9353a7-4c29-4c03-b7c6-477a8545fda5/pids.max'), 'utf8')).toBe('32');
    mkdirSync(join(root, 'memory/jobyard/node-1-abc/podother'), { recursive: true });
    expect((await cgroups.list()).sort()).toEqual(['0b9353a7-4c29-4c03-b7c6-477a8545fda5', 'other']);
    await cgroups.remove('other');
    expect(await cgroups.list()).toEqual(['0b9353a7-4c29-4c03-b7c6-477a8545fda5']);
  });

  it('refuse a UID that is not one (no path tricks)', async () => {
    const cgroups = new CgroupfsV1PodCgroups({ root: fakeRoot(), parent: '/jobyard/n', pidsLimit: 32 });
    await expect(cgroups.ensure('../../x')).rejects.toThrow('not a pod UID');
  });

  it('are used only on cgroup v1 with the cgroupfs driver, a local cgroup root and a positive limit', async () => {
    const root = fakeRoot();
    const base = { root, instance: 'node-1-abc', pidsLimit: 4096 };
    expect(await detectPodCgroups({ ...base, info: info('1', 'cgroupfs') })).toBeInstanceOf(CgroupfsV1PodCgroups);
    expect(await detectPodCgroups({ ...base, info: info('2', 'cgroupfs') })).toBeUndefined();
    expect(await detectPodCgroups({ ...base, info: info('1', 'systemd') })).toBeUndefined();
    expect(await detectPodCgroups({ ...base, root: undefined, info: info('1', 'cgroupfs') })).toBeUndefined();
    expect(await detectPodCgroups({ ...base, pidsLimit: -1, info: info('1', 'cgroupfs') })).toBeUndefined();
    expect(await detectPodCgroups({ ...base, root: join(root, 'missing-file', '\0'), info: info('1', 'cgroupfs') })).toBeUndefined();
  });
});
