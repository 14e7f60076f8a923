// The endpoints and EndpointSlice controllers on the real server and the real node (Docker): a
// Service over 3 ready pods has 3 addresses, its named targetPort resolved from each pod's
// container port; a pod whose readiness probe starts failing moves to notReadyAddresses (and
// ready=false in its slice) within a probe period; a headless Service names its pods' hostnames;
// kubectl expose makes a Service of a pod; kubectl get ep / endpointslices show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints } from '../../api/index.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { waitFor } from '../support/wait.js';

let server: JobyardServer;

beforeAll(async () => {
  server = await JobyardServer.start();
});

afterAll(async () => {
  await server?.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as T;
}

const PROBE_PERIOD_SECONDS = 1;

function pod(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command: ['sh', '-c', 'touch /tmp/ready; exec sleep 3600'],
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: PROBE_PERIOD_SECONDS, failureThreshold: 1 },
        },
      ],
      ...extra,
    },
  };
}

describe('endpoints of a Service on the real node', () => {
  it('lists 3 ready pods, then moves one whose readiness probe fails to notReadyAddresses within a probe period', async () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
    const headless = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'peers' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } };
    const items = [service, headless, ...['web-0', 'web-1', 'web-2'].map((n) => pod(n, { hostname: n, subdomain: 'peers' }))];
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));

    const ready = await waitFor('3 ready addresses', async () => {
      const ep = await getJson<Endpoints>(['get', 'endpoints', 'web']);
      return ep.subsets?.[0]?.addresses?.length === 3 ? ep : undefined;
    }, 120_000, 200);
    const podIPs = new Map<string, string>();
    for (const name of ['web-0', 'web-1', 'web-2']) podIPs.set(name, (await ok(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim());
    const nodeName = (await ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.spec.nodeName}'])).trim();
    expect(ready.subsets).toHaveLength(1);
    expect(ready.subsets![0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ready.subsets![0]!.notReadyAddresses).toBeUndefined();
    expect(ready.subsets![0]!.addresses!.map((a) => a.ip).sort()).toEqual([...podIPs.values()].sort());
    const web0 = ready.subsets![0]!.addresses!.find((a) => a.targetRef?.name === 'web-0')!;
    expect(web0).toMatchObject({ ip: podIPs.get('web-0'), nodeName, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0' } });
    // hostname only for the Service the pods name as their subdomain.
    expect(web0.hostname).toBeUndefined();
    expect(ready.metadata.labels).toEqual({ tier: 'front' });
    expect(ready.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const peers = await waitFor('the headless Service\'s endpoints', async () => {
      const ep = await getJson<Endpoints>(['get', 'endpoints', 'peers']);
      return ep.subsets?.[0]?.addresses?.length === 3 ? ep : undefined;
    }, 30_000, 200);
    expect(peers.subsets![0]!.addresses!.map((a) => a.hostname).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(peers.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });

    const slices = await waitFor('one slice with 3 ready endpoints', async () => {
      const list = await getJson<{ items: EndpointSlice[] }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
      return list.items.length === 1 && list.items[0]!.endpoints?.filter((e) => e.conditions?.ready).length === 3 ? list.items[0] : undefined;
    }, 30_000, 200);
    expect(slices!.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slices!.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slices!.metadata.ownerReferences).toMatchObject([{ apiVersion: 'v1', kind: 'Service', name: 'web', controller: true, blockOwnerDeletion: true }]);
    expect(slices!.addressType).toBe('IPv4');
    expect(slices!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slices!.endpoints!.find((e) => e.targetRef?.name === 'web-1')).toEqual({
      addresses: [podIPs.get('web-1')],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: expect.objectContaining({ kind: 'Pod', namespace: 'default', name: 'web-1' }),
      nodeName,
    });

    // web-1 stops being ready: its probe fails from the next period on.
    await ok(['exec', 'web-1', '--', 'rm', '/tmp/ready']);
    const removedAt = Date.now();
    const moved = await waitFor('web-1 in notReadyAddresses', async () => {
      const ep = await getJson<Endpoints>(['get', 'endpoints', 'web']);
      return ep.subsets?.[0]?.notReadyAddresses?.some((a) => a.targetRef?.name === 'web-1') ? ep : undefined;
    }, 30_000, 100);
    const took = Date.now() - removedAt;
    // One failed probe (failureThreshold 1) is due within a period; a second of slack for the status write, the controller and kubectl.
    expect(took).toBeLessThan((PROBE_PERIOD_SECONDS + 2) * 1000);
    expect(moved.subsets![0]!.addresses!.map((a) => a.targetRef?.name).sort()).toEqual(['web-0', 'web-2']);
    expect(moved.subsets![0]!.notReadyAddresses!.map((a) => a.ip)).toEqual([podIPs.get('web-1')]);
    const notReadySlice = await waitFor('web-1 not ready in its slice', async () => {
      const list = await getJson<{ items: EndpointSlice[] }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
      const e = list.items[0]?.endpoints?.find((x) => x.targetRef?.name === 'web-1');
      return e && e.conditions?.ready === false ? e : undefined;
    }, 10_000, 100);
    expect(notReadySlice.conditions).toEqual({ ready: false, serving: false, terminating: false });

    // Ready again: back in addresses.
    await ok(['exec', 'web-1', '--', 'touch', '/tmp/ready']);
    await waitFor('web-1 Ready again', async () => (await ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).trim() === 'True', 30_000, 100);
    await waitFor('web-1 back in addresses', async () => (await getJson<Endpoints>(['get', 'endpoints', 'web'])).subsets?.[0]?.addresses?.length === 3, 10_000, 100);

    // kubectl's columns.
    const eps = await ok(['get', 'ep', 'web']);
    expect(eps).toMatch(/^NAME\s+ENDPOINTS\s+AGE\nweb\s+(\d+\.\d+\.\d+\.\d+:8080,){2}\d+\.\d+\.\d+\.\d+:8080\s+\d+s\n$/);
    const sliceTable = await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    expect(sliceTable).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nweb-[a-z0-9]{5}\s+IPv4\s+8080\s+(\d+\.\d+\.\d+\.\d+,){2}\d+\.\d+\.\d+\.\d+\s+\d+s\n$/);
    const described = await ok(['describe', 'svc', 'web']);
    expect(described).toMatch(/Endpoints:\s+\d+\.\d+\.\d+\.\d+:8080,\d+\.\d+\.\d+\.\d+:8080,\d+\.\d+\.\d+\.\d+:8080/);

    // kubectl expose pod: a Service selecting the pod's labels, its port from the container's.
    await ok(['expose', 'pod', 'web-2', '--name', 'web2', '--port', '80', '--target-port', '8080']);
    const exposed = await waitFor('the exposed Service\'s endpoints', async () => {
      const ep = await getJson<Endpoints>(['get', 'endpoints', 'web2']);
      return (ep.subsets?.[0]?.addresses?.length ?? 0) >= 3 ? ep : undefined;
    }, 30_000, 200);
    expect(exposed.subsets![0]!.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);

    // Deleting the Service deletes its Endpoints.
    await ok(['delete', 'service', 'web2']);
    await waitFor('Endpoints web2 gone', async () => (await server.kubectl(['get', 'endpoints', 'web2'])).code !== 0, 15_000, 100);
  });
});
