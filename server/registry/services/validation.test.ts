import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { endpoints } from '../endpoints/index.js';
import { endpointSlices } from '../endpointslices/index.js';
import { services } from './index.js';
import type { ServiceObject } from './types.js';

const svc = (spec: Record<string, unknown>, name = 'web'): ServiceObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec }) as ServiceObject;
const messages = (spec: Record<string, unknown>, name?: string) => create(services, svc(spec, name)).messages;
const port80 = { ports: [{ port: 80 }] };

describe('Service defaulting (SetDefaults_Service)', () => {
  it('fills type, session affinity, protocol, targetPort and the traffic policies', () => {
    const { obj, errors } = create(services, svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { name: 'x', port: 81, targetPort: 'http' }].map((p, i) => (i ? p : { name: 'w', ...p })) }));
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' });
    expect(obj.spec!.ports).toEqual([
      { name: 'w', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'x', port: 81, protocol: 'TCP', targetPort: 'http' },
    ]);
    expect(obj.spec!.externalTrafficPolicy).toBeUndefined();
    expect(obj.status).toEqual({ loadBalancer: {} });
    expect(create(services, svc({ type: 'NodePort', ...port80 })).obj.spec!.externalTrafficPolicy).toBe('Cluster');
    expect(create(services, svc({ sessionAffinity: 'ClientIP', ...port80 })).obj.spec!.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(create(services, svc({ clusterIP: '10.96.0.9', ...port80 })).obj.spec!.clusterIPs).toEqual(['10.96.0.9']);
  });
});

describe('ValidateService: upstream messages', () => {
  const cases: [string, Record<string, unknown>, string[], string?][] = [
    ['ports required', {}, ['spec.ports: Required value']],
    ['headless without ports', { clusterIP: 'None' }, []],
    ['port names required with several ports', { ports: [{ port: 80 }, { port: 81 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['port names unique', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }, ['spec.ports[1].name: Duplicate value: "a"']],
    ['port name a DNS label', { ports: [{ name: 'A_b', port: 80 }] }, [
      `spec.ports[0].name: Invalid value: "A_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['port range', { ports: [{ port: 70000 }] }, ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['protocol', { ports: [{ port: 80, protocol: 'ICMP' }] }, ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['named targetPort', { ports: [{ port: 80, targetPort: 'Http_x' }] }, [
      'spec.ports[0].targetPort: Invalid value: "Http_x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]],
    ['duplicate port', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}']],
    ['type', { type: 'Magic', ...port80 }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30001 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None', ...port80 }, ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['bad clusterIP', { clusterIP: '10.96.0.300', ...port80 }, ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['clusterIPs must match', { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.8'], ...port80 }, ['spec.clusterIPs: Invalid value: ["10.96.0.8"]: first value must match `clusterIP`']],
    ['ExternalName needs a name', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    ['ExternalName without clusterIP', { type: 'ExternalName', externalName: 'db.example.com.', clusterIP: '10.96.0.9' }, ['spec.clusterIPs: Forbidden: may not be set for ExternalName services']],
    ['ClientIP timeout', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ...port80 }, [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]],
    ['affinity config with None', { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } }, ...port80 }, []],
    ['externalIPs not special', { externalIPs: ['127.0.0.1', 'x'], ...port80 }, [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[1]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]],
    ['externalTrafficPolicy only when externally accessible', { externalTrafficPolicy: 'Local', ...port80 }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    ['ipFamilyPolicy', { ipFamilyPolicy: 'Both', ...port80 }, ['spec.ipFamilyPolicy: Unsupported value: "Both": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"']],
    ['selector labels', { selector: { 'a b': 'x' }, ...port80 }, [
      `spec.selector: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]],
  ];
  for (const [what, spec, want] of cases) it(what, () => expect(messages(spec)).toEqual(want));

  it('names are DNS-1035 labels', () => {
    expect(messages(port80, '1web')).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
});

describe('ValidateServiceUpdate', () => {
  const stored = create(services, svc({ clusterIP: '10.96.0.9', selector: { app: 'web' }, ...port80 })).obj;
  it('keeps clusterIP immutable', () => {
    const changed = update(services, { ...stored, spec: { ...stored.spec, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } }, stored);
    expect(changed.messages).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.10"]: may not change once set']);
  });
  it('keeps status on update and wipes node ports when the type goes back to ClusterIP', () => {
    const np = { ...stored, spec: { ...stored.spec, type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }] }, status: { loadBalancer: {} } } as ServiceObject;
    const back = update(services, { ...np, spec: { ...np.spec, type: 'ClusterIP' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }, np);
    expect(back.errors).toEqual([]);
    expect(back.obj.spec!.ports![0]!.nodePort).toBeUndefined();
    expect(back.obj.spec!.externalTrafficPolicy).toBeUndefined();
    expect(back.obj.status).toEqual({ loadBalancer: {} });
  });
});

describe('Endpoints and EndpointSlice validation', () => {
  const ep = (subsets: unknown) => create(endpoints, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets }).messages;
  it('Endpoints: addresses, special IPs, port names and protocols as upstream', () => {
    expect(ep([{ ports: [{ port: 80 }] }])).toEqual(['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
    expect(ep([{ addresses: [{ ip: '169.254.1.1' }], ports: [{ port: 80 }, { port: 81 }] }])).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].name: Required value',
    ]);
    expect(ep([{ addresses: [{ ip: 'nope' }] }])).toEqual(['subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  });
  it('Endpoints: subsets repacked by port set, protocol defaulted', () => {
    const { obj, errors } = create(endpoints, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 80 }] }, { addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] }],
    });
    expect(errors).toEqual([]);
    expect(obj.subsets).toEqual([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });
  it('EndpointSlice: addressType, addresses per type, ports', () => {
    const slice = (o: Record<string, unknown>) => create(endpointSlices, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc' }, ...o }).messages;
    expect(slice({ addressType: 'IPv5', endpoints: [] })).toEqual(['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']);
    expect(slice({ addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['::1'] }] })).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
    ]);
    expect(slice({ addressType: 'IPv4', endpoints: [], ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] })).toEqual(['ports[1].name: Duplicate value: "a"']);
  });
});
