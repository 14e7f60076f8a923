// One port, two protocols: TLS for kubectl and API clients (they send tokens only over
// HTTPS), plain HTTP for a person's browser on loopback (a secure context without a
// certificate warning). The first byte of a connection tells them apart (0x16 starts a
// TLS handshake). Off loopback, plain HTTP only redirects to HTTPS.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { UpgradeListener } from '../../machinery/httpstream/upgrade.js';

export interface DualListenerOptions {
  host: string;
  port: number;
  tls: { cert: string; key: string };
  handler: http.RequestListener;
  /** HTTP upgrades (WebSocket); without it they are refused. */
  upgrade?: UpgradeListener;
}

export interface DualListener {
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function listenDual(opts: DualListenerOptions): Promise<DualListener> {
  const plainAllowed = isLoopback(opts.host);
  const httpsServer = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, opts.handler);
  const httpServer = http.createServer(
    plainAllowed
      ? opts.handler
      : (req, res) => {
          const hostHeader = req.headers.host ?? `${opts.host}:${opts.port}`;
          res.writeHead(308, { Location: `https://${hostHeader}${req.url ?? '/'}` });
          res.end();
        },
  );
  if (opts.upgrade) {
    httpsServer.on('upgrade', opts.upgrade);
    if (plainAllowed) httpServer.on('upgrade', opts.upgrade);
  }
  // Long watches and log streams: no idle timeouts on requests.
  for (const s of [httpServer, httpsServer]) {
    s.requestTimeout = 0;
    s.headersTimeout = 60_000;
    s.keepAliveTimeout = 65_000;
    s.on('clientError', answerClientError);
  }
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const target = first[0] === 0x16 ? httpsServer : httpServer;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        httpServer.close();
        httpsServer.close();
      }),
  };
}

/**
 * A request Node's parser refuses (a request line or headers over 16 KiB, bad syntax): a
 * Status answer, then the socket half-closed and drained a moment before it is destroyed, as
 * Go's net/http does for upstream (closeWriteAndWait). Destroying it with the rest of the
 * request unread would reset the connection before the client reads the answer.
 */
const answered = new WeakSet<Duplex>();

function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // The rest of a refused request may raise more errors while it drains: answered once.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const code = tooLarge ? 431 : 400;
  const text = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text, reason: 'BadRequest', code });
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  socket.on('data', () => {});
  socket.resume();
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * Sockets of TLS-only listeners (the address pods reach the API on): bearer tokens only there,
 * never a console session cookie, and no plain HTTP at all.
 */
const tokenOnlySockets = new WeakSet<object>();

/** Whether a request came in on a TLS-only listener (see listenTlsOnly). */
export function isTokenOnlySocket(socket: object | undefined): boolean {
  return socket !== undefined && tokenOnlySockets.has(socket);
}

export interface TlsOnlyListenerOptions {
  host: string;
  port: number;
  tls: { cert: string; key: string };
  handler: http.RequestListener;
  upgrade?: UpgradeListener;
}

/** An HTTPS listener and nothing else: what pods reach (upstream's secure port on the advertise address). */
export async function listenTlsOnly(opts: TlsOnlyListenerOptions): Promise<DualListener> {
  const server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, opts.handler);
  if (opts.upgrade) server.on('upgrade', opts.upgrade);
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // The TLS socket (what requests see as req.socket) is flagged once its handshake is done.
  server.on('secureConnection', (tlsSocket: object) => tokenOnlySockets.add(tlsSocket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
