import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../machinery/index.js';
import { NodePortRange, ServiceAllocators, ServiceIPRange } from './allocation.js';
import type { ServiceObject } from './types.js';

let uid = 0;
const svc = (spec: Record<string, unknown>, name = 'web'): ServiceObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${++uid}` }, spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...spec } }) as ServiceObject;

const allocators = (cidr = '10.96.0.0/28', ports = '30000-30009') => new ServiceAllocators(new ServiceIPRange(cidr), new NodePortRange(ports));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return `${err.status.code} ${err.status.message}`;
    throw err;
  }
  return 'no error';
}

describe('ServiceIPRange and NodePortRange', () => {
  it('leave out the network and broadcast addresses; the first address is the kubernetes Service\'s', () => {
    const r = new ServiceIPRange('10.96.0.0/12');
    expect(r.first).toBe('10.96.0.1');
    expect(r.contains('10.96.0.0')).toBe(false);
    expect(r.contains('10.111.255.255')).toBe(false);
    expect(r.contains('10.111.255.254')).toBe(true);
    expect(r.free).toBe(2 ** 20 - 2);
    expect(new ServiceIPRange('10.100.3.4/16').cidr).toBe('10.100.0.0/16');
    expect(() => new ServiceIPRange('fd00::/108')).toThrow(/IPv4 CIDR/);
  });
  it('hands out every address of a small range once, then is full', () => {
    const r = new ServiceIPRange('10.0.0.0/29');
    const got = new Set(Array.from({ length: 6 }, () => r.allocateNext()));
    expect([...got].sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(() => r.allocateNext()).toThrow('range is full');
  });
  it('prefers the upper band for dynamic allocation (calculateRangeOffset)', () => {
    const r = new ServiceIPRange('10.96.0.0/24');
    // 254 addresses: the first 16 are kept for requested ones while others are free.
    for (let i = 0; i < 200; i++) expect(Number(r.allocateNext().split('.')[3])).toBeGreaterThan(16);
  });
  it('node ports: a range string, the upper band first', () => {
    const p = new NodePortRange('30000-32767');
    expect(p.toString()).toBe('30000-32767');
    expect(p.size).toBe(2768);
    for (let i = 0; i < 100; i++) expect(p.allocateNext()).toBeGreaterThanOrEqual(30086);
    expect(() => p.allocate(29999)).toThrow('provided port is not in the valid range. The range of valid ports is 30000-32767');
  });
});

describe('ServiceAllocators', () => {
  it('allocates on create, refuses taken addresses and ports with upstream messages, gives back on a refused write', () => {
    const a = allocators();
    const first = svc({ clusterIP: '10.96.0.5' }, 'first');
    a.beginCreate(first, false)(true);
    expect(first.spec).toMatchObject({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(message(() => a.beginCreate(svc({ clusterIP: '10.96.0.5' }, 'second'), false))).toBe(
      '422 Service "second" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.5"]: failed to allocate IP 10.96.0.5: provided IP is already allocated',
    );
    // A write refused after allocation (validation, storage) gives its address back.
    const refused = svc({ clusterIP: '10.96.0.6' }, 'refused');
    a.beginCreate(refused, false)(false);
    const again = svc({ clusterIP: '10.96.0.6' }, 'again');
    a.beginCreate(again, false)(true);
    // A dry run takes nothing.
    const dry = svc({ clusterIP: '10.96.0.7' }, 'dry');
    a.beginCreate(dry, true)(false);
    a.beginCreate(svc({ clusterIP: '10.96.0.7' }, 'wet'), false)(true);

    const np = svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, protocol: 'TCP', nodePort: 30001 }, { name: 'b', port: 80, protocol: 'UDP' }, { name: 'c', port: 81, protocol: 'TCP' }] }, 'np');
    a.beginCreate(np, false)(true);
    // TCP and UDP on port 80 share the node port; port 81 gets another.
    expect(np.spec!.ports!.map((p) => p.nodePort)).toEqual([30001, 30001, expect.any(Number)]);
    expect(message(() => a.beginCreate(svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30001 }] }, 'np2'), false))).toBe(
      '422 Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated',
    );
  });

  it('defaults ipFamilyPolicy as upstream and refuses dual-stack on a single-stack cluster', () => {
    const a = allocators();
    const headless = svc({ clusterIP: 'None', selector: undefined }, 'h');
    a.beginCreate(headless, false)(true);
    expect(headless.spec).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['None'] });
    expect(message(() => a.beginCreate(svc({ ipFamilyPolicy: 'RequireDualStack' }, 'dual'), false))).toBe(
      '422 Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    expect(message(() => a.beginCreate(svc({ ipFamilies: ['IPv6'] }, 'six'), false))).toBe('422 Service "six" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
  });

  it('is full with a 500 as upstream, and releases on delete only what the deleted Service held', () => {
    const a = allocators('10.96.0.0/29', '30000-30001');
    const held: ServiceObject[] = [];
    for (let i = 0; i < 6; i++) {
      const s = svc({}, `s${i}`);
      a.beginCreate(s, false)(true);
      held.push(s);
    }
    expect(message(() => a.beginCreate(svc({}, 'full'), false))).toBe('500 Internal error occurred: failed to allocate a serviceIP: range is full');
    // A late deletion event of an older Service with the same address frees nothing of the new owner's.
    const ghost = { ...held[0]!, metadata: { ...held[0]!.metadata, uid: 'someone-else' } };
    a.releaseService(ghost);
    expect(message(() => a.beginCreate(svc({}, 'still-full'), false))).toContain('range is full');
    a.releaseService(held[0]!);
    const next = svc({}, 'next');
    a.beginCreate(next, false)(true);
    expect(next.spec!.clusterIP).toBe(held[0]!.spec!.clusterIP);
  });

  it('repair rebuilds from stored Services and reports duplicates and strays', () => {
    const a = allocators();
    const stored = [
      svc({ clusterIP: '10.96.0.3', clusterIPs: ['10.96.0.3'], type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30002 }] }, 'a'),
      svc({ clusterIP: '10.96.0.3', clusterIPs: ['10.96.0.3'] }, 'b'),
      svc({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] }, 'c'),
    ];
    expect(a.repair(stored).map((p) => p.reason)).toEqual(['ClusterIPAlreadyAllocated', 'ClusterIPOutOfRange']);
    expect(message(() => a.beginCreate(svc({ clusterIP: '10.96.0.3' }, 'd'), false))).toContain('provided IP is already allocated');
    expect(message(() => a.beginCreate(svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30002 }] }, 'e'), false))).toContain('provided port is already allocated');
  });

  it('update: keeps allocated values a resubmitted manifest omits, releases node ports once stored', () => {
    const a = allocators();
    const old = svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] }, 'u');
    a.beginCreate(old, false)(true);
    const port = old.spec!.ports![0]!.nodePort!;
    const resubmitted = svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] }, 'u');
    resubmitted.metadata.uid = old.metadata.uid;
    a.beginUpdate(resubmitted, old, false)(true);
    expect(resubmitted.spec).toMatchObject({ clusterIP: old.spec!.clusterIP, ports: [{ port: 80, protocol: 'TCP', nodePort: port }] });
    const toClusterIP = structuredClone(resubmitted);
    toClusterIP.spec!.type = 'ClusterIP';
    delete toClusterIP.spec!.ports![0]!.nodePort;
    const finish = a.beginUpdate(toClusterIP, resubmitted, false);
    // Not yet stored: still taken.
    expect(message(() => a.beginCreate(svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: port }] }, 'x'), false))).toContain('already allocated');
    finish(true);
    const reuse = svc({ type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: port }] }, 'y');
    a.beginCreate(reuse, false)(true);
    expect(reuse.spec!.ports![0]!.nodePort).toBe(port);
  });
});
