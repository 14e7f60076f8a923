// Raw HTTP/1.1 over a socket, for the auth tests: fetch and http.request normalize or refuse the
// very targets an attacker sends (absolute-form, "..", backslashes), so the request line and
// headers are written byte for byte here, over TLS or plain TCP to the one port.
import net from 'node:net';
import tls from 'node:tls';

export type Side = 'https' | 'http';
export const SIDES: Side[] = ['https', 'http'];

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The first bytes of the answer, for messages. */
  head: string;
}

export interface RawRequest {
  side: Side;
  port: number;
  ca: string;
  method?: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** One request on its own connection (Connection: close); the whole answer, or status 0 when the server closed without one. */
export function rawRequest(r: RawRequest): Promise<RawResponse> {
  const method = r.method ?? 'GET';
  const headers: Record<string, string> = { Host: `127.0.0.1:${r.port}`, Connection: 'close', ...r.headers };
  if (r.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(r.body));
  const head = `${method} ${r.target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket =
      r.side === 'https'
        ? tls.connect({ host: '127.0.0.1', port: r.port, ca: r.ca, servername: 'localhost', checkServerIdentity: () => undefined })
        : net.connect({ host: '127.0.0.1', port: r.port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in 10 s to ${method} ${r.target}`));
    }, 10_000);
    socket.on(r.side === 'https' ? 'secureConnect' : 'connect', () => {
      socket.write(head, 'latin1');
      if (r.body !== undefined) socket.write(r.body);
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // An upgrade answered 101 keeps the socket open: the status line is enough.
      if (/^HTTP\/1\.1 101 /.test(Buffer.concat(chunks).toString('latin1'))) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const headText = (split < 0 ? all : all.subarray(0, split)).toString('latin1');
      const lines = headText.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const hs: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) hs[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      if (hs['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status, headers: hs, body: body.toString('utf8'), head: all.subarray(0, 300).toString('latin1') });
    });
  });
}

/** The Status reason of a JSON answer, or ''. */
export function reasonOf(res: RawResponse): string {
  try {
    return String((JSON.parse(res.body) as { reason?: string }).reason ?? '');
  } catch {
    return '';
  }
}

export function originOf(side: Side, port: number): string {
  return `${side}://127.0.0.1:${port}`;
}
