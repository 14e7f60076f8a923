// The cgroup reader on a made-up /proc and /sys/fs/cgroup: v1 (cgroupfs), v2, and a process
// whose cgroup is not the container's (another pid namespace, a remote engine).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupStats } from './stats.js';

const ID = 'c0ffee'.repeat(10) + 'abcd';
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function files(tree: Record<string, string>): void {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('cgroupStats', () => {
  it('reads cgroup v1 (cpuacct.usage; memory usage less total_inactive_file)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobyard-cgroup-'));
    const path = `/jobyard/pod1/${ID}`;
    files({
      'proc/42/cgroup': `4:memory:${path}\n2:cpu,cpuacct:${path}\n0::${path}\n`,
      [`sys/cpuacct${path}/cpuacct.usage`]: '123456789\n',
      [`sys/memory${path}/memory.usage_in_bytes`]: '10000000\n',
      [`sys/memory${path}/memory.stat`]: 'cache 5\ninactive_file 1\ntotal_inactive_file 4000000\n',
    });
    expect(await cgroupStats(ID, 42, join(dir, 'sys'), join(dir, 'proc'))).toMatchObject({ id: ID, usageCoreNanoSeconds: 123456789, workingSetBytes: 6000000 });
  });

  it('reads cgroup v2 (cpu.stat usage_usec; memory.current less inactive_file)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobyard-cgroup-'));
    const path = `/system.slice/docker-${ID}.scope`;
    files({
      'proc/7/cgroup': `0::${path}\n`,
      [`sys${path}/cpu.stat`]: 'usage_usec 2500\nuser_usec 2000\n',
      [`sys${path}/memory.current`]: '8192\n',
      [`sys${path}/memory.stat`]: 'anon 1\ninactive_file 4096\n',
    });
    expect(await cgroupStats(ID, 7, join(dir, 'sys'), join(dir, 'proc'))).toMatchObject({ usageCoreNanoSeconds: 2_500_000, workingSetBytes: 4096 });
  });

  it('declines a process whose cgroup is not the container’s, or that is not there', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobyard-cgroup-'));
    files({ 'proc/9/cgroup': '4:memory:/user.slice\n2:cpuacct:/user.slice\n' });
    expect(await cgroupStats(ID, 9, join(dir, 'sys'), join(dir, 'proc'))).toBeUndefined();
    expect(await cgroupStats(ID, 10, join(dir, 'sys'), join(dir, 'proc'))).toBeUndefined();
    expect(await cgroupStats(ID, 0, join(dir, 'sys'), join(dir, 'proc'))).toBeUndefined();
  });
});
