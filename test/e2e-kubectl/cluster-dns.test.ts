// Cluster DNS on the real machine: `jobyard server --proxy-mode iptables --cluster-dns`, real
// dockerd, pods asking with busybox's nslookup. Each record kind of the Kubernetes DNS
// specification from inside a pod (ClusterIP A, headless multi-A, an Indexed Job pod's
// `example-job-0.workers` name, SRV of a named port, ExternalName's CNAME, PTR), a name outside
// the cluster forwarded to the host's resolvers, the kube-dns Service at 10.96.0.10 carried by
// kube-proxy, each dnsPolicy's /etc/resolv.conf, and a pod reaching the API by its well-known name.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

const NS = 'dns-e2e';
let server: JobyardServer;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Runs a shell line in the client pod; stdout and stderr together (nslookup writes to both). */
async function inClient(script: string): Promise<string> {
  const r = await server.kubectl(['exec', '-n', NS, 'client', '--', 'sh', '-c', `${script} 2>&1`]);
  return r.stdout + r.stderr;
}

const busybox = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, labels },
  spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }], ...extra },
});

/** The host's first resolver a pod can reach (not loopback), as the kubelet gives dnsPolicy Default. */
function hostResolver(): string | undefined {
  return readFileSync('/etc/resolv.conf', 'utf8')
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .find((ip) => ip && !ip.startsWith('127.'));
}

describe('cluster DNS (kube-dns at 10.96.0.10, served by jobyard)', () => {
  let webIP = '';
  const jobPodIPs = new Map<number, string>();

  beforeAll(async () => {
    // A port of its own behind the kube-dns Service (kube-proxy carries 10.96.0.10:53 there): port 53 may be another server's.
    server = await JobyardServer.start({ args: ['--proxy-mode', 'iptables', '--cluster-dns', '--cluster-dns-port', '0'] });
    await ok(['create', 'namespace', NS]);
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: NS },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'workers', namespace: NS },
        spec: { clusterIP: 'None', selector: { 'job-name': 'example-job' }, ports: [{ name: 'http', port: 8080 }] },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mirror', namespace: NS }, spec: { type: 'ExternalName', externalName: 'deb.debian.org' } },
      {
        ...busybox('web', {}, { app: 'web' }),
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'httpd', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www'], ports: [{ name: 'web', containerPort: 8080 }] }],
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'example-job', namespace: NS },
        spec: {
          completionMode: 'Indexed',
          completions: 2,
          parallelism: 2,
          template: { spec: { subdomain: 'workers', restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'w', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } },
        },
      },
      busybox('client'),
      busybox('host-dns', { dnsPolicy: 'Default' }),
      busybox('own-dns', { dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.53'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }),
    ];
    await ok(['apply', '-f', '-'], objects.map((o) => YAML.stringify(o)).join('---\n'));
    await ok(['wait', '-n', NS, '--for=condition=Ready', 'pod', '--all', '--timeout=180s']);
    webIP = (await ok(['get', 'svc', '-n', NS, 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const pods = JSON.parse(await ok(['get', 'pods', '-n', NS, '-l', 'job-name=example-job', '-o', 'json'])) as {
      items: { metadata: { annotations: Record<string, string> }; status: { podIP: string } }[];
    };
    for (const p of pods.items) jobPodIPs.set(Number(p.metadata.annotations['batch.kubernetes.io/job-completion-index']), p.status.podIP);
    // The endpoint controllers publish the ready pods; wait until the headless Service has both.
    const deadline = Date.now() + 60_000;
    while ((await inClient('nslookup workers.dns-e2e.svc.cluster.local')).match(/Address: 172\./g)?.length !== 2) {
      if (Date.now() > deadline) throw new Error('the headless Service never listed both Job pods');
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 300_000);

  afterAll(async () => {
    await server?.kubectl(['delete', 'namespace', NS, '--wait=false']);
    await server?.stop();
  });

  it('pods of ClusterFirst get the kube-dns Service, the cluster search path and ndots:5', async () => {
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv).toMatch(/^nameserver 10\.96\.0\.10$/m);
    expect(resolv).toMatch(/^search dns-e2e\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    expect(resolv).toMatch(/^options ndots:5$/m);
    const svc = JSON.parse(await ok(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'json'])) as { spec: { clusterIP: string; ports: { name: string; protocol: string }[] } };
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.ports.map((p) => `${p.name}/${p.protocol}`)).toEqual(['dns/UDP', 'dns-tcp/TCP']);
  });

  it('a ClusterIP Service: its name answers its cluster IP, and HTTP reaches it by name (DNS and kube-proxy together)', async () => {
    const out = await inClient('nslookup web.dns-e2e.svc.cluster.local');
    expect(out).toContain(`Address: ${webIP}`);
    expect((await inClient('timeout 10 wget -q -O - http://web.dns-e2e.svc.cluster.local/')).trim()).toBe('web');
    // The search path: a short name from the same namespace.
    expect((await inClient('timeout 10 wget -q -O - http://web/')).trim()).toBe('web');
  });

  it('a headless Service: one A per ready pod; the Indexed Job pods answer to example-job-N.workers', async () => {
    const all = await inClient('nslookup workers.dns-e2e.svc.cluster.local');
    expect([...all.matchAll(/Address: (172\.[\d.]+)/g)].map((m) => m[1]).sort()).toEqual([...jobPodIPs.values()].sort());
    for (const [index, ip] of jobPodIPs) {
      expect(await inClient(`nslookup example-job-${index}.workers.dns-e2e.svc.cluster.local`)).toContain(`Address: ${ip}`);
    }
  });

  it('SRV of a named port; PTR of the cluster IP; the ExternalName CNAME; NXDOMAIN for a missing Service', async () => {
    expect(await inClient('nslookup -type=SRV _http._tcp.web.dns-e2e.svc.cluster.local')).toMatch(/service = 0 100 80 web\.dns-e2e\.svc\.cluster\.local/);
    expect(await inClient(`nslookup ${webIP}`)).toMatch(/name = web\.dns-e2e\.svc\.cluster\.local/);
    expect(await inClient('nslookup -type=CNAME mirror.dns-e2e.svc.cluster.local')).toMatch(/canonical name = deb\.debian\.org/);
    expect(await inClient('nslookup nope.dns-e2e.svc.cluster.local')).toMatch(/NXDOMAIN/);
  });

  it("a name outside the cluster is forwarded to the host's resolvers", async () => {
    const out = await inClient('nslookup deb.debian.org');
    expect(out).toMatch(/Name:\s+deb\.debian\.org/);
    expect(out).toMatch(/Address: \d+\.\d+\.\d+\.\d+/);
  });

  it('a pod lists the Jobs of its namespace through https://kubernetes.default.svc with its projected token and ca.crt', async () => {
    // Python's resolver follows the search path (kubernetes.default.svc → ….svc.cluster.local → 10.96.0.1),
    // kube-proxy carries 10.96.0.1:443 to the API's pod listener, whose certificate names kubernetes.default.svc.
    const program = [
      'import json, ssl, urllib.request',
      "d = '/var/run/secrets/kubernetes.io/serviceaccount/'",
      "ctx = ssl.create_default_context(cafile=d + 'ca.crt')",
      "req = urllib.request.Request('https://kubernetes.default.svc/apis/batch/v1/namespaces/' + open(d + 'namespace').read() + '/jobs', headers={'Authorization': 'Bearer ' + open(d + 'token').read()})",
      "print(json.dumps(sorted(j['metadata']['name'] for j in json.load(urllib.request.urlopen(req, context=ctx))['items'])))",
    ].join('\n');
    await ok(['apply', '-f', '-'], YAML.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-lister', namespace: NS },
      spec: { restartPolicy: 'Never', automountServiceAccountToken: true, containers: [{ name: 'c', image: 'jobyard/workqueue:latest', imagePullPolicy: 'IfNotPresent', command: ['python3', '-c', program] }] },
    }));
    await ok(['wait', '-n', NS, '--for=jsonpath={.status.phase}=Succeeded', 'pod/api-lister', '--timeout=120s']);
    expect(JSON.parse(await ok(['logs', '-n', NS, 'api-lister']))).toEqual(['example-job']);
  });

  it("dnsPolicy Default gives the host's resolvers; None gives dnsConfig alone", async () => {
    const host = await server.kubectl(['exec', '-n', NS, 'host-dns', '--', 'cat', '/etc/resolv.conf']);
    const resolver = hostResolver();
    if (resolver) expect(host.stdout).toContain(`nameserver ${resolver}`);
    expect(host.stdout).not.toContain('10.96.0.10');
    const own = (await server.kubectl(['exec', '-n', NS, 'own-dns', '--', 'cat', '/etc/resolv.conf'])).stdout;
    expect(own).toMatch(/^nameserver 192\.0\.2\.53$/m);
    expect(own).toMatch(/^search corp\.example$/m);
    expect(own).toMatch(/^options ndots:2 edns0$/m);
    expect(own).not.toContain('10.96.0.10');
  });
});
