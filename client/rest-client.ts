// RestClient: JSON over HTTPS (or plain HTTP for loopback tests) to a Kubernetes API server,
// as client-go's rest.RESTClient. Bearer token, a CA bundle, keep-alive agents, per-request
// timeouts, `Warning` headers surfaced, and every non-2xx answer thrown as a StatusError so
// `isNotFound(err)` / `isConflict(err)` work the same as on the server side.
//
// node:http(s) is used rather than the global fetch because Node 20's fetch cannot take a
// custom CA without the `undici` package, and response streams from node:http are what watches need.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { Status, StatusReason } from '../api/index.js';
import { StatusError, failureStatus } from '../machinery/index.js';
import type { InProcessResponse, InProcessTransport } from '../api/in-process.js';
import type { ClientConfig } from './client-config.js';

export type { ClientConfig } from './client-config.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. "/api/v1/namespaces/default/pods". */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON-serialised unless already a string. */
  body?: unknown;
  /** @defaultValue "application/json" when a body is given. */
  contentType?: string;
  /** Overrides the config's timeout; 0 disables it. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The parsed answer to a request. */
export interface RestResponse<T> {
  statusCode: number;
  body: T;
  warnings: string[];
}

/** A failure below HTTP (connection refused, TLS, timeout, aborted). */
export class RequestError extends Error {
  readonly code?: string;

  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RequestError';
    this.code = options.code;
  }
}

/** An open streaming response (a watch): newline-delimited text, closed by `close()` or abort. */
export interface RestStream {
  statusCode: number;
  warnings: string[];
  /** Yields each non-empty line; ends when the server closes the response. */
  lines(): AsyncIterable<string>;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Upstream's reason and message for a status code when the body is not a Status (client-go newUnstructuredResponseError). */
function reasonForCode(code: number, body: string): { reason: StatusReason; message: string } {
  const detail = body.trim();
  switch (code) {
    case 400:
      return { reason: 'BadRequest', message: detail || 'the server rejected our request for an unknown reason' };
    case 401:
      return { reason: 'Unauthorized', message: detail || 'the server has asked for the client to provide credentials' };
    case 403:
      return { reason: 'Forbidden', message: detail || 'the server does not allow access to the requested resource' };
    case 404:
      return { reason: 'NotFound', message: detail || 'the server could not find the requested resource' };
    case 405:
      return { reason: 'MethodNotAllowed', message: detail || 'the server does not allow this method on the requested resource' };
    case 406:
      return { reason: 'NotAcceptable', message: detail || 'the server was unable to respond with a content type that the client supports' };
    case 409:
      return { reason: 'Conflict', message: detail || 'the server reported a conflict' };
    case 410:
      return { reason: 'Gone', message: detail || 'the server has asked for the client to retry with a fresh resourceVersion' };
    case 413:
      return { reason: 'RequestEntityTooLarge', message: detail || 'the server has rejected the request because it is too large' };
    case 415:
      return { reason: 'UnsupportedMediaType', message: detail || 'the server was unable to process the content type of the request' };
    case 422:
      return { reason: 'Invalid', message: detail || 'the server rejected our request due to an error in our request' };
    case 429:
      return { reason: 'TooManyRequests', message: detail || 'the server has received too many requests and has asked us to try again later' };
    case 503:
      return { reason: 'ServiceUnavailable', message: detail || 'the server is currently unable to handle the request' };
    case 504:
      return { reason: 'Timeout', message: detail || 'the server was unable to return a response in the time allotted, but may still be processing the request' };
    default:
      if (code >= 500) {
        return { reason: 'InternalError', message: `an error on the server (${JSON.stringify(detail)}) has prevented the request from succeeding` };
      }
      return { reason: '', message: detail || `the server responded with the status code ${code} but did not return more information` };
  }
}

/** Turns a non-2xx response body into the StatusError it stands for. */
export function statusErrorFromResponse(code: number, text: string): StatusError {
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status' && typeof parsed === 'object') {
      const status: Status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: parsed.metadata ?? {},
        status: 'Failure',
        code: typeof parsed.code === 'number' && parsed.code > 0 ? parsed.code : code,
        ...(parsed.message !== undefined ? { message: parsed.message } : {}),
        ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
        ...(parsed.details !== undefined ? { details: parsed.details } : {}),
      };
      return new StatusError(status);
    }
  } catch {
    // not JSON: fall through
  }
  const { reason, message } = reasonForCode(code, text.length > 512 ? `${text.slice(0, 512)}...` : text);
  return new StatusError(failureStatus(code, reason, message));
}

/**
 * Parses `Warning` header values (`299 - "text"`, possibly several, comma-separated) into their texts,
 * as client-go's net.ParseWarningHeaders does.
 */
export function parseWarningHeaders(values: string | string[] | undefined): string[] {
  if (!values) return [];
  const out: string[] = [];
  for (const value of Array.isArray(values) ? values : [values]) {
    const re = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)/gy;
    let m: RegExpExecArray | null;
    let matched = false;
    while ((m = re.exec(value)) !== null) {
      matched = true;
      out.push(m[3].replace(/\\(.)/g, '$1'));
      if (re.lastIndex >= value.length) break;
    }
    if (!matched && value.trim()) out.push(value.trim());
  }
  return out;
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** HTTP(S) transport with one keep-alive agent per client. */
export class RestClient {
  readonly config: Readonly<ClientConfig>;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;

  constructor(config: ClientConfig) {
    this.config = { ...config };
    this.base = new URL(config.server);
    this.isHttps = this.base.protocol === 'https:';
    if (!this.isHttps && this.base.protocol !== 'http:') {
      throw new Error(`unsupported server URL scheme ${this.base.protocol} in ${config.server}`);
    }
    this.agent = this.isHttps
      ? new https.Agent({
          keepAlive: true,
          ca: config.caData || undefined,
          rejectUnauthorized: !config.insecureSkipTLSVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** Sends a request and parses the JSON answer; throws StatusError on non-2xx, RequestError below HTTP. */
  async request<T>(opts: RequestOptions): Promise<RestResponse<T>> {
    const res = await this.send(opts, false);
    const text = await readBody(res.body, opts.signal);
    const code = res.statusCode;
    if (code < 200 || code > 299) throw statusErrorFromResponse(code, text);
    let body: T;
    try {
      body = (text ? JSON.parse(text) : {}) as T;
    } catch (err) {
      throw new RequestError(`invalid JSON in response to ${opts.method} ${opts.path}`, { cause: err });
    }
    return { statusCode: code, body, warnings: res.warnings };
  }

  /**
   * Opens a streaming request (a watch). Non-2xx answers are read in full and thrown as StatusError.
   * `idleTimeoutMs` closes the stream with an error when no byte arrives for that long.
   */
  async stream(opts: RequestOptions & { idleTimeoutMs?: number }): Promise<RestStream> {
    const res = await this.send({ ...opts, timeoutMs: opts.idleTimeoutMs ?? 0 }, true);
    const code = res.statusCode;
    if (code < 200 || code > 299) {
      const text = await readBody(res.body, opts.signal);
      throw statusErrorFromResponse(code, text);
    }
    const signal = opts.signal;
    return {
      statusCode: code,
      warnings: res.warnings,
      close: res.close,
      lines: () => readLines(res.body, res.close, signal),
    };
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private send(opts: RequestOptions, streaming: boolean): Promise<Answer> {
    const url = new URL(opts.path + buildQuery(opts.query), this.base);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.config.userAgent ?? 'jobyard',
    };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body), 'utf8');
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const what = `${opts.method} ${url.pathname}`;
    if (this.config.transport) return this.sendInProcess(this.config.transport, opts, url, headers, payload, what, streaming);
    const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const lib = this.isHttps ? https : http;

    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new RequestError(`${what}: aborted`, { code: 'ABORT_ERR', cause: opts.signal.reason }));
        return;
      }
      const req = lib.request(url, { method: opts.method, headers, agent: this.agent, signal: opts.signal });
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        const e = err as NodeJS.ErrnoException;
        if (opts.signal?.aborted) reject(new RequestError(`${what}: aborted`, { code: 'ABORT_ERR', cause: err }));
        else reject(new RequestError(`${what}: ${e?.message ?? String(err)}`, { code: e?.code, cause: err }));
      };
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          req.destroy(Object.assign(new Error(`timed out after ${timeoutMs}ms`), { code: 'ETIMEDOUT' }));
        });
      }
      req.on('error', fail);
      req.on('response', (message) => {
        if (settled) return;
        settled = true;
        const warnings = this.warnings(message.headers.warning);
        // The socket timeout set above keeps running while the body is read (an idle timeout).
        const close = () => {
          message.destroy();
          req.destroy();
        };
        resolve({ statusCode: message.statusCode ?? 0, body: message, close, warnings });
      });
      req.end(payload);
    });
  }

  /** The same request handed to the API server of this process (config.transport). */
  private async sendInProcess(
    transport: InProcessTransport,
    opts: RequestOptions,
    url: URL,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    what: string,
    streaming: boolean,
  ): Promise<Answer> {
    const aborted = () => new RequestError(`${what}: aborted`, { code: 'ABORT_ERR', cause: opts.signal?.reason });
    if (opts.signal?.aborted) throw aborted();
    let res: InProcessResponse;
    try {
      res = await transport({ method: opts.method, path: url.pathname + url.search, headers: { ...headers, Host: url.host }, body: payload });
    } catch (err) {
      throw new RequestError(`${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    if (opts.signal?.aborted) {
      res.close();
      throw aborted();
    }
    // An abort ends a stream as closing a connection would (until it is over). A plain answer is
    // whole by now: no listener for it (many requests share one signal).
    const signal = opts.signal;
    if (signal && streaming) {
      const onAbort = () => res.close();
      signal.addEventListener('abort', onAbort, { once: true });
      res.body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    const warning = res.headers.warning;
    return {
      statusCode: res.statusCode,
      body: res.body,
      close: res.close,
      warnings: this.warnings(typeof warning === 'number' ? String(warning) : warning),
    };
  }

  private warnings(values: string | string[] | undefined): string[] {
    const warnings = parseWarningHeaders(values);
    for (const w of warnings) {
      try {
        this.config.onWarning?.(w);
      } catch {
        // a warning handler never breaks a request
      }
    }
    return warnings;
  }
}

/** A response as both transports give it: status, a body stream, and how to end the exchange. */
interface Answer {
  statusCode: number;
  body: NodeJS.ReadableStream & AsyncIterable<unknown>;
  close: () => void;
  warnings: string[];
}

function readBody(message: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', (err) => {
      if (signal?.aborted) reject(new RequestError('aborted', { code: 'ABORT_ERR', cause: err }));
      else reject(new RequestError(`reading response: ${err.message}`, { cause: err }));
    });
    message.on('aborted', () => reject(new RequestError('response aborted', { code: 'ECONNRESET' })));
  });
}

async function* readLines(message: AsyncIterable<unknown>, close: () => void, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  try {
    for await (const chunk of message) {
      buf += decoder.write(chunk as Buffer);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) yield line;
      }
    }
    buf += decoder.end();
    if (buf.trim()) yield buf.trim();
  } catch (err) {
    if (signal?.aborted) return;
    const e = err as NodeJS.ErrnoException;
    throw new RequestError(`watch stream: ${e?.message ?? String(err)}`, { code: e?.code, cause: err });
  } finally {
    close();
  }
}

export { loadKubeconfig, parseKubeconfig } from './kubeconfig.js';
