// downwardAPI and projected volumes, volume types the node never mounts, host ports and named
// probe ports, with real containers: a real `jobyard server` on the machine's Docker engine,
// driven with kubectl as the Kubernetes documentation does.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobyardServer } from '../support/jobyard-server.js';
import { BUSYBOX, apply, eventsFor, kubectl, namespace, phaseIs, pod, removeAgentLeftovers, startAgentServer, waitFor, waitPod } from './agent-harness.js';

let server: JobyardServer;
let seq = 0;

async function ns(): Promise<string> {
  const name = `vol-${++seq}`;
  await apply(server, namespace(name));
  return name;
}

const exec = (n: string, name: string, script: string) => kubectl(server, ['exec', '-n', n, name, '--', 'sh', '-c', script]);
const isRunning = (p: { status?: { containerStatuses?: { state?: { running?: unknown } }[] } }) => !!p.status?.containerStatuses?.every((s) => s.state?.running);

/** A TCP port nothing listens on now (the kernel's choice, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '0.0.0.0', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  server = await startAgentServer();
});

afterAll(async () => {
  if (server) {
    await server.stop();
    await removeAgentLeftovers(server.dataDir);
  }
});

describe('downwardAPI volumes', () => {
  // "Expose Pod Information to Containers Through Files" (kubernetes.io), its first example,
  // plus resource items and a mode.
  it('the documentation example: labels and annotations in files, a label changed with kubectl shows up in the file', async () => {
    const n = await ns();
    await apply(server, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'kubernetes-downwardapi-volume-example',
        namespace: n,
        labels: { zone: 'us-est-coast', cluster: 'test-cluster1', rack: 'rack-22' },
        annotations: { build: 'two', builder: 'john-doe' },
      },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'client-container',
            image: BUSYBOX,
            command: ['sh', '-c'],
            args: ['while true; do if [ -e /etc/podinfo/labels ]; then echo -en \'\\n\\n\'; cat /etc/podinfo/labels; fi; if [ -e /etc/podinfo/annotations ]; then echo -en \'\\n\\n\'; cat /etc/podinfo/annotations; fi; sleep 5; done;'],
            resources: { limits: { cpu: '250m' }, requests: { memory: '32Mi' } },
            volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }],
          },
        ],
        volumes: [
          {
            name: 'podinfo',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
                { path: 'meta/rack', fieldRef: { fieldPath: "metadata.labels['rack']" }, mode: 0o400 },
                { path: 'cpu_limit', resourceFieldRef: { containerName: 'client-container', resource: 'limits.cpu', divisor: '1m' } },
                { path: 'mem_request', resourceFieldRef: { containerName: 'client-container', resource: 'requests.memory', divisor: '1Mi' } },
                { path: 'mem_limit', resourceFieldRef: { containerName: 'client-container', resource: 'limits.memory' } },
              ],
            },
          },
        ],
      },
    });
    const name = 'kubernetes-downwardapi-volume-example';
    await waitPod(server, n, name, 'running', isRunning);
    expect(await exec(n, name, 'cat /etc/podinfo/labels')).toBe('cluster="test-cluster1"\nrack="rack-22"\nzone="us-est-coast"');
    expect(await exec(n, name, 'cat /etc/podinfo/annotations')).toContain('build="two"\nbuilder="john-doe"');
    expect(await exec(n, name, 'cat /etc/podinfo/meta/rack; echo; stat -L -c %a /etc/podinfo/meta/rack /etc/podinfo/labels')).toBe('rack-22\n400\n644\n');
    expect(await exec(n, name, 'cat /etc/podinfo/cpu_limit; echo; cat /etc/podinfo/mem_request')).toBe('250\n32');
    // No memory limit: the node's allocatable memory, as upstream.
    expect(Number(await exec(n, name, 'cat /etc/podinfo/mem_limit'))).toBeGreaterThan(64 * 1024 * 1024);
    // The atomic writer's layout: the files are links into ..data, itself a link to one timestamped directory.
    expect(await exec(n, name, 'readlink /etc/podinfo/labels; readlink /etc/podinfo/..data | cut -c1-4')).toBe('..data/labels\n..20\n');
    // The container's own output shows them too (the example's `kubectl logs`).
    await waitFor('the labels in the log', async () => (await kubectl(server, ['logs', '-n', n, name])).includes('rack="rack-22"'));

    const before = await exec(n, name, 'readlink /etc/podinfo/..data');
    await kubectl(server, ['label', 'pod', '-n', n, name, 'rack=rack-23', 'release=stable', '--overwrite']);
    await kubectl(server, ['annotate', 'pod', '-n', n, name, 'builder=jane-doe', '--overwrite']);
    const labels = await waitFor(
      'the changed label in the file',
      async () => {
        const text = await exec(n, name, 'cat /etc/podinfo/labels');
        return text.includes('rack="rack-23"') && text;
      },
      30_000,
      500,
    );
    expect(labels).toBe('cluster="test-cluster1"\nrack="rack-23"\nrelease="stable"\nzone="us-est-coast"');
    await waitFor('the changed annotation in the file', async () => (await exec(n, name, 'cat /etc/podinfo/annotations')).includes('builder="jane-doe"'), 30_000, 500);
    expect(await exec(n, name, 'cat /etc/podinfo/meta/rack')).toBe('rack-23');
    // One data directory left, not the one before: the old payload was removed after the switch.
    const dirs = (await exec(n, name, 'ls -a /etc/podinfo | grep "^\\.\\.2"')).trim().split('\n');
    expect(dirs).toHaveLength(1);
    expect(dirs[0]).not.toBe(before.trim());
  });
});

describe('projected volumes', () => {
  it('configMap + secret + downwardAPI in one directory; a changed ConfigMap is written again', async () => {
    const n = await ns();
    await apply(
      server,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'myconfigmap', namespace: n }, data: { config: 'v1' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mysecret', namespace: n }, stringData: { username: 'admin', password: 's3cret' } },
      {
        ...pod(n, 'volume-test', {
          containers: [{ name: 'container-test', image: BUSYBOX, command: ['sleep', '3600'], volumeMounts: [{ name: 'all-in-one', mountPath: '/projected-volume', readOnly: true }] }],
          volumes: [
            {
              name: 'all-in-one',
              projected: {
                defaultMode: 0o440,
                sources: [
                  { secret: { name: 'mysecret', items: [{ key: 'username', path: 'my-group/my-username' }, { key: 'password', path: 'my-group/my-password', mode: 0o400 }] } },
                  { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu_limit', resourceFieldRef: { containerName: 'container-test', resource: 'limits.cpu' } }] } },
                  { configMap: { name: 'myconfigmap', items: [{ key: 'config', path: 'my-group/my-config' }] } },
                  { configMap: { name: 'absent', optional: true } },
                ],
              },
            },
          ],
        }),
        metadata: { name: 'volume-test', namespace: n, labels: { app: 'projected' } },
      },
    );
    await waitPod(server, n, 'volume-test', 'running', isRunning);
    const dir = '/projected-volume';
    expect(await exec(n, 'volume-test', `cd ${dir}; cat my-group/my-username; echo; cat my-group/my-password; echo; cat my-group/my-config; echo; cat labels`)).toBe('admin\ns3cret\nv1\napp="projected"');
    expect(await exec(n, 'volume-test', `cd ${dir}; stat -L -c '%n %a' my-group/my-username my-group/my-password labels`)).toBe('my-group/my-username 440\nmy-group/my-password 400\nlabels 440\n');
    // No cpu limit: the node's allocatable CPUs (divisor 1: whole cores, rounded up).
    expect(Number(await exec(n, 'volume-test', `cat ${dir}/cpu_limit`))).toBeGreaterThanOrEqual(1);
    // The secret lives on a tmpfs; the volume is read-only.
    expect(await exec(n, 'volume-test', `grep ' ${dir} ' /proc/mounts | cut -d' ' -f3; touch ${dir}/x 2>/dev/null && echo writable || echo read-only`)).toBe('tmpfs\nread-only\n');

    await kubectl(server, ['patch', 'configmap', '-n', n, 'myconfigmap', '-p', '{"data":{"config":"v2"}}']);
    await waitFor('the new ConfigMap value in the file', async () => (await exec(n, 'volume-test', `cat ${dir}/my-group/my-config`)) === 'v2', 30_000, 500);
  });

  it('refused at validation: two sources at one path (upstream: conflicting duplicate paths)', async () => {
    const n = await ns();
    const err = await kubectl(server, ['apply', '-f', '-'], JSON.stringify(pod(n, 'clash', {
      containers: [{ name: 'c', image: BUSYBOX }],
      volumes: [{ name: 'v', projected: { sources: [{ configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] } }, { downwardAPI: { items: [{ path: 'same', fieldRef: { fieldPath: 'metadata.name' } }] } }] } }],
    }))).catch((e: Error) => e.message);
    expect(err).toContain('spec.volumes[0].projected: Invalid value: "same": conflicting duplicate paths');
  });
});

describe('volume types the node never mounts', () => {
  it('a gcePersistentDisk volume fails the pod quickly with a FailedMount event naming the type', async () => {
    const n = await ns();
    const started = Date.now();
    await apply(server, pod(n, 'cloud-disk', { containers: [{ name: 'c', image: BUSYBOX, command: ['true'], volumeMounts: [{ name: 'disk', mountPath: '/data' }] }], volumes: [{ name: 'disk', gcePersistentDisk: { pdName: 'my-data-disk', fsType: 'ext4' } }] }));
    const p = await waitPod(server, n, 'cloud-disk', 'Failed', phaseIs('Failed'), 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(p.status?.reason).toBe('UnsupportedVolume');
    expect(p.status?.message).toBe('MountVolume.SetUp failed for volume "disk" : no volume plugin matched: gcePersistentDisk volumes are not supported by this node');
    expect(await eventsFor(server, n, 'cloud-disk')).toContain('FailedMount: MountVolume.SetUp failed for volume "disk" : no volume plugin matched: gcePersistentDisk volumes are not supported by this node');
    expect(p.status?.containerStatuses?.[0]?.state?.running).toBeUndefined();
  });

  it('a missing ConfigMap is transient: FailedMount events, the pod waits, and starts once it exists', async () => {
    const n = await ns();
    await apply(server, pod(n, 'waits', { restartPolicy: 'Never', containers: [{ name: 'c', image: BUSYBOX, command: ['cat', '/cfg/k'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }], volumes: [{ name: 'cfg', configMap: { name: 'later' } }] }));
    await waitFor('the FailedMount event', async () => (await eventsFor(server, n, 'waits')).includes('FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "later" not found'));
    expect((await kubectl(server, ['get', 'pod', '-n', n, 'waits', '-o', 'jsonpath={.status.phase}']))).toBe('Pending');
    await apply(server, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: n }, data: { k: 'here' } });
    await waitPod(server, n, 'waits', 'Succeeded', phaseIs('Succeeded'), 60_000);
    expect(await kubectl(server, ['logs', '-n', n, 'waits'])).toBe('here');
  });
});

describe('container ports', () => {
  it('a hostPort answers on the host; probes find the port by its name', async () => {
    // Pod Security's baseline level refuses host ports: the namespace is privileged.
    const n = `vol-${++seq}`;
    await apply(server, { ...namespace(n), metadata: { name: n, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const hostPort = await freePort();
    await apply(
      server,
      pod(n, 'web', {
        containers: [
          {
            name: 'web',
            image: BUSYBOX,
            command: ['sh', '-c', 'mkdir -p /www; echo hello-from-pod > /www/index.html; exec httpd -f -p 8080 -h /www'],
            ports: [{ name: 'http', containerPort: 8080, hostPort }],
            readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
            livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 1 },
          },
        ],
      }),
    );
    await waitPod(server, n, 'web', 'Ready', (p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 60_000);
    const body = await waitFor('the pod through its host port', async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/index.html`).catch(() => undefined);
      return res?.ok ? res.text() : undefined;
    }, 20_000);
    expect(body).toBe('hello-from-pod\n');
    // The liveness probe by name kept it running: no restart, no Unhealthy event.
    const p = await kubectl(server, ['get', 'pod', '-n', n, 'web', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
    expect(p).toBe('0');
    expect((await eventsFor(server, n, 'web')).filter((e) => e.startsWith('Unhealthy'))).toEqual([]);
  });
});
