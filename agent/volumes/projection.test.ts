import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod, Secret } from '../../api/index.js';
import { notFound } from '../../machinery/index.js';
import { atomicWriterSwap, validatePayloadPath } from './atomic-writer.js';
import { cleanPath, defaultProjectors, downwardAPIFiles, type ProjectionContext, projectedFiles, type SourceProjectors, UnsupportedSourceError } from './projection.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { zone: 'us-est-coast', cluster: 'test-cluster1', rack: 'rack-22' }, annotations: { builder: 'john-doe', build: 'two', quote: 'say "hi"' } },
  spec: {
    containers: [
      { name: 'app', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } },
      { name: 'side' },
    ],
  },
};
const cm: ConfigMap = { metadata: { name: 'cfg', namespace: 'ns' }, data: { config: 'v1', other: 'o' }, binaryData: { bin: Buffer.from([0, 1]).toString('base64') } };
const secret: Secret = { metadata: { name: 'creds', namespace: 'ns' }, data: { user: Buffer.from('admin').toString('base64') } };

function ctx(defaultMode = 0o644): ProjectionContext {
  return {
    pod,
    defaultMode,
    config: {
      getConfigMap: async (_ns, name) => (name === 'cfg' ? cm : Promise.reject(notFound('configmaps', '', name))),
      getSecret: async (_ns, name) => (name === 'creds' ? secret : Promise.reject(notFound('secrets', '', name))),
    },
    nodeAllocatable: () => ({ cpuMilli: 4000, memoryBytes: 8 * 1024 ** 3 }),
  };
}
const text = (files: { path: string; data: Buffer; mode: number }[]) => Object.fromEntries(files.map((f) => [f.path, [f.data.toString(), f.mode.toString(8)]]));

describe('downward API files (CollectData)', () => {
  it('labels and annotations as sorted key="value" lines, single keys by subscript, name, namespace, uid', () => {
    const files = downwardAPIFiles(
      [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
        { path: 'meta//rack', fieldRef: { fieldPath: "metadata.labels['rack']" }, mode: 0o400 },
        { path: 'absent', fieldRef: { fieldPath: "metadata.annotations['nope']" } },
        { path: 'id', fieldRef: { fieldPath: 'metadata.uid' } },
        { path: 'where', fieldRef: { fieldPath: 'metadata.namespace' } },
      ],
      ctx(0o440),
    );
    expect(text(files)).toEqual({
      labels: ['cluster="test-cluster1"\nrack="rack-22"\nzone="us-est-coast"', '440'],
      annotations: ['build="two"\nbuilder="john-doe"\nquote="say \\"hi\\""', '440'],
      'meta/rack': ['rack-22', '400'],
      absent: ['', '440'],
      id: ['u-1', '440'],
      where: ['ns', '440'],
    });
  });

  it('resources of the named container, rounded up in units of the divisor; an unset limit is node allocatable', () => {
    const files = downwardAPIFiles(
      [
        { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
        { path: 'cpu_limit_cores', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
        { path: 'mem_request', resourceFieldRef: { containerName: 'app', resource: 'requests.memory', divisor: '1Mi' } },
        { path: 'side_cpu_limit', resourceFieldRef: { containerName: 'side', resource: 'limits.cpu', divisor: '1m' } },
        { path: 'side_mem_limit', resourceFieldRef: { containerName: 'side', resource: 'limits.memory', divisor: '1Gi' } },
        { path: 'side_cpu_request', resourceFieldRef: { containerName: 'side', resource: 'requests.cpu' } },
      ],
      ctx(),
    );
    expect(text(files)).toEqual({
      cpu_limit: ['250', '644'],
      cpu_limit_cores: ['1', '644'],
      mem_request: ['32', '644'],
      side_cpu_limit: ['4000', '644'],
      side_mem_limit: ['8', '644'],
      side_cpu_request: ['0', '644'],
    });
  });

  it('an unknown field fails with every error aggregated, as utilerrors.NewAggregate prints them', () => {
    expect(() => downwardAPIFiles([{ path: 'a', fieldRef: { fieldPath: 'spec.bogus' } }], ctx())).toThrow('unsupported fieldPath: spec.bogus');
    expect(() =>
      downwardAPIFiles(
        [
          { path: 'a', fieldRef: { fieldPath: 'spec.bogus' } },
          { path: 'b', resourceFieldRef: { containerName: 'app', resource: 'limits.gpu' } },
        ],
        ctx(),
      ),
    ).toThrow('[unsupported fieldPath: spec.bogus, unsupported container resource : limits.gpu]');
  });
});

describe('projected volumes (collectData)', () => {
  it('merges configMap, secret and downwardAPI sources with the volume defaultMode and item modes; optional absent sources add nothing', async () => {
    const files = await projectedFiles(
      [
        { secret: { name: 'creds', items: [{ key: 'user', path: 'g/user', mode: 0o400 }] } },
        { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: "metadata.labels['zone']" } }] } },
        { configMap: { name: 'cfg', items: [{ key: 'config', path: 'g/config' }] } },
        { configMap: { name: 'cfg' } },
        { configMap: { name: 'absent', optional: true } },
        { secret: { name: 'absent', optional: true, items: [{ key: 'k', path: 'k' }] } },
      ],
      ctx(0o440),
      defaultProjectors,
    );
    expect(files.map((f) => f.path)).toEqual(['bin', 'config', 'g/config', 'g/user', 'labels', 'other']);
    expect(text(files)['g/user']).toEqual(['admin', '400']);
    expect(text(files)['g/config']).toEqual(['v1', '440']);
    expect(files.find((f) => f.path === 'bin')!.data).toEqual(Buffer.from([0, 1]));
  });

  it('missing objects and keys fail with the plugins\' messages, aggregated', async () => {
    await expect(projectedFiles([{ configMap: { name: 'gone' } }], ctx(), defaultProjectors)).rejects.toThrow(/^configmap "gone" not found$/);
    await expect(projectedFiles([{ secret: { name: 'gone' } }, { configMap: { name: 'cfg', items: [{ key: 'nope', path: 'x' }] } }], ctx(), defaultProjectors)).rejects.toThrow(
      '[secret "gone" not found, configmap references non-existent config key: nope]',
    );
  });

  it('clusterTrustBundle and podCertificate are unsupported; serviceAccountToken waits for its projector, which plugs in', async () => {
    const noToken = await projectedFiles([{ serviceAccountToken: { path: 'token' } }], ctx(), defaultProjectors).catch((e: unknown) => e);
    expect(noToken).not.toBeInstanceOf(UnsupportedSourceError);
    expect((noToken as Error).message).toBe('serviceAccountToken projections are not served by this node agent (no token projector)');
    await expect(projectedFiles([{ podCertificate: {} }], ctx(), defaultProjectors)).rejects.toBeInstanceOf(UnsupportedSourceError);
    await expect(projectedFiles([{ clusterTrustBundle: { path: 'ca.crt', signerName: 'x/y' } }], ctx(), defaultProjectors)).rejects.toThrow('clusterTrustBundle projections are not supported by this node');
    const projectors: SourceProjectors = { ...defaultProjectors, serviceAccountToken: async (src, c) => [{ path: src.path, data: Buffer.from(`token-for-${c.pod.metadata.name}`), mode: c.defaultMode }] };
    const files = await projectedFiles([{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }], ctx(0o420), projectors);
    expect(text(files)).toEqual({ namespace: ['ns', '420'], token: ['token-for-p', '420'] });
  });
});

describe('payload paths (the atomic writer\'s validatePath)', () => {
  it('refuses empty, absolute, backstepping, reserved and overlong paths', () => {
    expect(() => validatePayloadPath('')).toThrow('invalid path: must not be empty: ""');
    expect(() => validatePayloadPath('/etc/passwd')).toThrow('invalid path: must be relative path: /etc/passwd');
    expect(() => validatePayloadPath('a/../../b')).toThrow("invalid path: must not contain '..': a/../../b");
    expect(() => validatePayloadPath('..data/x')).toThrow("invalid path: must not start with '..': ..data/x");
    expect(() => validatePayloadPath(`${'a'.repeat(256)}`)).toThrow('invalid path: filenames must be less than or equal to 255 characters');
    expect(() => validatePayloadPath('a/'.repeat(2049))).toThrow('invalid path: must be less than or equal to 4096 characters');
    expect(() => validatePayloadPath('conf/app.conf')).not.toThrow();
    expect(() => validatePayloadPath('..')).toThrow("invalid path: must not contain '..': ..");
    expect(cleanPath('a//b/./c')).toBe('a/b/c');
  });

  it('an update: a new timestamped directory, its top-level links, and the names to keep', () => {
    const swap = atomicWriterSwap({ files: [{ path: 'g/user', data: Buffer.from('u'), mode: 0o400 }, { path: 'labels', data: Buffer.from('l'), mode: 0o644 }] }, new Date('2026-01-02T03:04:05.678Z'));
    expect(swap.dataDir).toBe('..2026_01_02_03_04_05.678000000');
    expect(swap.keep).toEqual(['g', 'labels']);
    expect(swap.files.map((f) => [f.path, f.linkTarget ?? (f.isDirectory ? 'dir' : f.mode!.toString(8))])).toEqual([
      ['..2026_01_02_03_04_05.678000000', 'dir'],
      ['..2026_01_02_03_04_05.678000000/g/user', '400'],
      ['..2026_01_02_03_04_05.678000000/labels', '644'],
      ['g', '..data/g'],
      ['labels', '..data/labels'],
    ]);
    expect(() => atomicWriterSwap({ files: [{ path: '../escape', data: Buffer.from(''), mode: 0o644 }] }, new Date())).toThrow("must not contain '..'");
  });
});
