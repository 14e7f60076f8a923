// core/v1 Services on the real server with kubectl 1.32: ClusterIP and NodePort allocation with
// upstream's messages, allocations surviving a kill -9 (neither lost nor doubled) and freed on
// delete, the `kubernetes` Service and its Endpoints recreated and put back, kubectl's columns.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { apiRequest } from '../support/api.js';
import { waitFor } from '../support/wait.js';

// The engine's bridge gateway: a non-loopback address pods reach the API on (Endpoints refuse loopback).
const POD_ADDRESS = '172.17.0.1';
const esc = (s: string) => s.replaceAll('.', '\\.');

const running: JobyardServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function start(dataDir: string, extra: string[] = []): Promise<JobyardServer> {
  const s = await JobyardServer.start({ dataDir, args: ['--no-controllers', '--no-agent', '--pod-api-address', POD_ADDRESS, ...extra] });
  running.push(s);
  return s;
}

const service = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

async function create(s: JobyardServer, body: unknown) {
  return apiRequest(s, 'POST', '/api/v1/namespaces/default/services', { body });
}

describe('Service allocation', () => {
  it('allocates and refuses ClusterIPs and NodePorts as upstream, keeps them across kill -9, frees them on delete', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-svc-'));
    const first = await start(dataDir);

    const auto = await create(first, service('auto', {}));
    expect(auto.code).toBe(201);
    const autoIP = auto.json().spec.clusterIP as string;
    expect(autoIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(auto.json().spec).toMatchObject({ clusterIPs: [autoIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' });
    expect(auto.json().spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);

    expect((await create(first, service('fixed', { clusterIP: '10.96.0.50' }))).code).toBe(201);
    const taken = await create(first, service('taken', { clusterIP: '10.96.0.50' }));
    expect(taken.code).toBe(422);
    expect(taken.json().message).toBe('Service "taken" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.50"]: failed to allocate IP 10.96.0.50: provided IP is already allocated');
    const outside = await create(first, service('outside', { clusterIP: '10.0.0.1' }));
    expect(outside.json().message).toBe(
      'Service "outside" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );

    const np = await create(first, service('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { name: 'auto', port: 81 }].map((p, i) => (i === 0 ? { name: 'web', ...p } : p)) }));
    expect(np.code).toBe(201);
    const autoNodePort = np.json().spec.ports[1].nodePort as number;
    expect(autoNodePort).toBeGreaterThanOrEqual(30000);
    expect(autoNodePort).toBeLessThanOrEqual(32767);
    expect(np.json().spec.externalTrafficPolicy).toBe('Cluster');
    const portTaken = await create(first, service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(portTaken.json().message).toBe('Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const portOutside = await create(first, service('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }));
    expect(portOutside.json().message).toBe(
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // A refused create left nothing taken: the same request succeeds once the name is fixed.
    expect((await create(first, service('bad-name_', { clusterIP: '10.96.0.60' }))).code).toBe(422);
    expect((await create(first, service('sixty', { clusterIP: '10.96.0.60' }))).code).toBe(201);

    await first.kill9();
    running.splice(running.indexOf(first), 1);
    const second = await start(dataDir);

    // Nothing lost: every stored address and port is still taken after the restart.
    for (const [name, ip] of [['again-auto', autoIP], ['again-fixed', '10.96.0.50'], ['again-sixty', '10.96.0.60']]) {
      const r = await create(second, service(name!, { clusterIP: ip }));
      expect(r.json().message).toContain(`failed to allocate IP ${ip}: provided IP is already allocated`);
    }
    for (const port of [30080, autoNodePort]) {
      const r = await create(second, service('again-np', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
      expect(r.json().message).toContain(`Invalid value: ${port}: provided port is already allocated`);
    }
    // Nothing doubled: 30 new Services get 30 addresses no other Service has.
    const ips = new Set([autoIP, '10.96.0.1', '10.96.0.50', '10.96.0.60']);
    for (let i = 0; i < 30; i++) {
      const r = await create(second, service(`more-${i}`, {}));
      expect(r.code).toBe(201);
      expect(ips.has(r.json().spec.clusterIP)).toBe(false);
      ips.add(r.json().spec.clusterIP);
    }

    // Freed on delete (and on a type change that drops the node ports).
    expect((await apiRequest(second, 'DELETE', '/api/v1/namespaces/default/services/fixed')).code).toBe(200);
    await waitFor('10.96.0.50 freed', async () => (await create(second, service('reuse', { clusterIP: '10.96.0.50' }))).code === 201, 10_000);
    const toClusterIP = await apiRequest(second, 'PATCH', '/api/v1/namespaces/default/services/np', {
      body: { spec: { type: 'ClusterIP', ports: [{ name: 'web', port: 80, nodePort: null }, { name: 'auto', port: 81, nodePort: null }] } },
      contentType: 'application/merge-patch+json',
    });
    expect(toClusterIP.code).toBe(200);
    expect(toClusterIP.json().spec.ports.map((p: { nodePort?: number }) => p.nodePort)).toEqual([undefined, undefined]);
    expect((await create(second, service('np-reuse', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).code).toBe(201);

    // ClusterIP is immutable.
    const change = await apiRequest(second, 'PATCH', '/api/v1/namespaces/default/services/auto', {
      body: { spec: { clusterIP: '10.96.0.70', clusterIPs: ['10.96.0.70'] } },
      contentType: 'application/merge-patch+json',
    });
    expect(change.code).toBe(422);
    expect(change.json().message).toContain('spec.clusterIPs[0]: Invalid value: ["10.96.0.70"]: may not change once set');
  });

  it('keeps the kubernetes Service and its Endpoints, and kubectl shows Services as upstream', async () => {
    const s = await start(mkdtempSync(join(tmpdir(), 'jobyard-svc-')));
    const svc = await s.kubectl(['get', 'service', 'kubernetes', '-o', 'json']);
    expect(svc.code).toBe(0);
    const k = JSON.parse(svc.stdout);
    expect(k.spec).toMatchObject({ clusterIP: '10.96.0.1', type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: s.port }] });
    expect(k.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    const ep = JSON.parse((await s.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'json'])).stdout);
    expect(ep.subsets).toEqual([{ addresses: [{ ip: POD_ADDRESS }], ports: [{ name: 'https', port: s.port, protocol: 'TCP' }] }]);

    // Deleted: back at once; changed: put back.
    expect((await s.kubectl(['delete', 'service', 'kubernetes'])).code).toBe(0);
    await waitFor('kubernetes Service recreated', async () => (await s.kubectl(['get', 'service', 'kubernetes'])).code === 0, 10_000);
    expect(JSON.parse((await s.kubectl(['get', 'service', 'kubernetes', '-o', 'json'])).stdout).spec.clusterIP).toBe('10.96.0.1');
    expect((await s.kubectl(['patch', 'endpoints', 'kubernetes', '--type=merge', '-p', '{"subsets":[{"addresses":[{"ip":"10.1.2.3"}],"ports":[{"name":"https","port":1}]}]}'])).code).toBe(0);
    await waitFor('kubernetes Endpoints put back', async () => JSON.parse((await s.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'json'])).stdout).subsets[0].addresses[0].ip === POD_ADDRESS, 15_000);

    expect((await s.kubectl(['create', 'service', 'nodeport', 'web', '--tcp=80:8080', '--node-port=30090'])).code).toBe(0);
    expect((await s.kubectl(['create', 'service', 'clusterip', 'headless', '--clusterip=None'])).code).toBe(0);
    expect((await s.kubectl(['create', 'service', 'externalname', 'db', '--external-name=db.example.com'])).code).toBe(0);
    const get = await s.kubectl(['get', 'svc']);
    const lines = get.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    expect(lines.find((l) => l.startsWith('web '))).toMatch(/^web\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30090\/TCP\s+\d+s$/);
    expect(lines.find((l) => l.startsWith('headless '))).toMatch(/^headless\s+ClusterIP\s+None\s+<none>\s+<none>\s+\d+s$/);
    expect(lines.find((l) => l.startsWith('db '))).toMatch(/^db\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+\d+s$/);
    expect(lines.find((l) => l.startsWith('kubernetes '))).toMatch(/^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s$/);
    const wide = await s.kubectl(['get', 'svc', 'web', '-o', 'wide']);
    expect(wide.stdout).toMatch(/SELECTOR\n.*app=web/);
    const eps = await s.kubectl(['get', 'ep', 'kubernetes']);
    expect(eps.stdout).toMatch(new RegExp(`^NAME\\s+ENDPOINTS\\s+AGE\\nkubernetes\\s+${esc(POD_ADDRESS)}:${s.port}\\s+\\d+s\\n$`));
    const slices = await s.kubectl(['get', 'endpointslices', 'kubernetes']);
    expect(slices.stdout).toMatch(new RegExp(`^NAME\\s+ADDRESSTYPE\\s+PORTS\\s+ENDPOINTS\\s+AGE\\nkubernetes\\s+IPv4\\s+${s.port}\\s+${esc(POD_ADDRESS)}\\s+\\d+s\\n$`));
    const describe = await s.kubectl(['describe', 'svc', 'web']);
    expect(describe.stdout).toMatch(/Type:\s+NodePort/);
    expect(describe.stdout).toMatch(/NodePort:\s+80-8080\s+30090\/TCP/);
    expect(describe.stdout).toMatch(/IP Family Policy:\s+SingleStack/);

    // kubectl expose works for pods and services (and the workload kinds); a Job it refuses itself, as on any cluster.
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
    expect((await s.kubectl(['apply', '-f', '-'], JSON.stringify(job))).code).toBe(0);
    const exposeJob = await s.kubectl(['expose', 'job/pi', '--port', '80']);
    expect(exposeJob.code).toBe(1);
    expect(exposeJob.stderr.trim()).toBe('error: cannot expose a Job.batch');
    expect((await s.kubectl(['expose', 'service', 'web', '--name', 'web-copy', '--port', '8081', '--target-port', '8080'])).code).toBe(0);
    const copy = JSON.parse((await s.kubectl(['get', 'svc', 'web-copy', '-o', 'json'])).stdout);
    expect(copy.spec).toMatchObject({ selector: { app: 'web' }, ports: [{ port: 8081, protocol: 'TCP', targetPort: 8080 }], type: 'ClusterIP' });
  });
});
