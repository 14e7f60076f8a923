// Service environment variables against upstream's envvars_test.go and kubelet_pods_test.go cases.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import type { Service } from '../api/service.js';
import { makeEnvironmentVariables } from './env.js';
import { fromServices, serviceEnvVarMap } from './service-env.js';

function svc(namespace: string, name: string, clusterIP: string, ports: NonNullable<Service['spec']>['ports']): Service {
  return { metadata: { namespace, name }, spec: { clusterIP, ports } };
}

const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);

describe('fromServices (envvars.FromServices)', () => {
  it('writes host, ports, named ports and Docker link variables', () => {
    const env = fromServices([svc('ns', 'foo-bar', '1.2.3.4', [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns-udp', port: 53, protocol: 'UDP' }])]);
    expect(env).toEqual([
      { name: 'FOO_BAR_SERVICE_HOST', value: '1.2.3.4' },
      { name: 'FOO_BAR_SERVICE_PORT', value: '8080' },
      { name: 'FOO_BAR_SERVICE_PORT_HTTP', value: '8080' },
      { name: 'FOO_BAR_SERVICE_PORT_DNS_UDP', value: '53' },
      { name: 'FOO_BAR_PORT', value: 'tcp://1.2.3.4:8080' },
      { name: 'FOO_BAR_PORT_8080_TCP', value: 'tcp://1.2.3.4:8080' },
      { name: 'FOO_BAR_PORT_8080_TCP_PROTO', value: 'tcp' },
      { name: 'FOO_BAR_PORT_8080_TCP_PORT', value: '8080' },
      { name: 'FOO_BAR_PORT_8080_TCP_ADDR', value: '1.2.3.4' },
      { name: 'FOO_BAR_PORT_53_UDP', value: 'udp://1.2.3.4:53' },
      { name: 'FOO_BAR_PORT_53_UDP_PROTO', value: 'udp' },
      { name: 'FOO_BAR_PORT_53_UDP_PORT', value: '53' },
      { name: 'FOO_BAR_PORT_53_UDP_ADDR', value: '1.2.3.4' },
    ]);
  });

  it('skips headless Services and those without a cluster IP', () => {
    expect(fromServices([svc('ns', 'h', 'None', [{ port: 80 }]), { metadata: { namespace: 'ns', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } }])).toEqual([]);
  });
});

describe('serviceEnvVarMap (getServiceEnvVarMap)', () => {
  const services = [kubernetes, svc('ns1', 'web', '10.96.0.20', [{ port: 80 }]), svc('ns2', 'other', '10.96.0.30', [{ port: 81 }]), svc('ns1', 'headless', 'None', [{ port: 82 }])];

  it("gives a pod its namespace's Services and kubernetes from default", () => {
    const m = serviceEnvVarMap(services, 'ns1', true);
    expect(m.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(m.get('KUBERNETES_SERVICE_PORT')).toBe('443');
    expect(m.get('KUBERNETES_SERVICE_PORT_HTTPS')).toBe('443');
    expect(m.get('KUBERNETES_PORT_443_TCP_ADDR')).toBe('10.96.0.1');
    expect(m.get('WEB_SERVICE_HOST')).toBe('10.96.0.20');
    expect(m.get('WEB_PORT')).toBe('tcp://10.96.0.20:80');
    expect([...m.keys()].some((k) => k.startsWith('OTHER_') || k.startsWith('HEADLESS_'))).toBe(false);
  });

  it('gives only the kubernetes variables when enableServiceLinks is false', () => {
    const m = serviceEnvVarMap(services, 'ns1', false);
    expect([...m.keys()].every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(m.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
  });
});

describe('makeEnvironmentVariables with Services', () => {
  const pod: Pod = {
    metadata: { namespace: 'ns1', name: 'p' },
    spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'WEB_SERVICE_PORT', value: 'mine' }, { name: 'URL', value: 'http://$(WEB_SERVICE_HOST):$(WEB_SERVICE_PORT)' }] }] },
  };
  const source = {
    getConfigMap: () => Promise.reject(new Error('unused')),
    getSecret: () => Promise.reject(new Error('unused')),
    serviceEnv: (ns: string, links: boolean) => Promise.resolve(serviceEnvVarMap([kubernetes, svc('ns1', 'web', '10.96.0.20', [{ port: 80 }])], ns, links)),
  };
  const ctx = { pod, container: pod.spec.containers[0]!, podIP: '', hostIP: '', nodeAllocatable: { cpuMilli: 1000, memoryBytes: 1 << 30 } };

  it("appends the Services' variables the container does not set, and expands $(VAR) over them", async () => {
    const { env } = await makeEnvironmentVariables(ctx, source);
    const m = new Map(env.map((e) => [e.name, e.value]));
    expect(m.get('WEB_SERVICE_PORT')).toBe('mine');
    expect(m.get('URL')).toBe('http://10.96.0.20:mine');
    expect(m.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.filter((e) => e.name === 'WEB_SERVICE_PORT')).toHaveLength(1);
    // The container's own variables first, in order, then the Services'.
    expect(env.slice(0, 2).map((e) => e.name)).toEqual(['WEB_SERVICE_PORT', 'URL']);
  });

  it('fails the container with the reason when Services were never listed', async () => {
    const failing = { ...source, serviceEnv: () => Promise.reject(new Error('services have not yet been read at least once, cannot construct envvars')) };
    await expect(makeEnvironmentVariables(ctx, failing)).rejects.toMatchObject({ name: 'ContainerConfigError', message: 'services have not yet been read at least once, cannot construct envvars' });
  });
});
