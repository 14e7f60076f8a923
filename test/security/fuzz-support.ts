// An HTTPS client for the body and fuzz tests: keep-alive connections with the server's CA and
// the bearer token, bytes or text bodies, and every failure kept as data (a reset, a timeout)
// rather than thrown, so a test can count them.
import https from 'node:https';
import type { JobyardServer } from '../support/jobyard-server.js';

export interface Answer {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** ms from the request's start to the answer's end. */
  ms: number;
  /** ms from the last byte of the body sent to the answer's end. */
  afterSentMs: number;
  /** 'reset' (socket error, no answer) or 'timeout'; undefined when answered. */
  failure?: 'reset' | 'timeout';
  failureDetail?: string;
}

export interface SendOptions {
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Send without the bearer token. */
  anonymous?: boolean;
  /**
   * On a connection of its own, closed after the answer: for requests the server answers by
   * closing (a request line over 16 KiB), so no pooled request is caught on a closing socket.
   */
  fresh?: boolean;
}

export class ApiClient {
  private readonly agent: https.Agent;
  private readonly server: JobyardServer;

  constructor(server: JobyardServer, concurrency = 8) {
    this.server = server;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: server.caPem });
  }

  close(): void {
    this.agent.destroy();
  }

  send(method: string, path: string, opts: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (!opts.anonymous) headers.Authorization = `Bearer ${this.server.token}`;
    if (opts.fresh) headers.Connection = 'close';
    if (opts.body !== undefined) {
      if (opts.contentType !== undefined) headers['Content-Type'] = opts.contentType;
      headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    }
    const start = performance.now();
    let sentAt = start;
    return new Promise((resolve) => {
      let settled = false;
      const done = (a: Omit<Answer, 'ms' | 'afterSentMs'>) => {
        if (settled) return;
        settled = true;
        const now = performance.now();
        resolve({ ...a, ms: now - start, afterSentMs: now - sentAt });
      };
      const req = https.request(`${this.server.url}${path}`, { method, headers, ...(opts.fresh ? { agent: false, ca: this.server.caPem } : { agent: this.agent }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ code: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => done({ code: 0, headers: {}, body: '', failure: 'reset', failureDetail: String(err) }));
      });
      req.setTimeout(opts.timeoutMs ?? 15_000, () => {
        done({ code: 0, headers: {}, body: '', failure: 'timeout' });
        req.destroy();
      });
      req.on('error', (err) => done({ code: 0, headers: {}, body: '', failure: 'reset', failureDetail: String(err) }));
      req.on('finish', () => (sentAt = performance.now()));
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }
}

/** The Status of a 4xx answer, or undefined when the body is not one. */
export function statusOf(a: Answer): { kind?: string; code?: number; reason?: string; message?: string; details?: any } | undefined {
  try {
    const s = JSON.parse(a.body) as { kind?: string; code?: number; reason?: string; message?: string; details?: any };
    return s.kind === 'Status' ? s : undefined;
  } catch {
    return undefined;
  }
}
