// Generic ephemeral volumes (KEP-1698) on a real `jobyard server` and the machine's Docker engine,
// through kubectl: the ephemeral volume controller creates the pod's claim, the local provisioner
// binds it, the node mounts it; the garbage collector deletes the claim with the pod, and the
// provisioner the claim's runtime volume with the claim. A claim of that name the pod does not
// control is never used.
import type { PersistentVolumeClaim } from '../../api/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobyardServer } from '../support/jobyard-server.js';
import { BUSYBOX, apply, containerVolumeMounts, engineVolumes, eventsFor, getPod, kubectl, namespace, pod, removeAgentLeftovers, startAgentServer, waitFor, waitPod } from './agent-harness.js';

let server: JobyardServer;

beforeAll(async () => {
  server = await startAgentServer();
});

afterAll(async () => {
  if (server) {
    await server.stop();
    await removeAgentLeftovers(server.dataDir);
  }
});

const template = {
  metadata: { labels: { type: 'scratch-volume' } },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};

async function claim(n: string, name: string): Promise<PersistentVolumeClaim | undefined> {
  const r = await server.kubectl(['get', 'pvc', name, '-n', n, '-o', 'json']);
  if (r.code !== 0) {
    if (r.stderr.includes('NotFound')) return undefined;
    throw new Error(`kubectl get pvc ${name} failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as PersistentVolumeClaim;
}

async function volumeExists(name: string): Promise<boolean> {
  return (await engineVolumes()).includes(name);
}

describe('generic ephemeral volumes', () => {
  it('the pod gets its own Bound claim <pod>-<volume>, writes to it, and the claim and its volume go with the pod', async () => {
    const n = 'eph-1';
    await apply(server, namespace(n));
    await apply(
      server,
      pod(n, 'scratch-user', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'echo written > /scratch/file; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
        volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: template } }],
      }),
    );
    const running = await waitPod(server, n, 'scratch-user', 'running', (p) => !!p.status?.containerStatuses?.every((s) => s.state?.running));
    await waitFor('the file written', async () => (await kubectl(server, ['exec', '-n', n, 'scratch-user', '--', 'cat', '/scratch/file'])) === 'written\n');

    const pvc = await claim(n, 'scratch-user-scratch');
    expect(pvc?.status?.phase).toBe('Bound');
    expect(pvc?.metadata.labels).toEqual({ type: 'scratch-volume' });
    expect(pvc?.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(pvc?.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'scratch-user', uid: running.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const claimVolume = pvc?.spec.volumeName ?? '';
    expect(claimVolume).toBe(`pvc-${pvc?.metadata.uid}`);
    expect(await volumeExists(claimVolume)).toBe(true);
    // The container really mounts the claim's volume.
    const [containerId] = (running.status?.containerStatuses ?? []).map((s) => s.containerID ?? '');
    const mounts = await containerVolumeMounts(containerId!);
    expect(mounts).toContainEqual([claimVolume, '/scratch']);

    await kubectl(server, ['delete', 'pod', 'scratch-user', '-n', n, '--wait']);
    await waitFor('the claim deleted by the garbage collector', async () => (await claim(n, 'scratch-user-scratch')) === undefined, 60_000, 500);
    // The provisioner removes the volume when the claim goes (retried while a container still holds it).
    await waitFor('the claim volume removed', async () => !(await volumeExists(claimVolume)), 90_000, 500);
  });

  it('a claim of that name the pod does not control is left alone, and the pod does not start (FailedBinding, FailedMount)', async () => {
    const n = 'eph-2';
    await apply(server, namespace(n));
    await apply(server, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'blocked-scratch', namespace: n }, spec: template.spec });
    await apply(
      server,
      pod(n, 'blocked', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: BUSYBOX, command: ['true'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
        volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: template } }],
      }),
    );
    const message = `PVC ${n}/blocked-scratch was not created for pod ${n}/blocked (pod is not owner)`;
    const events = await waitFor('FailedBinding and FailedMount', async () => {
      const e = await eventsFor(server, n, 'blocked');
      return e.includes(`FailedBinding: ephemeral volume scratch: ${message}`) && e.includes(`FailedMount: MountVolume.SetUp failed for volume "scratch" : ${message}`) ? e : undefined;
    });
    expect(events.length).toBeGreaterThanOrEqual(2);
    const p = await getPod(server, n, 'blocked');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    const pvc = await claim(n, 'blocked-scratch');
    expect(pvc?.metadata.ownerReferences).toBeUndefined();
    expect(pvc?.metadata.labels).toBeUndefined();
    // Deleting the pod leaves the foreign claim.
    await kubectl(server, ['delete', 'pod', 'blocked', '-n', n, '--wait']);
    expect((await claim(n, 'blocked-scratch'))?.metadata.uid).toBe(pvc?.metadata.uid);
  });

  it('a pod without volumeClaimTemplate or with an invalid claim spec is refused (422 with the field paths), nothing stored', async () => {
    const n = 'eph-3';
    await apply(server, namespace(n));
    const bad = pod(n, 'bad', {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }],
      volumes: [{ name: 'a', ephemeral: {} }, { name: 'b', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }],
    });
    const r = await server.kubectl(['create', '-f', '-'], JSON.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is invalid');
    expect(r.stderr).toContain('spec.volumes[0].ephemeral.volumeClaimTemplate: Required value');
    expect(r.stderr).toContain('spec.volumes[1].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value');
    const get = await server.kubectl(['get', 'pod', 'bad', '-n', n]);
    expect(get.stderr).toContain('NotFound');
  });
});
