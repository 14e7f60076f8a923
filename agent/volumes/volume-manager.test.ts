import { describe, expect, it } from 'vitest';
import type { ConfigMap, PersistentVolumeClaim, Pod, Secret, Volume } from '../../api/index.js';
import { FakeClock, notFound } from '../../machinery/index.js';
import { FakeRuntime } from '../runtime/testing/index.js';
import { FakeHostFS } from '../testing/harness.js';
import { atomicWriterFiles, makePayload } from './atomic-writer.js';
import { UnsupportedVolumeError, VolumeManager } from './volume-manager.js';

const cm: ConfigMap = { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'debug=true', other: 'x' } };
const secret: Secret = { metadata: { name: 'creds', namespace: 'ns' }, data: { password: Buffer.from('s3cret').toString('base64') } };
const bound: PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'ns' }, spec: { volumeName: 'pvc-123' }, status: { phase: 'Bound' } };
const pending: PersistentVolumeClaim = { metadata: { name: 'waiting', namespace: 'ns' }, spec: {}, status: { phase: 'Pending' } };
// Generic ephemeral volumes' claims `<pod>-<volume>`: one the pod (uid u1) controls, one it does not.
const podRef = { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' };
const ephemeralOwned: PersistentVolumeClaim = { metadata: { name: 'p-scratch', namespace: 'ns', ownerReferences: [{ ...podRef, controller: true }] }, spec: { volumeName: 'pvc-456' }, status: { phase: 'Bound' } };
const ephemeralForeign: PersistentVolumeClaim = { metadata: { name: 'p-other', namespace: 'ns', ownerReferences: [podRef] }, spec: { volumeName: 'pvc-789' }, status: { phase: 'Bound' } };

function setup() {
  const runtime = new FakeRuntime({ clock: new FakeClock('2026-01-01T00:00:00Z'), autoAdvance: false });
  const hostFS = new FakeHostFS(runtime);
  const vm = new VolumeManager({
    runtime,
    hostFS,
    now: () => new Date('2026-01-01T00:00:00Z'),
    config: {
      getConfigMap: async (_ns, name) => (name === 'cfg' ? cm : Promise.reject(notFound('configmaps', '', name))),
      getSecret: async (_ns, name) => (name === 'creds' ? secret : Promise.reject(notFound('secrets', '', name))),
    },
    getClaim: async (_ns, name) => [bound, pending, ephemeralOwned, ephemeralForeign].find((c) => c.metadata.name === name) ?? Promise.reject(notFound('persistentvolumeclaims', '', name)),
  });
  return { runtime, hostFS, vm };
}

const pod = (volumes: Volume[]): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [], volumes } });

describe('VolumeManager', () => {
  it('emptyDir: a runtime volume of the pod; Memory is a tmpfs with the size limit', async () => {
    const { runtime, vm } = setup();
    const plan = await vm.prepare(pod([{ name: 'scratch', emptyDir: {} }, { name: 'fast', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]));
    expect(await runtime.listVolumes()).toEqual([
      { name: 'jobyard-u1-scratch', medium: '', labels: { 'jobyard.io/volume-type': 'pod', 'io.kubernetes.pod.uid': 'u1', 'jobyard.io/volume-name': 'scratch' } },
      { name: 'jobyard-u1-fast', medium: 'Memory', sizeLimitBytes: 64 * 1024 * 1024, labels: { 'jobyard.io/volume-type': 'pod', 'io.kubernetes.pod.uid': 'u1', 'jobyard.io/volume-name': 'fast' } },
    ]);
    expect(plan.sandboxVolumes).toEqual(['jobyard-u1-fast']);
    expect(vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/work', subPath: 'a/b' }, { name: 'fast', mountPath: '/fast', readOnly: true }] }, plan)).toEqual([
      { type: 'volume', source: 'jobyard-u1-scratch', target: '/work', subPath: 'a/b' },
      { type: 'volume', source: 'jobyard-u1-fast', target: '/fast', readOnly: true },
    ]);
    await vm.cleanup('u1');
    expect(await runtime.listVolumes()).toEqual([]);
  });

  it('hostPath: type checks with upstream messages; *OrCreate creates', async () => {
    const { hostFS, vm } = setup();
    hostFS.dirs.add('/srv/data');
    await hostFS.writeFile('/etc/app.conf', 'x');
    hostFS.special.set('/run/app.sock', 'socket');
    await expect(vm.prepare(pod([{ name: 'd', hostPath: { path: '/srv/data', type: 'Directory' } }]))).resolves.toBeDefined();
    await expect(vm.prepare(pod([{ name: 'd', hostPath: { path: '/etc/app.conf', type: 'Directory' } }]))).rejects.toThrow(
      'MountVolume.SetUp failed for volume "d" : hostPath type check failed: /etc/app.conf is not a directory',
    );
    await expect(vm.prepare(pod([{ name: 'f', hostPath: { path: '/srv/data', type: 'File' } }]))).rejects.toThrow('hostPath type check failed: /srv/data is not a file');
    await expect(vm.prepare(pod([{ name: 's', hostPath: { path: '/etc/app.conf', type: 'Socket' } }]))).rejects.toThrow('is not a socket file');
    await expect(vm.prepare(pod([{ name: 's', hostPath: { path: '/run/app.sock', type: 'Socket' } }]))).resolves.toBeDefined();
    await expect(vm.prepare(pod([{ name: 'x', hostPath: { path: '/x', type: 'Bogus' } }]))).rejects.toThrow('Bogus is an invalid volume type');
    await vm.prepare(pod([{ name: 'n', hostPath: { path: '/srv/new', type: 'DirectoryOrCreate' } }, { name: 'm', hostPath: { path: '/srv/new.log', type: 'FileOrCreate' } }]));
    expect(await hostFS.stat('/srv/new')).toBe('directory');
    expect(await hostFS.stat('/srv/new.log')).toBe('file');
    const plan = await vm.prepare(pod([{ name: 'd', hostPath: { path: '/srv/data' } }]));
    expect(vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'd', mountPath: '/data', subPath: 'sub', readOnly: true }] }, plan)).toEqual([{ type: 'bind', source: '/srv/data/sub', target: '/data', readOnly: true }]);
  });

  it('configMap and secret: Memory volumes written through the sandbox, read-only, keys as files', async () => {
    const { runtime, vm } = setup();
    const plan = await vm.prepare(
      pod([
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
        { name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } },
      ]),
    );
    expect((await runtime.listVolumes()).map((v) => [v.name, v.medium])).toEqual([
      ['jobyard-u1-cfg', 'Memory'],
      ['jobyard-u1-sec', 'Memory'],
    ]);
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 0 }, hostname: 'p', volumes: plan.sandboxVolumes });
    await vm.populate(sandbox, plan);
    runtime.addImage('x:1', { config: { cmd: ['/app'] } });
    const seen: Record<string, string | undefined> = {};
    runtime.program(['/app'], (p) => {
      seen.conf = p.readFile('/etc/cfg/conf/app.conf');
      seen.other = p.readFile('/etc/cfg/other');
      seen.password = p.readFile('/secrets/password');
    });
    const mounts = vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }, { name: 'sec', mountPath: '/secrets' }] }, plan);
    expect(mounts.every((m) => 'readOnly' in m && m.readOnly)).toBe(true);
    const id = await runtime.createContainer(sandbox, { metadata: { name: 'c', attempt: 0 }, image: 'x:1', mounts });
    await runtime.startContainer(id);
    await runtime.waitContainer(id);
    expect(seen).toEqual({ conf: 'debug=true', other: undefined, password: 's3cret' });
  });

  it.each<[string, Volume, string]>([
    ['a missing ConfigMap', { name: 'v', configMap: { name: 'absent' } }, 'MountVolume.SetUp failed for volume "v" : configmap "absent" not found'],
    ['a missing key', { name: 'v', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'x' }] } }, 'configmap references non-existent config key: nope'],
    ['a missing Secret', { name: 'v', secret: { secretName: 'absent' } }, 'secret "absent" not found'],
    ['a missing secret key', { name: 'v', secret: { secretName: 'creds', items: [{ key: 'nope', path: 'x' }] } }, 'references non-existent secret key: nope'],
    ['a missing claim', { name: 'v', persistentVolumeClaim: { claimName: 'absent' } }, 'persistentvolumeclaim "absent" not found'],
    ['an unbound claim', { name: 'v', persistentVolumeClaim: { claimName: 'waiting' } }, 'PVC ns/waiting has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")'],
    ['an unsupported kind', { name: 'v', nfs: { server: 's', path: '/' } }, 'MountVolume.SetUp failed for volume "v" : no volume plugin matched: nfs volumes are not supported by this node'],
  ])('%s fails the mount', async (_name, volume, message) => {
    await expect(setup().vm.prepare(pod([volume]))).rejects.toThrow(message);
  });

  it('optional ConfigMaps and Secrets may be missing', async () => {
    const plan = await setup().vm.prepare(pod([{ name: 'v', configMap: { name: 'absent', optional: true } }, { name: 's', secret: { secretName: 'absent', optional: true } }]));
    expect(plan.volumes.size).toBe(2);
  });

  it('a bound claim mounts its runtime volume (read-only when the pod says so)', async () => {
    const { vm } = setup();
    const plan = await vm.prepare(pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }]));
    expect(vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, plan)).toEqual([{ type: 'volume', source: 'pvc-123', target: '/data', readOnly: true }]);
  });

  it('ephemeral: the claim <pod>-<volume> the pod controls is mounted; a foreign one or none yet fails the mount (retried, not unsupported)', async () => {
    const { vm } = setup();
    const template = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const plan = await vm.prepare(pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: template } }]));
    expect(vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }, plan)).toEqual([{ type: 'volume', source: 'pvc-456', target: '/scratch' }]);
    const foreign = await vm.prepare(pod([{ name: 'other', ephemeral: { volumeClaimTemplate: template } }])).catch((e: unknown) => e);
    expect(foreign).not.toBeInstanceOf(UnsupportedVolumeError);
    expect((foreign as Error).message).toBe('MountVolume.SetUp failed for volume "other" : PVC ns/p-other was not created for pod ns/p (pod is not owner)');
    const missing = await vm.prepare(pod([{ name: 'later', ephemeral: { volumeClaimTemplate: template } }])).catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(UnsupportedVolumeError);
    expect((missing as Error).message).toBe('MountVolume.SetUp failed for volume "later" : persistentvolumeclaim "p-later" not found');
  });
});

describe('atomic writer layout', () => {
  it('files in a timestamped directory, ..data linking to it, top-level names linking into ..data', () => {
    const payload = makePayload({ a: Buffer.from('1'), b: Buffer.from('2') }, [{ key: 'a', path: 'dir/a.txt' }, { key: 'b', path: 'b' }], 0o440, false, (k) => k);
    const files = atomicWriterFiles(payload, new Date('2026-01-01T00:00:00.123Z'));
    expect(files.map((f) => [f.path, f.linkTarget ?? (f.isDirectory ? 'dir' : f.data?.toString()), f.mode])).toEqual([
      ['..2026_01_01_00_00_00.123000000', 'dir', 0o755],
      ['..2026_01_01_00_00_00.123000000/b', '2', 0o440],
      ['..2026_01_01_00_00_00.123000000/dir/a.txt', '1', 0o440],
      ['..data', '..2026_01_01_00_00_00.123000000', undefined],
      ['b', '..data/b', undefined],
      ['dir', '..data/dir', undefined],
    ]);
    expect(makePayload({ a: Buffer.from('1') }, undefined, undefined, false, (k) => k).files[0].mode).toBe(0o644);
  });

  it("hostPath over jobyard's data: read-only whatever the mount says, hidden under a directory that contains it; the engine's socket refused", async () => {
    const runtime = new FakeRuntime({ clock: new FakeClock('2026-01-01T00:00:00Z'), autoAdvance: false });
    const hostFS = Object.assign(new FakeHostFS(runtime), {
      // /srv/ok/link is a symlink to the data directory.
      realpath: async (p: string) => (p === '/srv/ok/link' || p.startsWith('/srv/ok/link/') ? `/home/u/.jobyard${p.slice('/srv/ok/link'.length)}` : p),
    });
    const vm = new VolumeManager({
      runtime,
      hostFS,
      now: () => new Date('2026-01-01T00:00:00Z'),
      config: { getConfigMap: () => Promise.reject(new Error('no')), getSecret: () => Promise.reject(new Error('no')) },
      getClaim: () => Promise.reject(new Error('no')),
      protectedDirs: ['/home/u/.jobyard'],
    });
    const p: Pod = {
      metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
      spec: {
        volumes: [{ name: 'home', hostPath: { path: '/home/u' } }, { name: 'ok', hostPath: { path: '/srv/ok' } }],
        containers: [{ name: 'c', volumeMounts: [{ name: 'home', mountPath: '/h', readOnly: false }, { name: 'ok', mountPath: '/ok' }] }],
      },
    };
    const plan = await vm.prepare(p);
    expect(vm.mountsFor(p.spec.containers[0], plan)).toEqual([
      { type: 'bind', source: '/home/u', target: '/h', readOnly: true },
      { type: 'tmpfs', target: '/h/.jobyard', sizeBytes: 4096, mode: 0o555 },
      { type: 'bind', source: '/srv/ok', target: '/ok' },
    ]);
    // Through a symlink, as a volume or a subPath: refused.
    const viaLink = { ...p, spec: { ...p.spec, volumes: [{ name: 'link', hostPath: { path: '/srv/ok/link' } }] } };
    await expect(vm.prepare(viaLink)).rejects.toThrow('MountVolume.SetUp failed for volume "link" : /home/u/.jobyard is inside /home/u/.jobyard, jobyard\'s data directory');
    const viaSubPath = { ...p, spec: { volumes: [{ name: 'ok', hostPath: { path: '/srv/ok' } }], containers: [{ name: 'c', volumeMounts: [{ name: 'ok', mountPath: '/v', subPath: 'link/pki' }] }] } };
    await expect(vm.prepare(viaSubPath)).rejects.toThrow('/home/u/.jobyard/pki is inside /home/u/.jobyard');
    const sock = { ...p, spec: { containers: [], volumes: [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }] } };
    await expect(vm.prepare(sock)).rejects.toThrow(
      'MountVolume.SetUp failed for volume "s" : /var/run/docker.sock is or holds /var/run/docker.sock, the container engine\'s socket or state: it is never mounted into a pod',
    );
  });

  it('hostPath: with the allow-list, a symlink in an allowed directory cannot lead elsewhere', async () => {
    const runtime = new FakeRuntime({ clock: new FakeClock('2026-01-01T00:00:00Z'), autoAdvance: false });
    const hostFS = Object.assign(new FakeHostFS(runtime), {
      realpath: async (p: string) => (p === '/srv/ok/etc' || p.startsWith('/srv/ok/etc/') ? `/etc${p.slice('/srv/ok/etc'.length)}` : p),
    });
    const vm = new VolumeManager({
      runtime,
      hostFS,
      now: () => new Date('2026-01-01T00:00:00Z'),
      config: { getConfigMap: () => Promise.reject(new Error('no')), getSecret: () => Promise.reject(new Error('no')) },
      getClaim: () => Promise.reject(new Error('no')),
      allowedHostPaths: ['/srv/ok'],
    });
    const mk = (path: string, subPath?: string): Pod => ({
      metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
      spec: { volumes: [{ name: 'h', hostPath: { path } }], containers: [{ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/m', ...(subPath ? { subPath } : {}) }] }] },
    });
    await expect(vm.prepare(mk('/srv/ok/data'))).resolves.toBeDefined();
    await expect(vm.prepare(mk('/srv/ok/etc'))).rejects.toThrow(
      'MountVolume.SetUp failed for volume "h" : hostPath /srv/ok/etc leads to /etc, which is not under a directory allowed by --allow-host-path',
    );
    await expect(vm.prepare(mk('/srv/ok', 'etc/shadow'))).rejects.toThrow('hostPath /srv/ok/etc/shadow leads to /etc/shadow');
  });

  it('hostPath: volumeMounts[].readOnly is honoured', async () => {
    const { vm } = setup();
    const p = pod([{ name: 'h', hostPath: { path: '/srv/x' } }]);
    const plan = await vm.prepare(p);
    expect(vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/x', readOnly: true }] }, plan)).toEqual([{ type: 'bind', source: '/srv/x', target: '/x', readOnly: true }]);
  });

  it('a volume type the node never mounts is UnsupportedVolumeError, found before anything is made (even after a missing ConfigMap)', async () => {
    const { runtime, vm } = setup();
    const err = await vm.prepare(pod([{ name: 'cfg', configMap: { name: 'absent' } }, { name: 'disk', gcePersistentDisk: { pdName: 'd' } }])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedVolumeError);
    expect((err as Error).message).toBe('MountVolume.SetUp failed for volume "disk" : no volume plugin matched: gcePersistentDisk volumes are not supported by this node');
    expect(await runtime.listVolumes()).toEqual([]);
    const ctb = await vm.prepare(pod([{ name: 'p', projected: { sources: [{ clusterTrustBundle: { path: 'ca', signerName: 'a/b' } }] } }])).catch((e: unknown) => e);
    expect(ctb).toBeInstanceOf(UnsupportedVolumeError);
    // A missing ConfigMap alone is not: the kubelet retries it.
    expect(await vm.prepare(pod([{ name: 'cfg', configMap: { name: 'absent' } }])).catch((e: unknown) => e)).not.toBeInstanceOf(UnsupportedVolumeError);
  });

  it('refresh: a changed label is written again (..data switched, the old directory gone); an unchanged payload is not written', async () => {
    const { runtime, vm } = setup();
    const labelled = (rack: string): Pod => ({ ...pod([{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }]), metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { rack } } });
    const plan = await vm.prepare(labelled('r1'));
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 0 }, hostname: 'p', volumes: plan.sandboxVolumes });
    await vm.populate(sandbox, plan);
    const writes = () => runtime.calls.filter((c) => c.op === 'writeVolumeFiles' && c.target === 'jobyard-u1-info').length;
    const read = async () => {
      runtime.addImage('x:1', { config: { cmd: ['/read'] } });
      const seen: Record<string, string | undefined> = {};
      runtime.program(['/read'], (p) => {
        seen.labels = p.readFile('/info/labels');
        seen.old = p.readFile('/info/..2026_01_01_00_00_00.000000000/labels');
        seen.now = p.readFile('/info/..2026_01_01_00_01_00.000000000/labels');
      });
      const id = await runtime.createContainer(sandbox, { metadata: { name: `c${writes()}`, attempt: 0 }, image: 'x:1', mounts: vm.mountsFor({ name: 'c', volumeMounts: [{ name: 'info', mountPath: '/info' }] }, plan) });
      await runtime.startContainer(id);
      await runtime.waitContainer(id);
      return seen;
    };
    expect(await read()).toEqual({ labels: 'rack="r1"', old: 'rack="r1"', now: undefined });
    await vm.refresh(labelled('r1'), plan, sandbox);
    expect(writes()).toBe(1);
    const later = new VolumeManager({ ...(vm as unknown as { deps: ConstructorParameters<typeof VolumeManager>[0] }).deps, now: () => new Date('2026-01-01T00:01:00Z') });
    await later.refresh(labelled('r2'), plan, sandbox);
    expect(writes()).toBe(2);
    expect(await read()).toEqual({ labels: 'rack="r2"', old: undefined, now: 'rack="r2"' });
    await later.refresh(labelled('r2'), plan, sandbox);
    expect(writes()).toBe(2);
  });
});
