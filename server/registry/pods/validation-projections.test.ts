import { describe, expect, it } from 'vitest';
import { create } from '../testing/strategy-sequence.js';
import { pods } from './index.js';

const withVolumes = (volumes: unknown[]) => ({
  metadata: { name: 'p' },
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }], volumes },
});
const messages = (volumes: unknown[]) => create(pods, withVolumes(volumes)).messages;
const field = (fieldPath: string, extra: Record<string, unknown> = {}) => ({ path: 'f', fieldRef: { fieldPath }, ...extra });

describe('pod validation: downwardAPI volumes', () => {
  it('accepts the documentation example (labels, annotations, subscripts, resources with containerName and divisor)', () => {
    expect(
      messages([
        {
          name: 'podinfo',
          downwardAPI: {
            items: [
              field('metadata.labels', { path: 'labels' }),
              field('metadata.annotations', { path: 'annotations' }),
              field("metadata.labels['rack']", { path: 'meta/rack', mode: 0o400 }),
              field("metadata.annotations['Build.Example.com/x']", { path: 'build' }),
              { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
              { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'requests.memory', divisor: '1Mi' } },
            ],
          },
        },
      ]),
    ).toEqual([]);
  });

  it('refuses paths that leave the volume or use the reserved ".." prefix (under the source, as upstream reports them)', () => {
    expect(messages([{ name: 'v', downwardAPI: { items: [field('metadata.name', { path: '/abs' }), field('metadata.name', { path: 'a/../../b' }), field('metadata.name', { path: '..data' }), field('metadata.name', { path: '' })] } }])).toEqual([
      'spec.volumes[0].downwardAPI.path: Invalid value: "/abs": must be a relative path',
      'spec.volumes[0].downwardAPI.path: Invalid value: "a/../../b": must not contain \'..\'',
      'spec.volumes[0].downwardAPI.path: Invalid value: "..data": must not start with \'..\'',
      'spec.volumes[0].downwardAPI.path: Required value',
    ]);
  });

  it('refuses fields a volume cannot show, subscripts of other fields, both or neither reference, bad modes', () => {
    expect(
      messages([
        {
          name: 'v',
          downwardAPI: {
            defaultMode: 0o1000,
            items: [
              field('status.podIP'),
              field('spec.foo'),
              field("spec.nodeName['x']"),
              field("metadata.labels['bad key!']"),
              { path: 'f', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' }, resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
              { path: 'f' },
              field('metadata.uid', { mode: -1 }),
            ],
          },
        },
      ]),
    ).toEqual([
      'spec.volumes[0].downwardAPI.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo',
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Invalid value: "spec.nodeName[\'x\']": error converting fieldPath: field label does not support subscript: spec.nodeName[\'x\']',
      expect.stringContaining('spec.volumes[0].downwardAPI.fieldRef: Invalid value: "bad key!": name part must consist of alphanumeric characters'),
      'spec.volumes[0].downwardAPI: Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously',
      'spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required',
      'spec.volumes[0].downwardAPI.mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive',
    ]);
  });

  it('resourceFieldRef in a volume names its container; divisors as upstream allows them (env too)', () => {
    expect(
      messages([
        {
          name: 'v',
          downwardAPI: {
            items: [
              { path: 'a', resourceFieldRef: { resource: 'limits.cpu' } },
              { path: 'b', resourceFieldRef: { containerName: 'c', resource: 'limits.gpu' } },
              { path: 'c', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '10m' } },
              { path: 'd', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1024Ki' } },
              { path: 'e', resourceFieldRef: { containerName: 'c', resource: 'requests.ephemeral-storage', divisor: '3' } },
            ],
          },
        },
      ]),
    ).toEqual([
      'spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value',
      'spec.volumes[0].downwardAPI.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
      'spec.volumes[0].downwardAPI.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource',
      'spec.volumes[0].downwardAPI.resourceFieldRef.divisor: Invalid value: "requests.ephemeral-storage": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource',
    ]);
    const env = create(pods, {
      metadata: { name: 'p' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', env: [{ name: 'M', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '2Mi' } } }] }] },
    }).messages;
    expect(env).toEqual([
      'spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource',
    ]);
  });
});

describe('pod validation: projected volumes', () => {
  it('accepts configMap, secret, downwardAPI and serviceAccountToken sources side by side', () => {
    expect(
      messages([
        {
          name: 'all-in-one',
          projected: {
            defaultMode: 0o440,
            sources: [
              { secret: { name: 's', items: [{ key: 'user', path: 'g/user' }] } },
              { downwardAPI: { items: [field('metadata.labels', { path: 'labels' })] } },
              { configMap: { name: 'c', items: [{ key: 'config', path: 'g/config' }], optional: true } },
              { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            ],
          },
        },
      ]),
    ).toEqual([]);
  });

  it('refuses two files at one path across sources (conflicting duplicate paths), as upstream words it', () => {
    expect(
      messages([
        {
          name: 'v',
          projected: {
            sources: [
              { secret: { name: 's', items: [{ key: 'a', path: 'same' }] } },
              { configMap: { name: 'c', items: [{ key: 'b', path: 'same' }] } },
              { downwardAPI: { items: [field('metadata.name', { path: 'same' })] } },
            ],
          },
        },
      ]),
    ).toEqual([
      'spec.volumes[0].projected: Invalid value: "c": conflicting duplicate paths',
      'spec.volumes[0].projected: Invalid value: "same": conflicting duplicate paths',
    ]);
  });

  it('one kind per source, names required, token lifetimes and paths checked', () => {
    expect(
      messages([
        {
          name: 'v',
          projected: {
            defaultMode: 0o1000,
            sources: [
              { secret: { items: [{ key: 'a', path: '../x' }] }, configMap: { name: 'c' } },
              { serviceAccountToken: { path: '', expirationSeconds: 60 } },
              { clusterTrustBundle: { path: 'ca.crt' } },
            ],
          },
        },
      ]),
    ).toEqual([
      'spec.volumes[0].projected.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[0].projected.sources[0].secret.name: Required value',
      'spec.volumes[0].projected.sources[0].secret.items[0].path: Invalid value: "../x": must not contain \'..\'',
      'spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      'spec.volumes[0].projected.path: Required value',
      'spec.volumes[0].projected.sources[2].clusterTrustBundlePEM: Required value: either name or signerName must be specified',
    ]);
  });
});

describe('pod validation: volume types the node does not mount', () => {
  it('are accepted with the fields upstream requires (the node fails the pod), and refused without them', () => {
    expect(messages([{ name: 'disk', gcePersistentDisk: { pdName: 'd' } }, { name: 'block', cinder: { volumeID: 'v' } }, { name: 'i', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0 } }])).toEqual([]);
    expect(messages([{ name: 'disk', gcePersistentDisk: {} }, { name: 'block', cinder: {} }, { name: 'f', flocker: {} }])).toEqual([
      'spec.volumes[0].persistentDisk.pdName: Required value',
      'spec.volumes[1].cinder.volumeID: Required value',
      'spec.volumes[2].flocker: Required value: one of datasetName and datasetUUID is required',
    ]);
    expect(messages([{ name: 'two', downwardAPI: {}, cephfs: { monitors: ['m'] } }])).toEqual(['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type']);
  });
});
