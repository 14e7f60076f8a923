// `jobyard server --no-agent --simulated-nodes 2`, a real process: Jobs whose pods tolerate the
// simulated taint run on sim-node-0/1 without containers (kwok-like), exit codes fail them as a
// kubelet would, pods without the toleration stay off those nodes, and a kill -9 loses no pod.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Node, Pod } from '../../api/index.js';
import { RestClientset, loadKubeconfig } from '../../client/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

const TOLERATION = { key: 'node.jobyard.io/simulated', operator: 'Exists', effect: 'NoSchedule' };

let server: JobyardServer;
let cs: RestClientset;

beforeAll(async () => {
  server = await JobyardServer.start({ args: ['--no-agent', '--simulated-nodes', '2'] });
  cs = new RestClientset(loadKubeconfig(server.kubeconfig));
});

afterAll(async () => {
  cs?.close();
  await server?.stop();
});

function job(name: string, o: { completions: number; parallelism: number; duration?: string; exitCode?: string; backoffLimit?: number }): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completions: o.completions,
      parallelism: o.parallelism,
      backoffLimit: o.backoffLimit ?? 6,
      template: {
        metadata: { annotations: { ...(o.duration ? { 'simulated.jobyard.io/duration': o.duration } : {}), ...(o.exitCode ? { 'simulated.jobyard.io/exit-code': o.exitCode } : {}) } },
        spec: { restartPolicy: 'Never', tolerations: [TOLERATION], containers: [{ name: 'main', image: 'busybox:1.36', command: ['true'] }] },
      },
    },
  } as Job;
}

const finished = (j: Job) => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

describe('simulated nodes', () => {
  it('registers sim-node-0 and sim-node-1: Ready, tainted, labelled, simulated nodeInfo', async () => {
    const nodes = (await cs.nodes.list()).items;
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['sim-node-0', 'sim-node-1']);
    for (const n of nodes as Node[]) {
      expect(n.metadata.labels).toMatchObject({ type: 'simulated', 'node.jobyard.io/simulated': 'true' });
      expect(n.spec?.taints).toEqual([{ key: 'node.jobyard.io/simulated', value: 'true', effect: 'NoSchedule' }]);
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.status?.allocatable).toMatchObject({ cpu: '32', memory: '256Gi', pods: '1000' });
      expect(n.status?.nodeInfo?.containerRuntimeVersion).toBe('simulated://0');
    }
  });

  it('runs a Job of 20 completions at parallelism 5 to Complete with 20 succeeded pods', async () => {
    await cs.jobs.namespace('default').create(job('twenty', { completions: 20, parallelism: 5, duration: '100ms' }));
    const done = await waitFor('Job twenty finished', async () => {
      const j = await cs.jobs.namespace('default').get('twenty');
      return finished(j) ? j : undefined;
    }, 60_000);
    expect(finished(done)?.type).toBe('Complete');
    expect(done.status?.succeeded).toBe(20);
    expect(done.status?.failed ?? 0).toBe(0);
    const pods = (await cs.pods.namespace('default').list({ labelSelector: 'batch.kubernetes.io/job-name=twenty' })).items as Pod[];
    expect(pods.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(20);
    for (const p of pods) {
      expect(p.spec.nodeName).toMatch(/^sim-node-[01]$/);
      const cstat = p.status?.containerStatuses?.[0];
      expect(cstat?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(cstat?.containerID).toMatch(/^simulated:\/\//);
      expect(p.status?.podIP).toMatch(/^10\.244\./);
      expect(p.status?.hostIP).toMatch(/^172\.30\./);
    }
  });

  it('fails a Job whose pod exits 1 with backoffLimit 0: BackoffLimitExceeded', async () => {
    await cs.jobs.namespace('default').create(job('fails', { completions: 1, parallelism: 1, duration: '0s', exitCode: '1', backoffLimit: 0 }));
    const done = await waitFor('Job fails finished', async () => {
      const j = await cs.jobs.namespace('default').get('fails');
      return finished(j) ? j : undefined;
    }, 60_000);
    expect(finished(done)).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    const pods = (await cs.pods.namespace('default').list({ labelSelector: 'batch.kubernetes.io/job-name=fails' })).items as Pod[];
    expect(pods[0]?.status?.phase).toBe('Failed');
    expect(pods[0]?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('leaves a pod without the toleration unscheduled', async () => {
    await cs.pods.namespace('default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'intolerant' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] },
    } as Pod);
    const pod = await waitFor('PodScheduled=False', async () => {
      const p = await cs.pods.namespace('default').get('intolerant');
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False') ? p : undefined;
    });
    expect(pod.spec.nodeName ?? '').toBe('');
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toMatch(/untolerated taint \{node\.jobyard\.io\/simulated: true\}/);
  });

  it('reports an unusable annotation as CreateContainerConfigError with a Warning event', async () => {
    await cs.pods.namespace('default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad-duration', annotations: { 'simulated.jobyard.io/duration': 'soon' } },
      spec: { restartPolicy: 'Never', tolerations: [TOLERATION], containers: [{ name: 'main', image: 'busybox:1.36' }] },
    } as Pod);
    const pod = await waitFor('CreateContainerConfigError', async () => {
      const p = await cs.pods.namespace('default').get('bad-duration');
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' ? p : undefined;
    });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/simulated\.jobyard\.io\/duration: invalid duration "soon"/);
    await waitFor('the Warning event', async () => (await cs.events.namespace('default').list({ fieldSelector: 'involvedObject.name=bad-duration' })).items.find((e) => e.type === 'Warning' && e.reason === 'Failed'));
  });

  it('deletes a running pod gracefully: terminal status, then gone', async () => {
    await cs.pods.namespace('default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'forever' },
      spec: { restartPolicy: 'Never', tolerations: [TOLERATION], containers: [{ name: 'main', image: 'busybox:1.36' }] },
    } as Pod);
    await waitFor('Running', async () => (await cs.pods.namespace('default').get('forever')).status?.phase === 'Running');
    await cs.pods.namespace('default').delete('forever');
    await waitFor('pod gone', async () => !(await cs.pods.namespace('default').list()).items.some((p) => p.metadata.name === 'forever'));
  });

  it('picks up a Running pod again after kill -9 and ends it at its start time + duration', async () => {
    await cs.pods.namespace('default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'survivor', annotations: { 'simulated.jobyard.io/duration': '4s' } },
      spec: { restartPolicy: 'Never', tolerations: [TOLERATION], containers: [{ name: 'main', image: 'busybox:1.36' }] },
    } as Pod);
    const running = await waitFor('Running', async () => {
      const p = await cs.pods.namespace('default').get('survivor');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    await server.kill9();
    cs.close();
    server = await JobyardServer.start({ dataDir: server.dataDir, args: ['--no-agent', '--simulated-nodes', '2'] });
    cs = new RestClientset(loadKubeconfig(server.kubeconfig));
    const done = await waitFor('Succeeded', async () => {
      const p = await cs.pods.namespace('default').get('survivor');
      return p.status?.phase === 'Succeeded' ? p : undefined;
    }, 60_000);
    const term = done.status?.containerStatuses?.[0]?.state?.terminated;
    const startedAt = running.status?.containerStatuses?.[0]?.state?.running?.startedAt;
    expect(term?.startedAt).toBe(startedAt);
    expect(Date.parse(term!.finishedAt!) - Date.parse(startedAt!)).toBe(4000);
    expect(done.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});
