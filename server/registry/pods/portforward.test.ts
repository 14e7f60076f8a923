// The port-forward session on its own: a SPDY client over loopback TCP, the node's side a real
// TCP echo server (what kubectl and a pod do is in test/e2e-kubectl/portforward-top.test.ts).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { PodPortForwarder } from '../../../api/core-streams.js';
import { SpdyConnection, type SpdyStream } from '../../../machinery/httpstream/spdy.js';
import { checkPortForwardStream, portsOf, servePortForward } from './portforward.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

async function listen(onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return { server, port: (server.address() as AddressInfo).port };
}

/** A session served by servePortForward, whose node connects to `echo` for port 8080 and refuses others. */
async function session(): Promise<{ client: SpdyConnection; connects: number[] }> {
  const echo = await listen((s) => s.pipe(s));
  const connects: number[] = [];
  const forwarder: PodPortForwarder = {
    podSandboxId: 'sandbox-1',
    connect: (port) => {
      connects.push(port);
      if (port === 7777) {
        // A runtime that connects after handing the stream over (the CRI's PortForward) fails it later.
        const late = new PassThrough();
        setImmediate(() => late.destroy(new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`)));
        return Promise.resolve(late);
      }
      if (port !== 8080) return Promise.reject(new Error(`dial tcp4 10.0.0.1:${port}: connect: connection refused`));
      const socket = connect(echo.port, '127.0.0.1');
      return new Promise((resolve) => socket.once('connect', () => resolve(socket)));
    },
  };
  const front = await listen((s) => {
    closers.push(() => s.destroy());
    servePortForward(s, forwarder);
  });
  const socket = connect(front.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  closers.push(() => socket.destroy());
  return { client: new SpdyConnection(socket, { server: false }), connects };
}

const readAll = (s: SpdyStream) =>
  new Promise<string>((resolve) => {
    let out = '';
    s.on('data', (c: Buffer) => (out += c.toString()));
    s.once('end', () => resolve(out));
  });

/** What kubectl does for one local connection: error stream (closed at once), then data stream. */
async function open(client: SpdyConnection, port: number, requestId?: string) {
  const headers: Record<string, string> = { streamtype: 'error', port: String(port), ...(requestId !== undefined ? { requestid: requestId } : {}) };
  const error = await client.createStream(headers);
  error.end();
  const errorText = readAll(error);
  const data = await client.createStream({ ...headers, streamtype: 'data' });
  return { data, errorText };
}

describe('pods/portforward sessions', () => {
  it('pairs streams by requestID and carries bytes both ways; the data stream ends when the pod’s side does', async () => {
    const { client, connects } = await session();
    const [a, b] = await Promise.all([open(client, 8080, '0'), open(client, 8080, '1')]);
    const outA = readAll(a.data);
    const outB = readAll(b.data);
    a.data.end('first');
    b.data.end('second');
    expect(await outA).toBe('first');
    expect(await outB).toBe('second');
    expect(await a.errorText).toBe('');
    expect(connects).toEqual([8080, 8080]);
  });

  it('pairs an older client’s streams by their ids when it sends no requestID', async () => {
    const { client } = await session();
    const { data, errorText } = await open(client, 8080);
    const out = readAll(data);
    data.end('no id');
    expect(await out).toBe('no id');
    expect(await errorText).toBe('');
  });

  it('writes the node’s failure on the error stream, in the kubelet’s words, and ends the data stream', async () => {
    const { client } = await session();
    const { data, errorText } = await open(client, 9999, '0');
    expect(await readAll(data)).toBe('');
    expect(await errorText).toBe('error forwarding port 9999 to pod sandbox-1, uid : dial tcp4 10.0.0.1:9999: connect: connection refused');
  });

  it('writes a failure the node reports after connecting (a CRI runtime’s) on the error stream too', async () => {
    const { client } = await session();
    const { data, errorText } = await open(client, 7777, '0');
    expect(await readAll(data)).toBe('');
    expect(await errorText).toBe('error forwarding port 7777 to pod sandbox-1, uid : dial tcp4 127.0.0.1:7777: connect: connection refused');
  });

  it('refuses streams without a valid port or stream type before answering them', () => {
    expect(checkPortForwardStream({ streamtype: 'data' })).toBe('"port" header is required');
    expect(checkPortForwardStream({ port: 'x', streamtype: 'data' })).toBe('unable to parse "x" as a port');
    expect(checkPortForwardStream({ port: '70000', streamtype: 'data' })).toBe('unable to parse "70000" as a port');
    expect(checkPortForwardStream({ port: '0', streamtype: 'data' })).toBe('port "0" must be > 0');
    expect(checkPortForwardStream({ port: '80' })).toBe('"streamType" header is required');
    expect(checkPortForwardStream({ port: '80', streamtype: 'stdin' })).toBe('invalid stream type "stdin"');
    expect(checkPortForwardStream({ port: '80', streamtype: 'error' })).toBeUndefined();
  });

  it('reads the channel protocol’s ports from the query, as the kubelet does', () => {
    expect(portsOf({ ports: ['8080', '9090,9091'] })).toEqual([8080, 9090, 9091]);
    expect(() => portsOf({})).toThrow('query parameter "ports" is required');
    expect(() => portsOf({ ports: '' })).toThrow('query parameter "ports" cannot be empty');
    expect(() => portsOf({ ports: 'http' })).toThrow('unable to parse "http" as a port');
    expect(() => portsOf({ ports: '0' })).toThrow('port "0" must be > 0');
  });
});
