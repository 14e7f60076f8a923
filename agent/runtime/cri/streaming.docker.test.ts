// CriStreaming against jobyard's containerd (scripts/containerd.sh start): what the runtime
// contract does not reach — stdin's end through the streaming server, a tty's resize, attach to
// a tty container, stdin attached before the container starts, port-forward's late failure.
// Sandboxes and containers are made with raw CRI calls, so this needs no more than the client.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuntimeError, type RuntimeError } from '../runtime-error.js';
import type { ExecSession } from '../streaming-service.js';
import { type CriClient, connectCri, DEFAULT_CRI_ENDPOINT } from './client.js';
import type { PodSandboxConfig } from './generated/runtime/v1/PodSandboxConfig.js';
import { CriStreaming } from './streaming.js';

const SOCKET = DEFAULT_CRI_ENDPOINT.replace('unix://', '');
const BUSYBOX = 'docker.io/library/busybox:latest';
const skipWhy = existsSync(SOCKET) ? '' : `no containerd at ${SOCKET} (scripts/containerd.sh start)`;

async function failure(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (err) {
    if (isRuntimeError(err)) return err;
    throw err;
  }
  throw new Error('expected a RuntimeError');
}

function text(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
    stream.once('end', () => resolve(out));
    stream.once('error', reject);
  });
}

/** Reads a session's stdout until `pattern` shows up (a condition, not a sleep). */
function waitFor(session: ExecSession, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (c: Buffer) => {
      seen += c.toString('utf8');
      if (pattern.test(seen)) {
        session.stdout.off('data', onData);
        resolve(seen);
      }
    };
    session.stdout.on('data', onData);
    session.stdout.once('end', () => reject(new Error(`stdout ended before ${pattern}: ${JSON.stringify(seen)}`)));
  });
}

describe.skipIf(skipWhy !== '')(`CriStreaming on containerd${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, () => {
  let client: CriClient;
  let streaming: CriStreaming;
  let logDir: string;
  let sandboxId: string;
  let sandboxConfig: PodSandboxConfig;
  let seq = 0;

  const container = async (name: string, command: string[], extra: { stdin?: boolean; stdin_once?: boolean; tty?: boolean } = {}, start = true) => {
    const { container_id } = await client.runtime.CreateContainer({
      pod_sandbox_id: sandboxId,
      config: { metadata: { name: `${name}-${++seq}` }, image: { image: BUSYBOX }, command, log_path: `${name}-${seq}.log`, ...extra },
      sandbox_config: sandboxConfig,
    });
    if (start) await client.runtime.StartContainer({ container_id });
    return container_id;
  };

  /** The container's status once the runtime says it exited. */
  const exited = async (id: string) => {
    for (;;) {
      const st = (await client.runtime.ContainerStatus({ container_id: id })).status;
      if (st?.state === 'CONTAINER_EXITED') return st;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    client = connectCri(DEFAULT_CRI_ENDPOINT);
    streaming = new CriStreaming(client);
    logDir = await mkdtemp(join(tmpdir(), 'jobyard-cri-streaming-'));
    const uid = `cri-streaming-${Date.now().toString(36)}`;
    sandboxConfig = { metadata: { name: 'streaming', namespace: 'cri-test', uid, attempt: 0 }, hostname: 'streaming', log_directory: logDir, linux: {} };
    ({ pod_sandbox_id: sandboxId } = await client.runtime.RunPodSandbox({ config: sandboxConfig }));
  }, 60_000);

  afterAll(async () => {
    if (sandboxId) {
      await client.runtime.StopPodSandbox({ pod_sandbox_id: sandboxId });
      await client.runtime.RemovePodSandbox({ pod_sandbox_id: sandboxId });
    }
    client?.close();
    if (logDir) await rm(logDir, { recursive: true, force: true });
  }, 60_000);

  it('execSync: exit code and output; DeadlineExceeded on time; NotFound and NotRunning', async () => {
    const id = await container('sync', ['sleep', '3600']);
    expect(await streaming.execSync(id, ['sh', '-c', 'echo hi; echo oops >&2; exit 4'], 10_000)).toEqual({ exitCode: 4, stdout: 'hi\n', stderr: 'oops\n' });
    const started = Date.now();
    expect((await failure(streaming.execSync(id, ['sleep', '5'], 300))).reason).toBe('DeadlineExceeded');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await failure(streaming.execSync('no-such-container', ['true'], 1_000))).reason).toBe('NotFound');
    await client.runtime.StopContainer({ container_id: id, timeout: 0 });
    expect((await failure(streaming.execSync(id, ['true'], 1_000))).reason).toBe('NotRunning');
  });

  it('exec: stdin reaches its end (a FIN on its stream), stdout and stderr apart, the exit code from the error stream', async () => {
    const id = await container('exec', ['sleep', '3600']);
    const session = await streaming.exec(id, ['sh', '-c', 'wc -c; echo bye >&2; exit 3'], { stdin: true, stdout: true, stderr: true, tty: false });
    const [out, err] = [text(session.stdout), text(session.stderr)];
    session.stdin!.end('x'.repeat(200_000));
    expect((await out).trim()).toBe('200000');
    expect(await err).toBe('bye\n');
    expect(await session.exitCode()).toBe(3);
    const ok = await streaming.exec(id, ['true'], { stdin: false, stdout: true, stderr: true, tty: false });
    expect(await text(ok.stdout)).toBe('');
    expect(await ok.exitCode()).toBe(0);
    await client.runtime.StopContainer({ container_id: id, timeout: 0 });
    expect((await failure(streaming.exec(id, ['true'], { stdin: false, stdout: true, stderr: true, tty: false }))).reason).toBe('NotRunning');
  });

  it('exec: output read slowly arrives whole, though containerd closes the connection right after the status', async () => {
    const id = await container('bulk', ['sleep', '3600']);
    for (let round = 0; round < 3; round++) {
      const session = await streaming.exec(id, ['sh', '-c', 'head -c 2000000 /dev/zero'], { stdin: false, stdout: true, stderr: true, tty: false });
      let bytes = 0;
      const done = new Promise<void>((resolve) => session.stdout.once('end', resolve));
      session.stdout.on('data', (c: Buffer) => {
        bytes += c.length;
        session.stdout.pause();
        setTimeout(() => session.stdout.resume(), 1);
      });
      expect(await session.exitCode()).toBe(0);
      await done;
      expect(bytes).toBe(2_000_000);
    }
  });

  it('exec with a tty: stderr merged into stdout, the terminal resized while it runs', async () => {
    const id = await container('tty', ['sleep', '3600']);
    const script = 'echo ready; while read x; do [ "$x" = q ] && break; stty size; done; echo err >&2';
    const session = await streaming.exec(id, ['sh', '-c', script], { stdin: true, stdout: true, stderr: true, tty: true });
    await waitFor(session, /ready/);
    await session.resize(123, 45);
    // Resize and stdin are separate streams, handled apart by the runtime: ask stty until the size is there.
    for (let attempt = 0; ; attempt++) {
      const seen = waitFor(session, /\d+ \d+\r\n$/);
      session.stdin!.write('\r');
      if (/45 123\r\n$/.test(await seen)) break;
      expect(attempt).toBeLessThan(50);
    }
    const rest = text(session.stdout);
    session.stdin!.write('q\r');
    expect(await rest).toMatch(/err\r\n$/);
    expect(await text(session.stderr)).toBe('');
    expect(await session.exitCode()).toBe(0);
  });

  it('attach: to a tty container’s main process, with its input and output; exit code 0 though the process exits 7', async () => {
    const id = await container('attach', ['sh', '-c', 'echo started; read line; echo "got:$line"; exit 7'], { stdin: true, tty: true });
    const session = await streaming.attach(id, { stdin: true, stdout: true, stderr: true, tty: false });
    session.stdin!.write('hello\r');
    await waitFor(session, /got:hello/);
    expect(await session.exitCode()).toBe(0);
    // The runtime records the exit a moment after the streams end.
    expect((await exited(id)).exit_code).toBe(7);
  });

  it('attachStdin before the container starts: nothing is lost, and stdinOnce closes stdin at its end', async () => {
    const id = await container('stdin', ['sh', '-c', 'cat; echo eof'], { stdin: true, stdin_once: true }, false);
    const stdin = await streaming.attachStdin(id);
    stdin.write('early\n');
    await client.runtime.StartContainer({ container_id: id });
    streaming.containerStarted(id);
    stdin.end('late\n');
    expect((await exited(id)).exit_code).toBe(0);
  });

  it('port-forward: bytes both ways to a port in the sandbox; a closed port fails the stream with containerd’s words; NotFound for no sandbox', async () => {
    await container('web', ['sh', '-c', 'mkdir -p /www && echo hello-forward > /www/index.html && exec httpd -f -p 8080 -h /www']);
    const get = async () => {
      const conn = await streaming.portForward(sandboxId, 8080);
      const body = new Promise<string>((resolve, reject) => {
        let out = '';
        conn.on('data', (c: Buffer) => (out += c.toString('utf8')));
        conn.once('end', () => resolve(out));
        conn.once('error', reject);
      });
      conn.write('GET /index.html HTTP/1.0\r\n\r\n');
      return body.finally(() => conn.destroy());
    };
    let response: string | undefined;
    for (let attempt = 0; response === undefined; attempt++) {
      try {
        response = await get();
      } catch (err) {
        // httpd listens a moment after it starts
        if (attempt > 100 || !/connection refused/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(response).toMatch(/^HTTP\/1\.[01] 200 OK\r\n[\s\S]*\r\n\r\nhello-forward\n$/);
    // The refusal rejects when it came with the streams' replies, else fails the stream.
    const err = await streaming.portForward(sandboxId, 8081).then(
      (refused) => new Promise<unknown>((resolve) => (refused.resume(), refused.once('error', resolve))),
      (rejected: unknown) => rejected,
    );
    expect(isRuntimeError(err, 'Unknown')).toBe(true);
    expect((err as Error).message).toMatch(/^failed to execute portforward in network namespace ".*": failed to connect to localhost:8081 inside namespace ".*", IPv4: dial tcp4 127\.0\.0\.1:8081: connect: connection refused/);
    expect((await failure(streaming.portForward('no-such-sandbox', 8080))).reason).toBe('NotFound');
  });
});
