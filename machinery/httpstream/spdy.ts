// SPDY/3.1 framing, the transport of `kubectl port-forward` (upstream: moby/spdystream under
// k8s.io/apimachinery's httpstream/spdy). kubectl opens one connection and, per forwarded TCP
// connection, two streams (SYN_STREAM with headers); each side sends DATA frames and ends its
// half with FIN; RST_STREAM drops a stream; PING is echoed. spdystream does no flow control, so
// WINDOW_UPDATE and SETTINGS are read and ignored.
//
// Header blocks are zlib-compressed with one context per direction over the whole connection,
// primed with the SPDY/3 dictionary. Incoming blocks go through Node's inflate, in frame order.
// Outgoing blocks (a SYN_REPLY, or a SYN_STREAM in tests) are written as deflate *stored*
// blocks, each followed by the empty stored block of a sync flush: valid zlib any reader
// accepts, with no compressor state to keep in step.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const SETTINGS = 4;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const WINDOW_UPDATE = 9;
const FLAG_FIN = 0x01;
/** RST_STREAM status codes (SPDY/3 §2.4.2). */
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
/** spdystream splits writes into frames of at most this much. */
const MAX_DATA_FRAME = 1 << 16;

/** The SPDY/3 header-compression dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1). */
export const SPDY3_DICTIONARY: Buffer = (() => {
  const words =
    'options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow authorization cache-control connection content-base content-encoding content-language content-length content-location content-md5 content-range content-type date etag expect expires from host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade user-agent vary via warning www-authenticate method get status'.split(
      ' ',
    );
  const prefixed = [...words, '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin'].map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return Buffer.concat([len, Buffer.from(w, 'latin1')]);
  });
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found' +
    '500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ' +
    'Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,' +
    'text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  return Buffer.concat([...prefixed, Buffer.from(tail, 'latin1')]);
})();

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Header names are lower case on the wire; a multi-valued header is its values joined by NUL. */
export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let at = 0;
  const take = (n: number) => {
    if (at + n > block.length) throw new Error('header block is truncated');
    const out = block.subarray(at, at + n);
    at += n;
    return out;
  };
  const count = take(4).readUInt32BE();
  for (let i = 0; i < count; i++) {
    const name = take(take(4).readUInt32BE()).toString('utf8').toLowerCase();
    headers[name] = take(take(4).readUInt32BE()).toString('utf8');
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

/** The outgoing zlib stream of header blocks: a zlib header with the dictionary's id, then stored blocks. */
class StoredHeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const out: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window); FLG: FDICT set, FCHECK making the pair a multiple of 31.
      const flg = 0x20 | (31 - (((0x78 << 8) | 0x20) % 31));
      out.push(Buffer.of(0x78, flg), u32(adler32(SPDY3_DICTIONARY)));
    }
    for (let at = 0; at < block.length || at === 0; at += 0xffff) {
      const piece = block.subarray(at, at + 0xffff);
      const len = Buffer.alloc(5);
      len[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), padded to the byte
      len.writeUInt16LE(piece.length, 1);
      len.writeUInt16LE(~piece.length & 0xffff, 3);
      out.push(len, piece);
      if (block.length === 0) break;
    }
    // An empty stored block, as zlib's sync flush ends with: Go's inflater hands the data
    // over when it reads this, without reading past the frame for the next block.
    out.push(Buffer.of(0x00, 0x00, 0x00, 0xff, 0xff));
    return Buffer.concat(out);
  }
}

/** The incoming zlib stream of header blocks, one block per call, in order. */
class HeaderDecompressor {
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('error', (err) => (this.failure = err));
  }

  block(data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.inflate.write(data);
      this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.failure) return reject(this.failure);
        const chunks: Buffer[] = [];
        for (let c: Buffer | null; (c = this.inflate.read() as Buffer | null) !== null; ) chunks.push(c);
        resolve(Buffer.concat(chunks));
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}

/** One SPDY stream: a Duplex of its DATA frames. Ending it sends FIN; reset() sends RST_STREAM. */
export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: SpdyHeaders;
  private readonly conn: SpdyConnection;
  /** Set once the peer answered a stream we opened (SYN_REPLY). */
  replied = false;
  /** Set once the peer's half has ended (FIN): later DATA is dropped. */
  private remoteFinished = false;

  get remoteEnded(): boolean {
    return this.remoteFinished;
  }

  constructor(conn: SpdyConnection, id: number, headers: SpdyHeaders) {
    super({ allowHalfOpen: true });
    this.conn = conn;
    this.id = id;
    this.headers = headers;
  }

  /** DATA from the peer; false when the reader wants no more for now. */
  receive(data: Buffer, fin: boolean): boolean {
    if (this.remoteFinished || this.destroyed) return true;
    const more = data.length === 0 || this.push(data);
    if (fin) {
      this.remoteFinished = true;
      this.push(null);
    }
    return more;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.conn.sendData(this.id, chunk, false, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.conn.sendData(this.id, Buffer.alloc(0), true, callback);
  }

  override _read(): void {
    this.conn.resumeReading();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.conn.forget(this.id);
    callback(err);
  }

  /** Drops the stream both ways (RST_STREAM CANCEL), discarding what is unsent. */
  reset(status = RST_CANCEL): void {
    if (this.destroyed) return;
    this.conn.sendReset(this.id, status);
    this.destroy();
  }
}

export interface SpdyConnectionOptions {
  /** The server side: stream ids the peer opens are odd, ours would be even. */
  server: boolean;
  /**
   * A stream the peer opened, before it is answered: a string refuses it (RST_STREAM
   * REFUSED_STREAM) with that reason; otherwise it gets a SYN_REPLY and a 'stream' event.
   */
  accept?(headers: SpdyHeaders): string | undefined;
}

/**
 * A SPDY/3.1 session over a byte stream (an upgraded socket, or a WebSocket's binary messages).
 * Events: 'stream' (SpdyStream) for each accepted stream the peer opened; 'refused' (reason);
 * 'close' once, when the transport is gone or a frame could not be read.
 */
export class SpdyConnection extends EventEmitter {
  private readonly transport: Duplex;
  private readonly options: SpdyConnectionOptions;
  private readonly streams = new Map<number, SpdyStream>();
  private readonly compressor = new StoredHeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private buffered: Buffer = Buffer.alloc(0);
  /** Frames are handled one after the other: a header block needs the inflate of the one before. */
  private queue: Promise<void> = Promise.resolve();
  private nextId: number;
  private closed = false;

  constructor(transport: Duplex, options: SpdyConnectionOptions) {
    super();
    this.transport = transport;
    this.options = options;
    this.nextId = options.server ? 2 : 1;
    transport.on('data', (chunk: Buffer) => this.received(chunk));
    transport.on('end', () => this.peerGone());
    transport.on('close', () => this.peerGone());
    transport.on('error', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens a stream (the client's side: kubectl's CreateStream); resolves on the peer's SYN_REPLY. */
  createStream(headers: SpdyHeaders): Promise<SpdyStream> {
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    const payload = Buffer.concat([u32(id), u32(0), Buffer.of(0, 0), this.compressor.compress(encodeHeaderBlock(headers))]);
    this.write(controlFrame(SYN_STREAM, 0, payload));
    return new Promise((resolve, reject) => {
      stream.once('replied', () => resolve(stream));
      stream.once('close', () => reject(new Error(`stream ${id} was reset before its reply`)));
    });
  }

  /**
   * The peer's side is gone: the frames already read are handled first, and a stream the peer
   * finished (FIN) keeps what it buffered for its reader (a streaming server closes the
   * connection right after an exec's last output and its status).
   */
  private peerGone(): void {
    this.queue = this.queue.then(() => this.close({ keepFinished: true }));
  }

  /** Sends GOAWAY and closes the transport; every stream is destroyed (but finished ones with keepFinished). */
  close(options: { keepFinished?: boolean } = {}): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) if (!(options.keepFinished && stream.remoteEnded)) stream.destroy();
    this.streams.clear();
    this.decompressor.close();
    if (this.transport.writable) {
      // GOAWAY, then the transport goes once it is written (or soon, if the peer reads nothing).
      this.transport.end(controlFrame(GOAWAY, 0, Buffer.concat([u32(0), u32(0)])));
      this.transport.once('finish', () => this.transport.destroy());
      setTimeout(() => this.transport.destroy(), 5_000).unref();
    } else {
      this.transport.destroy();
    }
    this.emit('close');
  }

  sendData(id: number, data: Buffer, fin: boolean, callback: (err?: Error | null) => void): void {
    if (this.closed) return callback(new Error('the connection is closed'));
    let ok = true;
    for (let at = 0; at < data.length; at += MAX_DATA_FRAME) {
      const last = at + MAX_DATA_FRAME >= data.length;
      ok = this.write(dataFrame(id, fin && last ? FLAG_FIN : 0, data.subarray(at, at + MAX_DATA_FRAME)));
    }
    if (data.length === 0) ok = this.write(dataFrame(id, fin ? FLAG_FIN : 0, data));
    if (ok) callback();
    else this.transport.once('drain', () => callback());
  }

  sendReset(id: number, status: number): void {
    this.write(controlFrame(RST_STREAM, 0, Buffer.concat([u32(id), u32(status)])));
  }

  forget(id: number): void {
    this.streams.delete(id);
  }

  resumeReading(): void {
    if (!this.closed) this.transport.resume();
  }

  private write(frame: Buffer): boolean {
    if (this.closed || !this.transport.writable) return true;
    return this.transport.write(frame);
  }

  private received(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUInt32BE(4) & 0xffffff;
      if (this.buffered.length < 8 + length) break;
      const frame = this.buffered.subarray(0, 8 + length);
      this.buffered = this.buffered.subarray(8 + length);
      this.queue = this.queue.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = frame[4];
    const payload = frame.subarray(8);
    if (!(frame[0] & 0x80)) return this.handleData(frame.readUInt32BE(0) & 0x7fffffff, flags, payload);
    const type = frame.readUInt16BE(2);
    switch (type) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.decompressor.block(payload.subarray(10)));
        return this.handleSynStream(id, flags, headers);
      }
      case SYN_REPLY: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        await this.decompressor.block(payload.subarray(4));
        const stream = this.streams.get(id);
        if (stream) {
          stream.replied = true;
          stream.emit('replied');
          if (flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
        }
        return;
      }
      case HEADERS:
        // Kept only so the inflate context stays in step; nothing here reads them.
        await this.decompressor.block(payload.subarray(4));
        return;
      case RST_STREAM:
        this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.destroy();
        return;
      case PING:
        // Echo the peer's pings (odd ids from a client, even from a server); ours need no answer.
        if ((payload.readUInt32BE(0) & 1) === (this.options.server ? 1 : 0)) this.write(frame);
        return;
      case GOAWAY:
        // The peer is done (a streaming server sends it after an exec's status): what it finished stays readable.
        this.close({ keepFinished: true });
        return;
      case SETTINGS:
      case WINDOW_UPDATE:
      default:
        return;
    }
  }

  private handleSynStream(id: number, flags: number, headers: SpdyHeaders): void {
    const refused = this.options.accept?.(headers);
    if (refused !== undefined || this.streams.has(id)) {
      this.sendReset(id, RST_REFUSED_STREAM);
      this.emit('refused', refused ?? `stream ${id} is already open`);
      return;
    }
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    this.write(controlFrame(SYN_REPLY, 0, Buffer.concat([u32(id), this.compressor.compress(encodeHeaderBlock({}))])));
    if (flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
    this.emit('stream', stream);
  }

  private handleData(id: number, flags: number, data: Buffer): void {
    const stream = this.streams.get(id);
    if (stream && !stream.receive(data, (flags & FLAG_FIN) !== 0)) this.transport.pause();
  }
}
