// The engine test servers run pods on: Docker by default; JOBYARD_TEST_RUNTIME=containerd runs
// them on jobyard's containerd through the CRI (`jobyard server --runtime containerd`; set up by
// scripts/containerd.sh start, its socket in JOBYARD_TEST_CRI_ENDPOINT if elsewhere), so the
// docker tier and the servers of the other tiers run unchanged on either engine.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export type TestRuntime = 'docker' | 'containerd';

/** JOBYARD_TEST_RUNTIME, checked: a misspelt value fails the run rather than testing Docker twice. */
export function testRuntime(env: NodeJS.ProcessEnv = process.env): TestRuntime {
  const value = env.JOBYARD_TEST_RUNTIME ?? '';
  if (value === '' || value === 'docker') return 'docker';
  if (value === 'containerd') return 'containerd';
  throw new Error(`JOBYARD_TEST_RUNTIME must be docker or containerd, not '${value}'`);
}

export const TEST_RUNTIME: TestRuntime = testRuntime();

/** jobyard's containerd (scripts/containerd.sh), unless JOBYARD_TEST_CRI_ENDPOINT names another CRI socket. */
export const TEST_CRI_ENDPOINT = process.env.JOBYARD_TEST_CRI_ENDPOINT || 'unix:///run/jobyard/containerd/containerd.sock';

/** Where the node keeps CRI pod logs and volumes (agent/runtime/cri's defaults). */
export const CRI_LOG_ROOT = '/var/log/jobyard/pods';
export const CRI_VOLUME_ROOT = '/var/lib/jobyard/cri/volumes';

/** `jobyard server` arguments choosing the test runtime, unless the test chose one itself. */
export function runtimeArgs(args: readonly string[], runtime: TestRuntime = TEST_RUNTIME): string[] {
  if (runtime === 'docker' || args.some((a) => a === '--runtime' || a.startsWith('--runtime='))) return [];
  return ['--runtime', 'containerd', ...(args.some((a) => a.startsWith('--container-runtime-endpoint')) ? [] : ['--container-runtime-endpoint', TEST_CRI_ENDPOINT])];
}

/** The CRI runtime answers and holds `image` (scripts/containerd.sh imports busybox and the pause image); throws with what to run. */
export async function requireCriRuntime(image: string): Promise<void> {
  const { connectCri } = await import('../../agent/runtime/cri/client.js');
  const cri = connectCri(TEST_CRI_ENDPOINT, { timeoutMs: 10_000 });
  try {
    try {
      await cri.runtime.Version({});
    } catch (err) {
      throw new Error(`no CRI runtime answers at ${TEST_CRI_ENDPOINT} (${(err as Error).message}): run scripts/containerd.sh start`, { cause: err });
    }
    const { image: found } = await cri.images.ImageStatus({ image: { image } });
    if (!found) throw new Error(`image ${image} is missing in containerd's k8s.io namespace: run scripts/containerd.sh images`);
  } finally {
    cri.close();
  }
}

/**
 * Removes what the agent `instance` left on the CRI runtime: its sandboxes (stopped first, so
 * the runtime tears down their network: CNI IPs, netns) with their containers, their log
 * directories, and its host volumes.
 */
export async function removeCriLeftovers(instance: string): Promise<void> {
  const { connectCri } = await import('../../agent/runtime/cri/client.js');
  const cri = connectCri(TEST_CRI_ENDPOINT, { timeoutMs: 60_000 });
  try {
    const { items } = await cri.runtime.ListPodSandbox({ filter: { label_selector: { 'jobyard.io/agent': instance } } });
    for (const sandbox of items ?? []) {
      await cri.runtime.StopPodSandbox({ pod_sandbox_id: sandbox.id }).catch(() => undefined);
      await cri.runtime.RemovePodSandbox({ pod_sandbox_id: sandbox.id }).catch(() => undefined);
      const m = sandbox.metadata;
      if (m) rmSync(join(CRI_LOG_ROOT, `${m.namespace}_${m.name}_${m.uid}`), { recursive: true, force: true });
    }
  } finally {
    cri.close();
  }
  const { HostVolumes } = await import('../../agent/runtime/host-volumes/index.js');
  const volumes = new HostVolumes({ root: CRI_VOLUME_ROOT, refuseInUse: false });
  for (const v of await volumes.listVolumes({ 'jobyard.io/agent': instance }).catch(() => [])) {
    await volumes.removeVolume(v.name).catch(() => undefined);
  }
}
