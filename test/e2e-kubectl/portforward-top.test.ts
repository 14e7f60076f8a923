// kubectl port-forward and kubectl top against a real `jobyard server` whose node agent runs
// the pods as Docker containers: kubectl's own SPDY-over-WebSocket tunnel and, with
// KUBECTL_PORT_FORWARD_WEBSOCKETS=false, SPDY itself; metrics.k8s.io from the engine's stats.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
const forwards: ChildProcess[] = [];

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

interface Forward {
  proc: ChildProcess;
  /** Local port by remote port, as kubectl printed them. */
  ports: Map<number, number>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `kubectl port-forward` with random local ports; resolves once it listens on all of them. */
async function portForward(target: string, remotePorts: number[], env: Record<string, string> = {}, flags: string[] = []): Promise<Forward> {
  // -v=6 logs the upgrade: which transport was used.
  const proc = spawn('kubectl', ['--kubeconfig', server.kubeconfig, ...flags, 'port-forward', '-v=6', '--address', '127.0.0.1', target, ...remotePorts.map((p) => `:${p}`)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forwards.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ports = new Map<number, number>();
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      for (const m of out.matchAll(/Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/g)) ports.set(Number(m[2]), Number(m[1]));
      if (ports.size === remotePorts.length) resolve();
    });
    void exited.then((code) => reject(new Error(`kubectl port-forward exited (${code}): ${err}${out}`)));
  });
  return { proc, ports, stdout: () => out, stderr: () => err, exited };
}

/** One HTTP/1.0 exchange over a fresh TCP connection: the whole answer, headers and body. */
function httpGet(port: number, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.0\r\nHost: pod\r\n\r\n`);
  });
}

const bodyOf = (answer: Buffer) => answer.subarray(answer.indexOf('\r\n\r\n') + 4);

beforeAll(async () => {
  server = await JobyardServer.start();
  const pods = [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'httpd',
            image: 'busybox:latest',
            // Two servers on two ports, and a file of 2 MiB of random bytes.
            command: ['sh', '-c', 'mkdir -p /a /b && echo alpha > /a/index.html && echo beta > /b/index.html && head -c 2097152 /dev/urandom > /a/big && httpd -p 8080 -h /a && httpd -p 8081 -h /b && exec sleep 3600'],
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'burn', labels: { app: 'burn' } },
      spec: {
        restartPolicy: 'Never',
        // A fifth of a core at most (the CFS quota): busy, and kind to a shared machine.
        containers: [{ name: 'spin', image: 'busybox:latest', command: ['sh', '-c', 'while :; do :; done'], resources: { limits: { cpu: '200m', memory: '64Mi' } } }],
      },
    },
  ];
  await ok(['apply', '-f', '-'], pods.map((p) => YAML.stringify(p)).join('---\n'));
  await ok(['wait', '--for=condition=Ready', 'pod/web', 'pod/burn', '--timeout=120s']);
  // httpd is up once index.html answers through exec.
  for (let i = 0; i < 50; i++) {
    const r = await server.kubectl(['exec', 'web', '--', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8081/']);
    if (r.stdout === 'beta\n') break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  for (const p of forwards) if (p.exitCode === null) p.kill('SIGTERM');
  await server?.stop();
});

describe('kubectl port-forward', () => {
  it('carries TCP exchanges to two ports of a pod at once (WebSocket tunnel, kubectl’s default)', async () => {
    const fwd = await portForward('pod/web', [8080, 8081]);
    const [a, b] = await Promise.all([httpGet(fwd.ports.get(8080)!, '/'), httpGet(fwd.ports.get(8081)!, '/')]);
    expect(bodyOf(a).toString()).toBe('alpha\n');
    expect(bodyOf(b).toString()).toBe('beta\n');
    // 2 MiB through the tunnel, checked against the pod's own sha256sum; then more connections, concurrently.
    const inPod = (await ok(['exec', 'web', '--', 'sha256sum', '/a/big'])).split(' ')[0];
    const bigs = await Promise.all([1, 2, 3].map(() => httpGet(fwd.ports.get(8080)!, '/big')));
    for (const big of bigs) {
      expect(bodyOf(big).length).toBe(2097152);
      expect(createHash('sha256').update(bodyOf(big)).digest('hex')).toBe(inPod);
    }
    expect(fwd.stdout().match(/Handling connection for/g)?.length).toBe(5);
    // The WebSocket tunnel was taken, without falling back.
    expect(fwd.stderr()).toMatch(/GET https:\/\/\S+\/pods\/web\/portforward 101 Switching Protocols/);
    expect(fwd.stderr()).not.toMatch(/fallback|Unhandled Error/);
    fwd.proc.kill('SIGTERM');
    await fwd.exited;
  });

  it('works over SPDY itself, the protocol older clients and the fallback speak', async () => {
    const fwd = await portForward('pod/web', [8081], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    expect(fwd.stderr()).toMatch(/POST https:\/\/\S+\/pods\/web\/portforward 101 Switching Protocols/);
    expect(fwd.stderr()).not.toMatch(/tunneling_dialer/);
    expect(bodyOf(await httpGet(fwd.ports.get(8081)!, '/')).toString()).toBe('beta\n');
    expect(bodyOf(await httpGet(fwd.ports.get(8081)!, '/index.html')).toString()).toBe('beta\n');
    fwd.proc.kill('SIGTERM');
    await fwd.exited;
  });

  it('a port nothing listens on: the connection is closed and kubectl prints the node’s error', async () => {
    const fwd = await portForward('pod/web', [9999]);
    const answer = await httpGet(fwd.ports.get(9999)!, '/');
    expect(answer.length).toBe(0);
    // kubectl 1.32 prints the error stream's text and ends the session.
    const code = await fwd.exited;
    expect(fwd.stderr()).toMatch(/an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod \S+, uid : .*connect: connection refused/);
    expect(code).not.toBe(0);
  });

  it('@kubernetes/client-node’s PortForward (the kubelet’s channel protocol, ports in the query): an HTTP exchange, and a refused port’s error', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const forward = new k8s.PortForward(kc);
    const exchange = async (port: number) => {
      const chunks: Buffer[] = [];
      const errors: Buffer[] = [];
      const collect = (into: Buffer[]) => new Writable({ write: (c: Buffer, _e, done) => (into.push(Buffer.from(c)), done()) });
      const input = new PassThrough();
      const ws = (await forward.portForward('default', 'web', [port], collect(chunks), collect(errors), input)) as { on(e: 'close', f: () => void): void };
      const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
      input.write('GET / HTTP/1.0\r\n\r\n');
      await closed;
      return { out: Buffer.concat(chunks).toString(), err: Buffer.concat(errors).toString() };
    };
    const ok8081 = await exchange(8081);
    expect(ok8081.out).toMatch(/^HTTP\/1\.[01] 200 OK/);
    expect(ok8081.out.endsWith('\r\n\r\nbeta\n')).toBe(true);
    expect(ok8081.err).toBe('');
    const refused = await exchange(9999);
    expect(refused.out).toBe('');
    // Docker's words end there; containerd's go on with its IPv6 attempt.
    expect(refused.err).toMatch(/^error forwarding port 9999 to pod \S+, uid : .*connect: connection refused/);
  });

  it('reaches a hostNetwork pod’s port on the node (127.0.0.1)', async () => {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hostnet', labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged' } } };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'onhost', namespace: 'hostnet' },
      spec: { hostNetwork: true, restartPolicy: 'Never', containers: [{ name: 'httpd', image: 'busybox:latest', command: ['sh', '-c', `mkdir -p /h && echo on-host > /h/index.html && exec httpd -f -p 127.0.0.1:${port} -h /h`] }] },
    };
    await ok(['apply', '-f', '-'], [ns, pod].map((o) => YAML.stringify(o)).join('---\n'));
    await ok(['-n', 'hostnet', 'wait', '--for=condition=Ready', 'pod/onhost', '--timeout=120s']);
    const fwd = await portForward('pod/onhost', [port], {}, ['-n', 'hostnet']);
    let body = '';
    for (let i = 0; i < 50 && body !== 'on-host\n'; i++) {
      body = bodyOf(await httpGet(fwd.ports.get(port)!, '/').catch(() => Buffer.alloc(0))).toString();
      if (body !== 'on-host\n') await new Promise((r) => setTimeout(r, 200));
    }
    expect(body).toBe('on-host\n');
    fwd.proc.kill('SIGTERM');
    await fwd.exited;
    await ok(['delete', 'namespace', 'hostnet', '--wait=false']);
  });

  it('refuses a pod that is not running, as kubectl checks first', async () => {
    await ok(['apply', '-f', '-'], YAML.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:latest', command: ['true'] }] } }));
    await ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/done', '--timeout=120s']);
    const r = await server.kubectl(['port-forward', 'pod/done', ':80']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unable to forward port because pod is not running. Current status=Succeeded');
  });
});

describe('kubectl top (metrics.k8s.io/v1beta1)', () => {
  it('is listed in discovery, as metrics-server’s API is', async () => {
    const out = await ok(['api-resources', '--api-group=metrics.k8s.io', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['nodes', 'metrics.k8s.io/v1beta1', 'false', 'NodeMetrics'],
      ['pods', 'metrics.k8s.io/v1beta1', 'true', 'PodMetrics'],
    ]);
  });

  it('kubectl top pod: a pod burning CPU shows CPU near its limit and memory above zero', async () => {
    // Two samples a second apart at the least; the pod's quota is 200m.
    const out = await ok(['top', 'pod', 'burn', '--no-headers']);
    const [name, cpu, memory] = out.trim().split(/\s+/);
    expect(name).toBe('burn');
    const millicores = Number(/^(\d+)m$/.exec(cpu)?.[1]);
    expect(millicores).toBeGreaterThan(50);
    expect(millicores).toBeLessThanOrEqual(260);
    expect(Number(/^(\d+)Mi$/.exec(memory)?.[1])).toBeGreaterThanOrEqual(0);
    // Every running pod of the namespace, by label too.
    expect(await ok(['top', 'pod', '-l', 'app=burn', '--no-headers'])).toMatch(/^burn\s+\d+m\s+\d+Mi\s*$/);
    const all = await ok(['top', 'pod', '--no-headers', '--containers']);
    expect(all).toMatch(/^burn\s+spin\s+\d+m\s+\d+Mi\s*$/m);
    expect(all).toMatch(/^web\s+httpd\s+\d+m\s+\d+Mi\s*$/m);
  });

  it('answers PodMetrics as metrics-server writes them: quantities, timestamp, window', async () => {
    const m = JSON.parse(await ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burn'])) as {
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      timestamp: string;
      window: string;
      containers: { name: string; usage: { cpu: string; memory: string } }[];
    };
    expect(m.kind).toBe('PodMetrics');
    expect(m.metadata).toMatchObject({ name: 'burn', namespace: 'default', labels: { app: 'burn' } });
    expect(m.window).toMatch(/^\d+(\.\d+)?s$|^\d+m[\d.]+s$/);
    expect(Date.parse(m.timestamp)).toBeGreaterThan(0);
    expect(m.containers.map((c) => c.name)).toEqual(['spin']);
    expect(m.containers[0].usage.cpu).toMatch(/^\d+[num]?$/);
    expect(Number(/^(\d+)(Ki|Mi)?$/.exec(m.containers[0].usage.memory)?.[1])).toBeGreaterThan(0);
    const missing = await server.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/done']);
    expect(missing.stderr).toContain('podmetrics.metrics.k8s.io "default/done" not found');
  });

  it('kubectl top node: the node’s CPU and memory, with shares of what it can allocate', async () => {
    const out = await ok(['top', 'node', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(rows.length).toBe(1);
    const [, cpu, cpuShare, memory, memoryShare] = rows[0];
    expect(Number(/^(\d+)m$/.exec(cpu)?.[1])).toBeGreaterThan(0);
    expect(cpuShare).toMatch(/^\d+%$/);
    expect(Number(/^(\d+)Mi$/.exec(memory)?.[1])).toBeGreaterThan(0);
    expect(memoryShare).toMatch(/^\d+%$/);
  });
});
