import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret } from '../api/index.js';
import { notFound } from '../machinery/index.js';
import { type ConfigSource, ContainerConfigError, fieldRefValue, makeEnvironmentVariables, resourceFieldRefValue } from './env.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function source(cms: ConfigMap[] = [], secrets: Secret[] = []): ConfigSource {
  return {
    async getConfigMap(ns, name) {
      const cm = cms.find((c) => c.metadata.name === name && c.metadata.namespace === ns);
      if (!cm) throw notFound('configmaps', '', name);
      return cm;
    },
    async getSecret(ns, name) {
      const s = secrets.find((c) => c.metadata.name === name && c.metadata.namespace === ns);
      if (!s) throw notFound('secrets', '', name);
      return s;
    },
  };
}

const cm: ConfigMap = { metadata: { name: 'cfg', namespace: 'ns' }, data: { color: 'blue', '1st': 'x', LEVEL: 'debug' } };
const secret: Secret = { metadata: { name: 'creds', namespace: 'ns' }, type: 'Opaque', data: { password: b64('s3cret'), USER: b64('alice') } };

function podWith(container: Container): Pod {
  return {
    metadata: { name: 'web-0', namespace: 'ns', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'a "quoted" one' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [container] },
  };
}

async function env(container: Container, src = source([cm], [secret])) {
  const pod = podWith(container);
  const r = await makeEnvironmentVariables({ pod, container, podIP: '172.17.0.5', hostIP: '192.0.2.10', nodeAllocatable: { cpuMilli: 2000, memoryBytes: 8 * 1024 ** 3 } }, src);
  return { vars: Object.fromEntries(r.env.map((e) => [e.name, e.value])), order: r.env.map((e) => e.name), warnings: r.warnings };
}

describe('makeEnvironmentVariables', () => {
  it('expands $(VAR) over what is defined before, keeps unknown references and $$ escapes', async () => {
    const { vars } = await env({
      name: 'c',
      env: [
        { name: 'A', value: 'one' },
        { name: 'B', value: '$(A)-two-$(LATER)-$$(A)' },
        { name: 'LATER', value: 'x' },
      ],
    });
    expect(vars).toEqual({ A: 'one', B: 'one-two-$(LATER)-$(A)', LATER: 'x' });
  });

  it('envFrom first (with prefix, invalid names skipped with an event), then env overrides', async () => {
    const { vars, order, warnings } = await env({
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'DB_', secretRef: { name: 'creds' } }],
      env: [{ name: 'color', value: 'red' }],
    });
    expect(vars).toEqual({ color: 'red', LEVEL: 'debug', DB_password: 's3cret', DB_USER: 'alice' });
    expect(order).toEqual(['color', 'LEVEL', 'DB_password', 'DB_USER']);
    expect(warnings).toEqual([
      { reason: 'InvalidEnvironmentVariableNames', message: 'Keys [1st] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.' },
    ]);
  });

  it('configMapKeyRef and secretKeyRef values; optional ones may be missing', async () => {
    const { vars } = await env({
      name: 'c',
      env: [
        { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
        { name: 'OPT_KEY', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } } },
      ],
    });
    expect(vars).toEqual({ COLOR: 'blue', PW: 's3cret' });
  });

  it.each([
    [{ configMapKeyRef: { name: 'absent', key: 'k' } }, 'configmap "absent" not found'],
    [{ configMapKeyRef: { name: 'cfg', key: 'nope' } }, "couldn't find key nope in ConfigMap ns/cfg"],
    [{ secretKeyRef: { name: 'absent', key: 'k' } }, 'secret "absent" not found'],
    [{ secretKeyRef: { name: 'creds', key: 'nope' } }, "couldn't find key nope in Secret ns/creds"],
  ])('a missing non-optional reference fails the container config: %j', async (valueFrom, message) => {
    const err = await env({ name: 'c', env: [{ name: 'X', valueFrom }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerConfigError);
    expect((err as Error).message).toBe(message);
  });

  it('a missing envFrom source fails unless optional', async () => {
    await expect(env({ name: 'c', envFrom: [{ configMapRef: { name: 'absent' } }] })).rejects.toThrow('configmap "absent" not found');
    await expect(env({ name: 'c', envFrom: [{ secretRef: { name: 'absent', optional: true } }] })).resolves.toMatchObject({ vars: {} });
  });
});

describe('downward API', () => {
  const pod = podWith({ name: 'c' });
  it.each([
    ['metadata.name', 'web-0'],
    ['metadata.namespace', 'ns'],
    ['metadata.uid', 'u-1'],
    ["metadata.labels['app']", 'web'],
    ['metadata.labels', 'app="web"\ntier="front"'],
    ['metadata.annotations', 'note="a \\"quoted\\" one"'],
    ['spec.nodeName', 'node-1'],
    ['spec.serviceAccountName', 'default'],
    ['status.podIP', '172.17.0.5'],
    ['status.hostIP', '192.0.2.10'],
  ])('fieldRef %s', (path, want) => {
    expect(fieldRefValue(path, { pod, podIP: '172.17.0.5', hostIP: '192.0.2.10' })).toBe(want);
  });

  it('resourceFieldRef: limits and requests in divisor units, rounded up; no limit means the node allocatable', () => {
    const container: Container = { name: 'c', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } } };
    const ctx = { pod: podWith(container), container, podIP: '', hostIP: '', nodeAllocatable: { cpuMilli: 2000, memoryBytes: 8 * 1024 ** 3 } };
    expect(resourceFieldRefValue({ resource: 'limits.cpu' }, ctx)).toBe('1');
    expect(resourceFieldRefValue({ resource: 'limits.cpu', divisor: '1m' }, ctx)).toBe('500');
    expect(resourceFieldRefValue({ resource: 'requests.cpu', divisor: '1m' }, ctx)).toBe('250');
    expect(resourceFieldRefValue({ resource: 'limits.memory', divisor: '1Mi' }, ctx)).toBe('64');
    expect(resourceFieldRefValue({ resource: 'requests.memory' }, ctx)).toBe(String(32 * 1024 * 1024));
    const bare: Container = { name: 'c' };
    const bareCtx = { ...ctx, pod: podWith(bare), container: bare };
    expect(resourceFieldRefValue({ resource: 'limits.cpu' }, bareCtx)).toBe('2');
    expect(resourceFieldRefValue({ resource: 'limits.memory', divisor: '1Gi' }, bareCtx)).toBe('8');
  });

  it('an unsupported fieldPath is a config error', () => {
    expect(() => fieldRefValue('spec.bogus', { pod, podIP: '', hostIP: '' })).toThrow('unsupported fieldPath: spec.bogus');
  });
});
