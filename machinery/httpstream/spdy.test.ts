import { createHash } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY, SpdyConnection, type SpdyStream, decodeHeaderBlock, encodeHeaderBlock } from './spdy.js';

/** A client and a server session over a real loopback TCP connection. */
async function pair(accept?: (h: Record<string, string>) => string | undefined): Promise<{ client: SpdyConnection; server: SpdyConnection; sockets: Socket[]; tcp: Server }> {
  let serverSocket: Socket | undefined;
  let serverConn!: SpdyConnection;
  const tcp = createServer((s) => {
    serverSocket = s;
    serverConn = new SpdyConnection(s, { server: true, accept });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const socket = connect((tcp.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const client = new SpdyConnection(socket, { server: false });
  while (!serverSocket) await new Promise((r) => setImmediate(r));
  // [0]: the server's end, [1]: the client's.
  return { client, server: serverConn, sockets: [serverSocket, socket], tcp };
}

const readAll = (s: SpdyStream) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.once('end', () => resolve(Buffer.concat(chunks)));
  });

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('SPDY/3.1 sessions', () => {
  it('primes header compression with the SPDY/3 dictionary, byte for byte (1423 bytes, sha256 as spdystream’s)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex')).toBe('51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('writes header blocks as zlib that a dictionary-primed inflate reads, one block after another', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    const seen: Record<string, string>[] = [];
    server.on('stream', (s: SpdyStream) => seen.push(s.headers));
    await client.createStream({ streamType: 'error', port: '8080', requestID: '0' });
    await client.createStream({ streamType: 'data', port: '8080', requestID: '0' });
    expect(seen).toEqual([
      { streamtype: 'error', port: '8080', requestid: '0' },
      { streamtype: 'data', port: '8080', requestid: '0' },
    ]);
    expect(decodeHeaderBlock(encodeHeaderBlock({ A: 'x', b: '' }))).toEqual({ a: 'x', b: '' });
  });

  it('reads header blocks compressed by a real zlib deflater with the dictionary (as Go’s framer writes them)', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    const seen: Record<string, string>[] = [];
    server.on('stream', (s: SpdyStream) => seen.push(s.headers));
    const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const compress = (block: Buffer) =>
      new Promise<Buffer>((resolve) => {
        deflate.write(block);
        deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          const out: Buffer[] = [];
          for (let c; (c = deflate.read() as Buffer | null) !== null; ) out.push(c);
          resolve(Buffer.concat(out));
        });
      });
    for (const id of [1, 3]) {
      const headers = await compress(encodeHeaderBlock({ streamtype: id === 1 ? 'error' : 'data', port: '80', requestid: '7' }));
      const payload = Buffer.concat([Buffer.from([0, 0, 0, id, 0, 0, 0, 0, 0, 0]), headers]);
      const head = Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 0]);
      head.writeUInt32BE(payload.length, 4);
      sockets[1].write(Buffer.concat([head, payload]));
    }
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(seen.map((h) => h.streamtype)).toEqual(['error', 'data']);
    expect(seen[1]).toEqual({ streamtype: 'data', port: '80', requestid: '7' });
  });

  it('carries data both ways with FIN half-closes, large writes split into frames', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    // The server echoes what it reads, reversed, after the client's FIN.
    server.on('stream', (s: SpdyStream) => void readAll(s).then((b) => s.end(Buffer.from(b).reverse())));
    const stream = await client.createStream({ streamtype: 'data', port: '1' });
    const big = Buffer.alloc(300_000, 0);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const answer = readAll(stream);
    stream.end(big);
    expect((await answer).equals(Buffer.from(big).reverse())).toBe(true);
  });

  it('refuses a stream the accept check rejects (RST_STREAM), and says why', async () => {
    const { client, server, sockets, tcp } = await pair((h) => (h.port ? undefined : '"port" header is required'));
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    const refused = new Promise<string>((r) => server.once('refused', r));
    await expect(client.createStream({ streamtype: 'data' })).rejects.toThrow(/reset/);
    expect(await refused).toBe('"port" header is required');
  });

  it('a reset from the peer ends the stream on the other side', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    const accepted = new Promise<SpdyStream>((r) => server.once('stream', r));
    const stream = await client.createStream({ port: '1' });
    const remote = await accepted;
    const closed = new Promise<void>((r) => remote.once('close', () => r()));
    stream.reset();
    await closed;
    expect(remote.destroyed).toBe(true);
  });

  it('answers the peer’s PING with the same id, and ends every stream when the transport closes', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (tcp.close(), sockets.forEach((s) => s.destroy())));
    const pong = new Promise<Buffer>((resolve) => sockets[1].once('data', (c: Buffer) => resolve(c)));
    sockets[1].write(Buffer.from([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7]));
    expect([...(await pong)]).toEqual([0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7]);
    const accepted = new Promise<SpdyStream>((r) => server.once('stream', r));
    await client.createStream({ port: '1' });
    const remote = await accepted;
    const gone = new Promise<void>((r) => server.once('close', () => r()));
    client.close();
    await gone;
    expect(remote.destroyed).toBe(true);
  });
  it('a stream the peer finished keeps what its reader has not taken yet when the peer sends GOAWAY and closes (a streaming server after an exec)', async () => {
    const { client, server, sockets, tcp } = await pair();
    cleanup.push(() => (client.close(), server.close(), tcp.close(), sockets.forEach((s) => s.destroy())));
    const accepted = new Promise<SpdyStream>((r) => server.once('stream', r));
    const stdout = await client.createStream({ streamtype: 'stdout' });
    const open = await client.createStream({ streamtype: 'stdin' });
    const remote = await accepted;
    // The client's reader is slow: nothing is read until the server has gone (less than the
    // stream's highWaterMark, so the session does not pause the socket).
    stdout.pause();
    const payload = Buffer.alloc(10_000, 7);
    await new Promise<void>((r) => remote.end(payload, () => r()));
    const gone = new Promise((r) => client.once('close', r));
    server.close();
    await gone;
    expect(open.destroyed).toBe(true);
    const read = readAll(stdout);
    stdout.resume();
    expect((await read).equals(payload)).toBe(true);
  });
});
