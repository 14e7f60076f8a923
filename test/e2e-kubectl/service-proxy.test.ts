// kube-proxy (iptables mode) on the real machine: a `jobyard server --proxy-mode iptables`
// process, real dockerd, the host's iptables (root). A ClusterIP Service over 3 busybox httpd pods
// that answer their own hostname, reached from a client pod, from a backend pod itself (hairpin)
// and from the host; an unready endpoint dropped; no endpoints → connection refused; the
// kubelet's Service environment variables inside a pod; after kill -9 the rules stay and the
// next start adopts them (no duplicate jumps, stale chains deleted); after a clean stop no
// KUBE- rule is left and Docker's are untouched.
// The endpoints are written by the test (a Service without selector and its EndpointSlice), so
// this shows the node's half alone; one case then runs a selector Service through the endpoint
// controllers and a readiness probe.
// (Debian's busybox wget crashes on -T: `timeout` bounds each request instead.)
// One kube-proxy runs per machine (agent/proxy/machine-lock.ts): another test's proxying server
// makes this one wait, so the test waits for its server's proxy to start, and takes the lock
// itself where it must know that no proxy is running.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { serviceChainName } from '../../agent/proxy/iptables-rules.js';
import { acquireMachineLock } from '../../agent/proxy/machine-lock.js';
import { JobyardServer } from '../support/jobyard-server.js';

const execFileAsync = promisify(execFile);
const NS = 'proxy-e2e';
const CLUSTER_IP = '10.96.200.10';
const EMPTY_IP = '10.96.200.11';
const ARGS = ['--proxy-mode', 'iptables'];
const SVC_CHAIN = serviceChainName(`${NS}/web:http`, 'tcp');

let server: JobyardServer;
let dataDir: string;
const podIPs = new Map<string, string>();

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function iptablesSave(table?: 'nat' | 'filter'): Promise<string> {
  return (await execFileAsync('iptables-save', table ? ['-t', table] : [], { maxBuffer: 64 << 20 })).stdout;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The endpoints KUBE-SVC-… of ns/web:http jumps to now, by the comment "… -> ip:port". */
async function ruleEndpoints(): Promise<string[]> {
  const nat = await iptablesSave('nat');
  return nat
    .split('\n')
    .filter((l) => l.startsWith(`-A ${SVC_CHAIN} `) && l.includes(' -> '))
    .map((l) => /-> ([\d.]+:\d+)/.exec(l)![1]!)
    .sort();
}

function endpointSlice(ready: Record<string, boolean>): object {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-manual', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Object.entries(ready).map(([pod, r]) => ({ addresses: [podIPs.get(pod)!], conditions: { ready: r }, targetRef: { kind: 'Pod', namespace: NS, name: pod } })),
  };
}

/** `count` requests to the cluster IP from inside `pod`: the hostnames that answered. */
async function hostnamesSeen(pod: string, count: number, ip = CLUSTER_IP): Promise<Map<string, number>> {
  const out = await ok(['exec', '-n', NS, pod, '--', 'sh', '-c', `for i in $(seq 1 ${count}); do timeout 5 wget -q -O - http://${ip}/ || echo FAILED; done`]);
  const seen = new Map<string, number>();
  for (const l of out.split('\n').filter(Boolean)) seen.set(l, (seen.get(l) ?? 0) + 1);
  return seen;
}

function httpdPod(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'httpd', image: 'busybox:latest', command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www'] }],
    },
  };
}

function sleeperPod(name: string, enableServiceLinks = true): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { terminationGracePeriodSeconds: 1, enableServiceLinks, containers: [{ name: 'main', image: 'busybox:latest', command: ['sleep', '3600'] }] },
  };
}

/** Until this server's kube-proxy holds the machine's lock and wrote its first sync (another test's may hold it first). */
async function proxyStarted(s: JobyardServer): Promise<void> {
  await waitFor('the kube-proxy to start', async () => s.logs().includes('kube-proxy (iptables) started'), 280_000);
}

/** Takes the machine's proxy lock from this process: no kube-proxy runs while it is held. */
async function holdProxyLock(timeoutMs = 280_000): Promise<{ release(): Promise<void> }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const held = await acquireMachineLock({ signal: abort.signal, intervalMs: 10 });
  clearTimeout(timer);
  if (!held) throw new Error('the kube-proxy lock stayed taken');
  return held;
}

beforeAll(async () => {
  server = await JobyardServer.start({ args: ARGS });
  dataDir = server.dataDir;
  await proxyStarted(server);
  await ok(['create', 'namespace', NS]);
  for (const p of ['web-0', 'web-1', 'web-2']) await ok(['apply', '-f', '-'], YAML.stringify(httpdPod(p)));
  await ok(['wait', '-n', NS, '--for=condition=Ready', 'pod/web-0', 'pod/web-1', 'pod/web-2', '--timeout=120s']);
  for (const p of ['web-0', 'web-1', 'web-2']) podIPs.set(p, (await ok(['get', 'pod', '-n', NS, p, '-o', 'jsonpath={.status.podIP}'])).trim());
  const services = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { type: 'NodePort', clusterIP: CLUSTER_IP, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: NS }, spec: { clusterIP: EMPTY_IP, ports: [{ port: 80, protocol: 'TCP' }] } },
  ];
  for (const s of services) await ok(['apply', '-f', '-'], YAML.stringify(s));
  await ok(['apply', '-f', '-'], YAML.stringify(endpointSlice({ 'web-0': true, 'web-1': true, 'web-2': true })));
  // Pods made after the Services get their variables.
  await ok(['apply', '-f', '-'], YAML.stringify(sleeperPod('client')));
  await ok(['apply', '-f', '-'], YAML.stringify(sleeperPod('no-links', false)));
  await ok(['wait', '-n', NS, '--for=condition=Ready', 'pod/client', 'pod/no-links', '--timeout=120s']);
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

describe('kube-proxy (iptables) on the real machine', () => {
  it('writes the Service into the host iptables (nft, where Docker is) and spreads a client pod over all 3 endpoints', async () => {
    const want = [...podIPs.values()].map((ip) => `${ip}:8080`).sort();
    await waitFor('3 endpoints in the rules', async () => JSON.stringify(await ruleEndpoints()) === JSON.stringify(want));
    const seen = await hostnamesSeen('client', 60);
    expect([...seen.keys()].sort()).toEqual(['web-0', 'web-1', 'web-2']);
  }, 120_000);

  it('reaches the cluster IP from the host (OUTPUT) and a pod reaches itself through it (hairpin)', async () => {
    const res = await fetch(`http://${CLUSTER_IP}/`, { signal: AbortSignal.timeout(5_000) });
    expect(['web-0\n', 'web-1\n', 'web-2\n']).toContain(await res.text());
    const fromWeb0 = await hostnamesSeen('web-0', 40);
    expect(fromWeb0.has('FAILED')).toBe(false);
    expect(fromWeb0.get('web-0')).toBeGreaterThan(0);
  }, 120_000);

  it("answers on the node port (allocated by the API) at the node's address, from the host and from a pod", async () => {
    const nodePort = (await ok(['get', 'service', '-n', NS, 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim();
    expect(Number(nodePort)).toBeGreaterThanOrEqual(30000);
    const nodeIP = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}'])).trim().split(' ')[0]!;
    const res = await fetch(`http://${nodeIP}:${nodePort}/`, { signal: AbortSignal.timeout(5_000) });
    expect(['web-0\n', 'web-1\n', 'web-2\n']).toContain(await res.text());
    const fromPod = await ok(['exec', '-n', NS, 'client', '--', 'timeout', '5', 'wget', '-q', '-O', '-', `http://${nodeIP}:${nodePort}/`]);
    expect(['web-0\n', 'web-1\n', 'web-2\n']).toContain(fromPod);
  });

  it('brings a pod to the API server through the kubernetes Service (10.96.0.1:443 to its Endpoints)', async () => {
    const ep = await ok(['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}']);
    expect(ep).toMatch(/^[\d.]+:\d+$/);
    // The rules send 10.96.0.1:443 to the API server's pod address (what the Endpoints say)...
    const svcChain = serviceChainName('default/kubernetes:https', 'tcp');
    const nat = await iptablesSave('nat');
    expect(nat).toContain(`-d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j ${svcChain}`);
    expect(nat).toContain(`--to-destination ${ep}`);
    // ...and a pod connects there (TCP: busybox's ssl_client fails the server's TLS handshake, alert 40).
    const r = await server.kubectl(['exec', '-n', NS, 'client', '--', 'sh', '-c', 'echo | timeout 5 nc 10.96.0.1 443 >/dev/null; echo rc=$?']);
    expect(r.stdout.trim()).toBe('rc=0');
  });

  it('refuses connections to a Service without endpoints (REJECT)', async () => {
    const r = await server.kubectl(['exec', '-n', NS, 'client', '--', 'timeout', '5', 'wget', '-q', '-O', '-', `http://${EMPTY_IP}/`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/refused/i);
  });

  it("sets the Services' environment variables in a pod, none of the namespace's with enableServiceLinks: false", async () => {
    const env = new Map(
      (await ok(['exec', '-n', NS, 'client', '--', 'env'])).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    expect(env.get('WEB_SERVICE_HOST')).toBe(CLUSTER_IP);
    expect(env.get('WEB_SERVICE_PORT')).toBe('80');
    expect(env.get('WEB_SERVICE_PORT_HTTP')).toBe('80');
    expect(env.get('WEB_PORT')).toBe(`tcp://${CLUSTER_IP}:80`);
    expect(env.get('WEB_PORT_80_TCP_ADDR')).toBe(CLUSTER_IP);
    expect(env.get('EMPTY_SERVICE_HOST')).toBe(EMPTY_IP);
    const noLinks = await ok(['exec', '-n', NS, 'no-links', '--', 'env']);
    expect(noLinks).not.toMatch(/^(WEB|EMPTY)_/m);
    // The kubernetes Service in default, when the server has it, reaches every pod.
    const k8s = await server.kubectl(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']);
    if (k8s.code === 0 && k8s.stdout) {
      expect(env.get('KUBERNETES_SERVICE_HOST')).toBe(k8s.stdout.trim());
      expect(noLinks).toContain(`KUBERNETES_SERVICE_HOST=${k8s.stdout.trim()}`);
    }
  });

  it('stops sending traffic to an endpoint that is no longer ready', async () => {
    await ok(['apply', '-f', '-'], YAML.stringify(endpointSlice({ 'web-0': true, 'web-1': true, 'web-2': false })));
    const want = [podIPs.get('web-0')!, podIPs.get('web-1')!].map((ip) => `${ip}:8080`).sort();
    await waitFor('web-2 out of the rules', async () => JSON.stringify(await ruleEndpoints()) === JSON.stringify(want));
    const seen = await hostnamesSeen('client', 40);
    expect([...seen.keys()].sort()).toEqual(['web-0', 'web-1']);
  }, 120_000);

  it("follows the endpoint controllers: a selector Service with a named targetPort, a pod failing its readiness probe dropped from the rules and the traffic", async () => {
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS, labels: { app: 'rw' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'httpd',
            image: 'busybox:latest',
            command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www'],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      },
    });
    for (const p of ['rw-0', 'rw-1', 'rw-2']) await ok(['apply', '-f', '-'], YAML.stringify(pod(p)));
    await ok(['apply', '-f', '-'], YAML.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rw', namespace: NS }, spec: { selector: { app: 'rw' }, ports: [{ port: 80, targetPort: 'http' }] } }));
    await ok(['wait', '-n', NS, '--for=condition=Ready', 'pod/rw-0', 'pod/rw-1', 'pod/rw-2', '--timeout=120s']);
    const ip = (await ok(['get', 'service', '-n', NS, 'rw', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const chain = serviceChainName(`${NS}/rw`, 'tcp');
    const jumps = async () => (await iptablesSave('nat')).split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes(' -> ')).length;
    await waitFor('3 endpoints of rw in the rules', async () => (await jumps()) === 3);
    expect([...(await hostnamesSeen('client', 60, ip)).keys()].sort()).toEqual(['rw-0', 'rw-1', 'rw-2']);
    await ok(['exec', '-n', NS, 'rw-2', '--', 'rm', '/tmp/ready']);
    await waitFor('rw-2 out of the rules', async () => (await jumps()) === 2, 30_000);
    expect([...(await hostnamesSeen('client', 40, ip)).keys()].sort()).toEqual(['rw-0', 'rw-1']);
  }, 300_000);

  it('leaves the rules in place on kill -9; the next start adopts them (no duplicate jumps) and deletes stale chains', async () => {
    await server.kill9();
    // The kernel dropped the dead server's lock: take it before any other proxy of this machine can.
    const lock = await holdProxyLock();
    // Traffic keeps flowing while the server is down, as with a crashed kube-proxy.
    expect(await ruleEndpoints()).toHaveLength(2);
    // A chain of a service that went away while nobody watched.
    await execFileAsync('iptables', ['-w', '5', '-t', 'nat', '-N', 'KUBE-SVC-AAAAAAAAAAAAAAAA']);
    await lock.release();
    server = await JobyardServer.start({ dataDir, args: ARGS });
    // Its first sync done (another test's proxy may have held the machine meanwhile).
    await proxyStarted(server);
    expect(await iptablesSave('nat')).not.toContain('KUBE-SVC-AAAAAAAAAAAAAAAA');
    const nat = await iptablesSave('nat');
    const filter = await iptablesSave('filter');
    const count = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;
    expect(count(nat, /^-A PREROUTING .*-j KUBE-SERVICES$/)).toBe(1);
    expect(count(nat, /^-A OUTPUT .*-j KUBE-SERVICES$/)).toBe(1);
    expect(count(nat, /^-A POSTROUTING .*-j KUBE-POSTROUTING$/)).toBe(1);
    expect(count(filter, /^-A FORWARD .*-j KUBE-FORWARD$/)).toBe(1);
    expect(count(nat, new RegExp(`^:${SVC_CHAIN} `))).toBe(1);
    expect(count(nat, new RegExp(`^-A KUBE-SERVICES .*-j ${SVC_CHAIN}$`))).toBe(1);
    expect(await ruleEndpoints()).toHaveLength(2);
    const seen = await hostnamesSeen('client', 20);
    expect([...seen.keys()].sort().every((h) => h === 'web-0' || h === 'web-1')).toBe(true);
  }, 600_000);

  it("removes every KUBE- rule and chain on a clean stop, and no rule of Docker's", async () => {
    // Docker's own rules (not those of containers that come and go meanwhile).
    const dockerRules = (save: string) => save.split('\n').filter((l) => l.includes('DOCKER') && !/\d+\.\d+\.\d+\.\d+\/32/.test(l));
    const dockerBefore = dockerRules(await iptablesSave());
    await server.stop();
    // Holding the lock: no kube-proxy runs now (one that ran after ours stopped cleanly too).
    const lock = await holdProxyLock();
    try {
      const after = await iptablesSave();
      expect(after.split('\n').filter((l) => l.includes('KUBE-'))).toEqual([]);
      expect(dockerRules(after)).toEqual(expect.arrayContaining(dockerBefore));
    } finally {
      await lock.release();
    }
  }, 600_000);
});
