// A process in a pod's container, from the browser: pods/exec over WebSocket with the
// v5.channel.k8s.io protocol, as kubectl speaks it. Every message starts with a channel byte
// (0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 resize; 255 closes a channel). The
// session cookie authenticates the handshake (browsers cannot set headers on a WebSocket;
// the server takes a cookie only from the console's own origin).
import { resourcePath, resources } from './resources.js';

export const EXEC_PROTOCOL = 'v5.channel.k8s.io';
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
}

/** How the process ended: its exit code, or why the connection ended without one. */
export interface ExecEnd {
  exitCode?: number;
  message?: string;
}

export interface ExecHandlers {
  onOpen?: () => void;
  onOutput: (data: Uint8Array, stream: 'stdout' | 'stderr') => void;
  onEnd: (end: ExecEnd) => void;
}

export interface ExecConnection {
  send(data: string | Uint8Array): void;
  resize(columns: number, rows: number): void;
  /** Ends stdin (the process sees end of input). */
  closeStdin(): void;
  /** Drops the connection; the process loses its terminal. */
  close(): void;
}

/** The ws(s):// URL of an exec request against the cluster whose API root is `baseUrl`. */
export function execUrl(location: { protocol: string; host: string }, baseUrl: string, r: ExecRequest): string {
  const q = new URLSearchParams();
  for (const c of r.command) q.append('command', c);
  q.set('container', r.container);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', String(!r.tty));
  q.set('tty', String(r.tty));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${baseUrl}${resourcePath(resources.pods, { namespace: r.namespace, name: r.pod, subresource: 'exec' })}?${q}`;
}

/** The exit code a final Status carries (kubelet: NonZeroExitCode with an ExitCode cause). */
export function exitFromStatus(status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } }): ExecEnd {
  if (status.status === 'Success') return { exitCode: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && cause?.message !== undefined) return { exitCode: Number(cause.message) };
  return { message: status.message ?? 'the command failed' };
}

export function openExec(url: string, handlers: ExecHandlers, makeSocket: (url: string, protocol: string) => WebSocket = (u, p) => new WebSocket(u, p)): ExecConnection {
  const ws = makeSocket(url, EXEC_PROTOCOL);
  ws.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let ended = false;
  const end = (e: ExecEnd) => {
    if (ended) return;
    ended = true;
    handlers.onEnd(e);
  };
  const frame = (channel: number, data: Uint8Array) => {
    const out = new Uint8Array(data.length + 1);
    out[0] = channel;
    out.set(data, 1);
    return out;
  };
  const sendFrame = (channel: number, data: Uint8Array) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(frame(channel, data));
  };
  ws.onopen = () => handlers.onOpen?.();
  ws.onmessage = (ev: MessageEvent) => {
    if (!(ev.data instanceof ArrayBuffer)) return;
    const bytes = new Uint8Array(ev.data);
    if (bytes.length === 0) return;
    const body = bytes.subarray(1);
    if (bytes[0] === STDOUT) handlers.onOutput(body, 'stdout');
    else if (bytes[0] === STDERR) handlers.onOutput(body, 'stderr');
    else if (bytes[0] === ERROR) {
      try {
        end(exitFromStatus(JSON.parse(decoder.decode(body)) as Parameters<typeof exitFromStatus>[0]));
      } catch {
        end({ message: decoder.decode(body) });
      }
    }
  };
  ws.onclose = (ev: CloseEvent) => {
    // Refused before the upgrade (401, 403, a Status): the browser shows only code 1006.
    end({ message: ev.code === 1000 ? 'the connection ended' : `the connection was closed (code ${ev.code})` });
  };
  return {
    send: (data) => sendFrame(STDIN, typeof data === 'string' ? encoder.encode(data) : data),
    resize: (columns, rows) => sendFrame(RESIZE, encoder.encode(JSON.stringify({ Width: columns, Height: rows }))),
    closeStdin: () => sendFrame(CLOSE, Uint8Array.of(STDIN)),
    close: () => ws.close(),
  };
}
