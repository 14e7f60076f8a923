// The test runtime switch (JOBYARD_TEST_RUNTIME), and on containerd: what a pod leaves on the
// node while it runs (sandbox, netns, CNI IP allocation, as `scripts/containerd.sh status --json`
// reports them) and that the harness's clean-up leaves none of it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { removeCriLeftovers, runtimeArgs, TEST_CRI_ENDPOINT, TEST_RUNTIME, testRuntime } from './test-runtime.js';

const execFileAsync = promisify(execFile);
const CONTAINERD_SH = resolve(import.meta.dirname, '..', '..', 'scripts', 'containerd.sh');

interface ContainerdStatus {
  running: boolean;
  sandboxes: string[];
  containers: string[];
  tasks: string[];
  netns: string[];
  ipAllocations: string[];
  mounts: string[];
}

async function containerdStatus(): Promise<ContainerdStatus> {
  // Exit 3 (not running) still prints the JSON.
  const out = await execFileAsync(CONTAINERD_SH, ['status', '--json']).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(out.stdout) as ContainerdStatus;
}

describe('JOBYARD_TEST_RUNTIME', () => {
  it('is docker unless set to containerd, and refuses anything else', () => {
    expect(testRuntime({})).toBe('docker');
    expect(testRuntime({ JOBYARD_TEST_RUNTIME: 'docker' })).toBe('docker');
    expect(testRuntime({ JOBYARD_TEST_RUNTIME: 'containerd' })).toBe('containerd');
    expect(() => testRuntime({ JOBYARD_TEST_RUNTIME: 'containerD' })).toThrow("JOBYARD_TEST_RUNTIME must be docker or containerd, not 'containerD'");
  });

  it("adds --runtime containerd and the endpoint to a server's arguments unless the test chose a runtime", () => {
    expect(runtimeArgs(['--no-cluster-dns'], 'docker')).toEqual([]);
    expect(runtimeArgs([], 'containerd')).toEqual(['--runtime', 'containerd', '--container-runtime-endpoint', TEST_CRI_ENDPOINT]);
    expect(runtimeArgs(['--runtime', 'docker'], 'containerd')).toEqual([]);
    expect(runtimeArgs(['--runtime=docker'], 'containerd')).toEqual([]);
    expect(runtimeArgs(['--container-runtime-endpoint=unix:///x.sock'], 'containerd')).toEqual(['--runtime', 'containerd']);
  });
});

// Runs where the servers run on containerd (the docker tier with JOBYARD_TEST_RUNTIME=containerd).
describe.runIf(TEST_RUNTIME === 'containerd')('containerd leftovers (scripts/containerd.sh status) and the harness clean-up', () => {
  it("a running sandbox holds a netns and a CNI IP; removeCriLeftovers removes the agent's sandboxes, their logs and volumes, and only those", async () => {
    const { connectCri } = await import('../../agent/runtime/cri/client.js');
    const cri = connectCri(TEST_CRI_ENDPOINT);
    const suffix = `${process.pid}-${Date.now()}`;
    const ours = `leftovers-test-${suffix}`;
    const other = `leftovers-other-${suffix}`;
    const logRoot = '/var/log/jobyard/pods';
    const run = async (agent: string, name: string) => {
      const metadata = { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 };
      const config = { metadata, hostname: name, log_directory: join(logRoot, `default_${name}_uid-${name}`), labels: { 'jobyard.io/agent': agent }, linux: {} };
      const { pod_sandbox_id: id } = await cri.runtime.RunPodSandbox({ config });
      const status = await cri.runtime.PodSandboxStatus({ pod_sandbox_id: id });
      return { id, ip: status.status?.network?.ip ?? '', logDir: config.log_directory };
    };
    try {
      const mine = await run(ours, `mine-${suffix}`);
      const theirs = await run(other, `theirs-${suffix}`);
      mkdirSync(mine.logDir, { recursive: true });
      writeFileSync(join(mine.logDir, 'marker'), '');
      const { HostVolumes } = await import('../../agent/runtime/host-volumes/index.js');
      const volumes = new HostVolumes({ root: '/var/lib/jobyard/cri/volumes' });
      await volumes.createVolume({ name: `vol-${suffix}`, labels: { 'jobyard.io/agent': ours } });

      const during = await containerdStatus();
      expect(during.running).toBe(true);
      expect(during.sandboxes).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(during.ipAllocations).toEqual(expect.arrayContaining([mine.ip, theirs.ip]));
      expect(during.netns.length).toBeGreaterThanOrEqual(2);

      await removeCriLeftovers(ours);

      const after = await containerdStatus();
      expect(after.sandboxes).not.toContain(mine.id);
      expect(after.ipAllocations).not.toContain(mine.ip);
      expect(existsSync(mine.logDir)).toBe(false);
      expect(await volumes.listVolumes({ 'jobyard.io/agent': ours })).toEqual([]);
      // Another agent's sandbox is not ours to remove.
      expect(after.sandboxes).toContain(theirs.id);
      expect(after.ipAllocations).toContain(theirs.ip);

      await removeCriLeftovers(other);
      const end = await containerdStatus();
      expect(end.sandboxes).not.toContain(theirs.id);
      expect(end.ipAllocations).not.toContain(theirs.ip);
    } finally {
      await removeCriLeftovers(ours);
      await removeCriLeftovers(other);
      cri.close();
    }
  }, 60_000);
});
