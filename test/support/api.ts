// Raw HTTPS calls to a jobyard server, for checks below any client library (status codes,
// headers, watch streams).
import https from 'node:https';
import type { JobyardServer } from './jobyard-server.js';

export interface RawResponse {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = any>(): T;
}

export function apiRequest(
  server: JobyardServer,
  method: string,
  path: string,
  opts: { body?: unknown; contentType?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = opts.token === undefined ? server.token : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['Content-Type'] = opts.contentType ?? 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = https.request(`${server.url}${path}`, { method, headers, ca: server.caPem }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({ code: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T }),
      );
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Reads watch events until `count` arrived or `timeoutMs` passed, then closes the stream. */
export function collectWatch(server: JobyardServer, path: string, count: number, timeoutMs = 10_000): Promise<{ code: number; events: any[] }> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const req = https.request(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` }, ca: server.caPem }, (res) => {
      let buf = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ code: res.statusCode ?? 0, events });
      };
      const timer = setTimeout(done, timeoutMs);
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) events.push(JSON.parse(line));
          if (events.length >= count) return done();
        }
      });
      res.on('end', done);
    });
    req.on('error', (err) => {
      if (events.length >= count) return;
      reject(err);
    });
    req.end();
  });
}
