// A tiny in-process HTTP(S) server for client tests: real sockets on 127.0.0.1:0, routes the
// test declares, every request recorded, and watch responses the test drives line by line.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body, when it was JSON. */
  json?: unknown;
}

/** An open streaming response the test writes to. */
export interface OpenStream {
  request: RecordedRequest;
  /** Writes one JSON line. */
  send(obj: unknown): void;
  /** Writes raw text (to split a line across chunks). */
  write(text: string): void;
  /** Ends the response normally. */
  end(): void;
  /** Cuts the connection. */
  destroy(): void;
  /** Resolves when the client has gone away. */
  closed: Promise<void>;
}

export type Route = (req: RecordedRequest, res: http.ServerResponse) => void | 'stream';

export interface FakeApiServerOptions {
  tls?: { key: string; cert: string };
}

/** Routes are tried newest first; a route returning 'stream' keeps the response open as an OpenStream. */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly streams: OpenStream[] = [];
  private readonly server: http.Server;
  private readonly routes: { method: string; path: RegExp; route: Route }[] = [];
  private streamWaiters: ((s: OpenStream) => void)[] = [];
  private pendingStreams: OpenStream[] = [];
  url = '';

  private constructor(opts: FakeApiServerOptions) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener) : http.createServer(listener);
  }

  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const s = new FakeApiServer(opts);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    const port = (s.server.address() as AddressInfo).port;
    s.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return s;
  }

  on(method: string, path: RegExp, route: Route): this {
    this.routes.unshift({ method, path, route });
    return this;
  }

  /** Resolves with the next streaming response opened (or one already opened and not yet taken). */
  nextStream(): Promise<OpenStream> {
    const ready = this.pendingStreams.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.streamWaiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      try {
        if (body) rec.json = JSON.parse(body);
      } catch {
        // not JSON
      }
      this.requests.push(rec);
      const r = this.routes.find((x) => x.method === rec.method && x.path.test(rec.path));
      if (!r) {
        sendJson(res, 404, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'the server could not find the requested resource',
          reason: 'NotFound',
          code: 404,
        });
        return;
      }
      if (r.route(rec, res) === 'stream') this.openStream(rec, res);
    });
  }

  private openStream(request: RecordedRequest, res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let resolveClosed: () => void = () => {};
    const closed = new Promise<void>((r) => (resolveClosed = r));
    res.on('close', () => resolveClosed());
    const stream: OpenStream = {
      request,
      send: (obj) => res.write(`${JSON.stringify(obj)}\n`),
      write: (text) => res.write(text),
      end: () => res.end(),
      destroy: () => res.socket?.destroy(),
      closed,
    };
    this.streams.push(stream);
    const w = this.streamWaiters.shift();
    if (w) w(stream);
    else this.pendingStreams.push(stream);
  }
}

export function sendJson(res: http.ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A metav1.Status failure body. */
export function statusBody(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Polls `cond` on the event loop until true; fails after `timeoutMs` (a bound, not a wait for luck). */
export async function waitFor(cond: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
