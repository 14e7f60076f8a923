// pods/exec's and pods/attach's WebSocket channel protocol through the real listener (HTTPS,
// the token, the Fastify routes), spoken by a `ws` client as client-go's WebSocket executor
// speaks it. The node here runs commands as local processes (child_process), so the streams,
// the exit code and stdin's end are real; the real container engine is in the e2e test
// (test/e2e-kubectl/exec.test.ts: kubectl exec, attach, run -i and cp).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KubeObject, Pod } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { buildApiServer } from '../../server/app.js';
import type { PodAttachOptions, PodExecOptions, PodStreamProvider, PodStreamSession } from '../../api/core-streams.js';
import { SchemaCodec } from '../../server/registry/codec.js';
import { GenericRegistry } from '../../server/registry/generic-registry.js';
import { allResources } from '../../server/registry/index.js';
import { Authenticator } from '../../server/serving/auth.js';
import { type DualListener, listenDual } from '../../server/serving/listener.js';
import { ensureServingCerts } from '../../server/serving/tls.js';
import { SqliteObjectStore } from '../../server/storage/index.js';

const TOKEN = 'pod-exec-test-token';
const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));

/** Runs the command on this machine, as a node would in the container. */
class LocalProcessNode implements PodStreamProvider {
  readonly started: { options: PodExecOptions; child: ChildProcess }[] = [];

  /** The "main process" of each attached container: reads lines, answers each, ends at end of input. */
  readonly mains = new Map<string, ChildProcess>();

  async attach(pod: Pod, options: PodAttachOptions): Promise<PodStreamSession> {
    const key = `${pod.metadata.name}/${options.container}`;
    let main = this.mains.get(key);
    if (!main) {
      main = spawn('sh', ['-c', 'while read l; do echo "got $l"; done; echo bye'], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.mains.set(key, main);
    }
    const child = main;
    const stdout = new PassThrough();
    child.stdout!.pipe(stdout);
    child.once('exit', () => stdout.end());
    return {
      ...(options.stdin ? { stdin: child.stdin! } : {}),
      stdout,
      stderr: new PassThrough().end(),
      resize: async () => undefined,
      exitCode: async () => 0,
      close: () => child.stdout!.unpipe(stdout),
    };
  }

  async exec(_pod: Pod, options: PodExecOptions): Promise<PodStreamSession> {
    const child = spawn(options.command[0]!, options.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.started.push({ options, child });
    const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : -1))));
    if (!options.stdin) child.stdin.end();
    const stderr = options.stderr ? child.stderr : new PassThrough().end();
    if (!options.stderr) child.stderr.resume();
    return {
      ...(options.stdin ? { stdin: child.stdin } : {}),
      stdout: child.stdout,
      stderr,
      resize: async () => undefined,
      exitCode: () => exited,
      close: () => child.kill('SIGKILL'),
    };
  }
}

let dataDir: string;
let listener: DualListener;
let ca: string;
const node = new LocalProcessNode();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-exec-'));
  const certs = await ensureServingCerts(join(dataDir, 'pki'), ['127.0.0.1']);
  ca = certs.caPem;
  const store = new SqliteObjectStore({ path: join(dataDir, 'state.db') });
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({ store, clock, codec: new SchemaCodec(), namespaces: byName.get('/namespaces') });
  const def = (resource: string) => allResources.find((d) => d.names.resource === resource)!;
  registry.create(def('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  const pod = (name: string, containers: string[]) =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) } }) as unknown as KubeObject;
  registry.create(def('pods'), 'default', pod('worker', ['main']));
  registry.create(def('pods'), 'default', pod('two', ['a', 'b']));
  const done = registry.create(def('pods'), 'default', pod('done', ['main'])).object as unknown as Pod;
  registry.update(def('pods'), 'default', 'done', { ...done, status: { phase: 'Succeeded' } }, { subresource: 'status' });
  const { handler, upgrade } = await buildApiServer({
    registry,
    resources: allResources,
    clock,
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
    podStreams: node,
  });
  listener = await listenDual({ host: '127.0.0.1', port: 0, tls: { cert: certs.certPem, key: certs.keyPem }, handler, upgrade });
});

afterAll(async () => {
  await listener?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function execUrl(pod: string, command: string[], params: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  for (const [k, v] of Object.entries({ stdout: 'true', stderr: 'true', ...params })) q.append(k, v);
  return `wss://127.0.0.1:${listener.port}/api/v1/namespaces/default/pods/${pod}/exec?${q}`;
}

interface Session {
  ws: WebSocket;
  protocol: string;
  /** Text received per channel. */
  channels: Map<number, string>;
  closed: Promise<number>;
}

interface ConnectOptions {
  protocols?: string[];
  token?: string;
  /** Authenticate with a console session cookie instead of the token. */
  cookie?: string;
  origin?: string;
}

async function connect(url: string, options: ConnectOptions = {}): Promise<Session> {
  const headers: Record<string, string> = options.cookie ? { Cookie: options.cookie } : { Authorization: `Bearer ${options.token ?? TOKEN}` };
  const ws = new WebSocket(url, options.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'], { ca, headers, ...(options.origin ? { origin: options.origin } : {}) });
  const channels = new Map<number, string>();
  ws.on('message', (data: Buffer) => channels.set(data[0]!, (channels.get(data[0]!) ?? '') + data.subarray(1).toString('utf8')));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode, body: JSON.parse(body) as Record<string, unknown> })));
    });
    ws.once('error', reject);
  });
  return { ws, protocol: ws.protocol, channels, closed };
}

async function refused(url: string, options: ConnectOptions = {}): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  try {
    await connect(url, options);
  } catch (err) {
    return err as { statusCode: number; body: Record<string, unknown> };
  }
  throw new Error('the upgrade was accepted');
}

const send = (ws: WebSocket, channel: number, data: string | Buffer) => ws.send(Buffer.concat([Buffer.of(channel), Buffer.from(data)]));

describe('pods/exec over WebSocket', () => {
  it('streams stdout and stderr apart and ends with a Success status on the error channel', async () => {
    const s = await connect(execUrl('worker', ['sh', '-c', 'echo out; echo err >&2']));
    expect(s.protocol).toBe('v5.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    expect(s.channels.get(1)).toBe('out\n');
    expect(s.channels.get(2)).toBe('err\n');
    expect(JSON.parse(s.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });
    expect(node.started.at(-1)!.options).toEqual({ container: 'main', command: ['sh', '-c', 'echo out; echo err >&2'], stdin: false, stdout: true, stderr: true, tty: false });
  });

  it('reports a non-zero exit code as the kubelet does, which kubectl turns into its own exit code', async () => {
    const s = await connect(execUrl('worker', ['sh', '-c', 'exit 3']));
    await s.closed;
    expect(JSON.parse(s.channels.get(3)!)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('feeds stdin, and closes it on the v5 close signal so that the process can finish', async () => {
    const s = await connect(execUrl('worker', ['sh', '-c', 'tr a-z A-Z; echo end'], { stdin: 'true' }));
    send(s.ws, 0, 'hello ');
    send(s.ws, 0, 'world\n');
    s.ws.send(Buffer.of(255, 0));
    expect(await s.closed).toBe(1000);
    expect(s.channels.get(1)).toBe('HELLO WORLD\nend\n');
    expect(JSON.parse(s.channels.get(3)!)).toMatchObject({ status: 'Success' });
  });

  it('speaks v4 to a client that offers only v4', async () => {
    const s = await connect(execUrl('worker', ['echo', 'four']), { protocols: ['v4.channel.k8s.io'] });
    expect(s.protocol).toBe('v4.channel.k8s.io');
    await s.closed;
    expect(s.channels.get(1)).toBe('four\n');
  });

  it('ends the process when the client goes away', async () => {
    const s = await connect(execUrl('worker', ['sleep', '30']));
    const { child } = node.started.at(-1)!;
    const exit = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    s.ws.terminate();
    expect(await exit).toBe('SIGKILL');
  });

  it('picks the container by name in a pod of several, and asks for one when none is named', async () => {
    const s = await connect(execUrl('two', ['true'], { container: 'b' }));
    await s.closed;
    expect(node.started.at(-1)!.options.container).toBe('b');
    const r = await refused(execUrl('two', ['true']));
    expect(r.statusCode).toBe(400);
    expect(r.body.message).toBe('a container name must be specified for pod two, choose one of: [a b]');
  });

  it('refuses bad requests with a Status before upgrading, and starts nothing', async () => {
    const before = node.started.length;
    const noCommand = await refused(execUrl('worker', []));
    expect([noCommand.statusCode, noCommand.body.message]).toEqual([400, 'you must specify at least 1 command']);
    const noStreams = await refused(execUrl('worker', ['true'], { stdout: 'false', stderr: 'false' }));
    expect([noStreams.statusCode, noStreams.body.message]).toEqual([400, 'you must specify at least one of stdin, stdout, stderr']);
    const completed = await refused(execUrl('done', ['true']));
    expect([completed.statusCode, completed.body.message]).toEqual([400, 'cannot exec into a container in a completed pod; current phase is Succeeded']);
    const missing = await refused(execUrl('nope', ['true']));
    expect([missing.statusCode, missing.body.reason]).toEqual([404, 'NotFound']);
    const oldProtocol = await refused(execUrl('worker', ['true']), { protocols: ['channel.k8s.io'] });
    expect(oldProtocol.statusCode).toBe(400);
    expect(oldProtocol.body.message).toMatch(/^unsupported streaming protocol "channel.k8s.io": this server speaks v5.channel.k8s.io, v4.channel.k8s.io$/);
    const wrongToken = await refused(execUrl('worker', ['true']), { token: 'wrong' });
    expect(wrongToken.statusCode).toBe(401);
    expect(node.started.length).toBe(before);
  });

  it('takes a console session only from the console’s own origin', async () => {
    const site = `http://127.0.0.1:${listener.port}`;
    const login = await fetch(`${site}/auth/login`, { method: 'POST', headers: { Origin: site, 'Content-Type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const before = node.started.length;
    const foreign = await refused(execUrl('worker', ['true']), { cookie, origin: 'http://127.0.0.1:9999' });
    expect([foreign.statusCode, foreign.body.reason]).toEqual([403, 'Forbidden']);
    expect(node.started.length).toBe(before);
    const s = await connect(execUrl('worker', ['echo', 'console']), { cookie, origin: `https://127.0.0.1:${listener.port}` });
    await s.closed;
    expect(s.channels.get(1)).toBe('console\n');
  });

  it('answers a plain GET (no upgrade) with 400 Upgrade request required', async () => {
    const res = await fetch(execUrl('worker', ['true']).replace('wss://', 'http://'), { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('Upgrade request required');
  });

  it('lists pods/exec and pods/attach in discovery with the verbs kubectl checks', async () => {
    const res = await fetch(`http://127.0.0.1:${listener.port}/api/v1`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const list = (await res.json()) as { resources: { name: string; verbs: string[]; kind: string }[] };
    expect(list.resources.find((r) => r.name === 'pods/exec')).toMatchObject({ verbs: ['create', 'get'], kind: 'PodExecOptions' });
    expect(list.resources.find((r) => r.name === 'pods/attach')).toMatchObject({ verbs: ['create', 'get'], kind: 'PodAttachOptions' });
  });
});

function attachUrl(pod: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ stdout: 'true', stderr: 'true', ...params });
  return `wss://127.0.0.1:${listener.port}/api/v1/namespaces/default/pods/${pod}/attach?${q}`;
}

describe('pods/attach over WebSocket', () => {
  it('talks to the container’s main process, and ends with Success when it ends', async () => {
    const s = await connect(attachUrl('worker', { stdin: 'true' }));
    send(s.ws, 0, 'one\n');
    send(s.ws, 0, 'two\n');
    // v5's close of stdin: the process reads its end of input and exits.
    s.ws.send(Buffer.of(255, 0));
    expect(await s.closed).toBe(1000);
    expect(s.channels.get(1)).toBe('got one\ngot two\nbye\n');
    expect(JSON.parse(s.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });
  });

  it('refuses a completed pod and a request without streams, with kubectl’s words', async () => {
    const completed = await refused(attachUrl('done'));
    expect([completed.statusCode, completed.body.message]).toEqual([400, 'cannot attach to a container in a completed pod; current phase is Succeeded']);
    const none = await refused(attachUrl('worker', { stdout: 'false', stderr: 'false' }));
    expect([none.statusCode, none.body.message]).toEqual([400, 'you must specify at least one of stdin, stdout, stderr']);
  });
});
