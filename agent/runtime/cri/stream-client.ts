// A client of a CRI runtime's streaming server: the URL that Exec, Attach and PortForward return
// points at it (containerd's, CRI-O's: k8s.io/kubelet's cri/streaming, served for the kubelet's
// proxy), and this is the kubelet's side of it, as client-go's remotecommand and portforward are.
//
// The transport is SPDY/3.1 (machinery/httpstream/spdy.ts) over an HTTP upgrade, as the kubelet
// speaks to it: one stream per channel, so ending stdin is a FIN on the stdin stream. The
// streaming server of containerd 1.6 also takes WebSocket (v4.channel.k8s.io), but v4 over
// WebSocket cannot close stdin (`kubectl exec -i ... < file` would never end); v5, which can, is
// newer than containerd 1.6.
//
// exec/attach (remotecommand, v4.channel.k8s.io): streams with the header streamType = error,
// stdin, stdout, stderr, resize (JSON {"Width","Height"} objects, tty only), exactly those the
// request asked for; the error stream carries the final metav1.Status (an exit code is a
// NonZeroExitCode Status with cause ExitCode). port-forward (portforward.k8s.io): an error and a
// data stream per connection, with the headers port and requestID; a failure to connect inside
// the pod is text on the error stream.
import http from 'node:http';
import type { Socket } from 'node:net';
import { type Duplex, PassThrough, type Readable } from 'node:stream';
import { SpdyConnection, type SpdyHeaders, type SpdyStream } from '../../../machinery/httpstream/spdy.js';
import type { ExecOptions, ExecSession } from '../streaming-service.js';
import { RuntimeError } from '../runtime-error.js';

export const REMOTE_COMMAND_PROTOCOL = 'v4.channel.k8s.io';
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** How long an upgrade may take: the streaming server answers at once or not at all. */
const UPGRADE_TIMEOUT_MS = 30_000;

/** Upgrades the streaming server's URL to a SPDY/3.1 session speaking `protocol`. */
export function upgradeToSpdy(url: string, protocol: string): Promise<SpdyConnection> {
  const target = new URL(url);
  if (target.protocol !== 'http:') {
    // containerd's enable_tls_streaming serves a self-signed certificate the kubelet does not check either.
    throw new RuntimeError('Unknown', `streaming server URL ${target.origin}: only http is supported (enable_tls_streaming off)`);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(target, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocol },
      timeout: UPGRADE_TIMEOUT_MS,
    });
    req.once('upgrade', (res, socket: Socket, head: Buffer) => {
      const chosen = res.headers['x-stream-protocol-version'];
      if (chosen !== undefined && chosen !== protocol) {
        socket.destroy();
        return reject(new RuntimeError('Unknown', `streaming server chose protocol ${JSON.stringify(chosen)}, not ${protocol}`));
      }
      socket.setNoDelay(true);
      const conn = new SpdyConnection(socket, { server: false });
      if (head.length) socket.unshift(head);
      resolve(conn);
    });
    req.once('response', (res) => {
      // No upgrade: the body says why (an unknown or used token is a 404).
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').trim();
        reject(new RuntimeError('Unknown', `streaming server answered ${res.statusCode} to the upgrade: ${body || res.statusMessage}`));
      });
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from the streaming server within ${UPGRADE_TIMEOUT_MS / 1000}s`)));
    req.once('error', (err) => reject(new RuntimeError('Unknown', `streaming server ${target.host}: ${err.message}`, { cause: err })));
    req.end();
  });
}

/** Reads a stream to its end (or its loss) as text. */
function readAll(stream: Readable): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), complete: true }));
    stream.once('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), complete: false }));
    stream.once('error', () => undefined);
  });
}

/** A stream's output as a Readable that always ends, even when the connection is lost. */
function output(stream: SpdyStream | undefined): PassThrough {
  const out = new PassThrough();
  if (!stream) {
    out.end();
    return out;
  }
  stream.pipe(out);
  stream.once('close', () => {
    if (!out.writableEnded) out.end();
  });
  stream.on('error', () => undefined);
  return out;
}

/** The exit code a v4 error stream's Status says (client-go's errorDecoderV4). */
export function exitCodeOfStatus(text: string): number {
  if (text.trim() === '') return 0;
  let status: { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text);
  } catch {
    throw new RuntimeError('Unknown', `error stream protocol error: ${JSON.stringify(text)}`);
  }
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (cause && Number.isInteger(code)) return code;
    throw new RuntimeError('Unknown', `error stream protocol error: invalid exit code value ${JSON.stringify(cause?.message)}`);
  }
  throw new RuntimeError('Unknown', status.message ?? `error executing command: ${text}`);
}

/**
 * An exec or attach on the streaming server, as an ExecSession: the streams the request asked
 * for (options must be those of the Exec/Attach call, stderr false with a tty), opened in
 * client-go's order. `attach` sessions report exit code 0: the process's end is its container's.
 */
export async function remoteCommandSession(url: string, options: ExecOptions, kind: 'exec' | 'attach'): Promise<ExecSession> {
  const conn = await upgradeToSpdy(url, REMOTE_COMMAND_PROTOCOL);
  let streams: Partial<Record<'error' | 'stdin' | 'stdout' | 'stderr' | 'resize', SpdyStream>> = {};
  try {
    const open = (streamType: string) => conn.createStream({ streamtype: streamType } satisfies SpdyHeaders);
    streams.error = await open('error');
    if (options.stdin) streams.stdin = await open('stdin');
    if (options.stdout) streams.stdout = await open('stdout');
    if (options.stderr && !options.tty) streams.stderr = await open('stderr');
    if (options.tty) streams.resize = await open('resize');
  } catch (err) {
    conn.close();
    streams = {};
    throw new RuntimeError('Unknown', `${kind}: the streaming server did not take the streams: ${(err as Error).message}`, { cause: err });
  }
  // We write nothing on the error stream: end our half at once, as client-go does.
  streams.error.end();
  const errorText = readAll(streams.error);
  const stdout = output(streams.stdout);
  const stderr = output(streams.stderr);
  const ended = Promise.all([stdout, stderr].map((s) => new Promise<void>((resolve) => (s.writableFinished ? resolve() : s.once('finish', () => resolve())))));
  const stdin = streams.stdin;
  stdin?.on('error', () => undefined);
  streams.resize?.on('error', () => undefined);
  // The session is over when the server has said how it ended and the output is read.
  void Promise.all([ended, errorText]).then(() => conn.close());
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    stderr,
    resize: async (width, height) => {
      const resize = streams.resize;
      if (!resize || resize.destroyed || resize.writableEnded) return;
      resize.write(JSON.stringify({ Width: width, Height: height }));
    },
    exitCode: async () => {
      await ended;
      const { text, complete } = await errorText;
      if (!complete && text === '') throw new RuntimeError('Unknown', `${kind}: the connection to the streaming server was lost before the process ended`);
      const code = exitCodeOfStatus(text);
      return kind === 'attach' ? 0 : code;
    },
    close: () => conn.close(),
  };
}

/** The kubelet's words around a port-forward failure, which our API server adds again. */
const FORWARD_ERROR_PREFIX = /^error forwarding port \d+ to pod [^,]*, uid [^:]*: /;

/**
 * One TCP connection to `port` inside the pod, through the streaming server's port-forward
 * protocol: resolves once the streams are set up (the runtime connects after that, on its
 * side); a failure to connect rejects if it has come by then, else destroys the Duplex with a
 * RuntimeError whose message is the runtime's, before any byte arrives. Closing the Duplex
 * closes the session.
 */
export async function portForwardStream(url: string, port: number): Promise<Duplex> {
  const conn = await upgradeToSpdy(url, PORT_FORWARD_PROTOCOL);
  let error: SpdyStream;
  let data: SpdyStream;
  try {
    const headers = (streamType: string): SpdyHeaders => ({ streamtype: streamType, port: String(port), requestid: '0' });
    error = await conn.createStream(headers('error'));
    data = await conn.createStream(headers('data'));
  } catch (err) {
    conn.close();
    throw new RuntimeError('Unknown', `port-forward: the streaming server did not take the streams: ${(err as Error).message}`, { cause: err });
  }
  error.end();
  error.on('error', () => undefined);
  // The server writes its error text in one frame, before it closes the data stream: fail the
  // data stream as soon as it comes, so no reader takes the FIN that follows for a clean end.
  let failure: RuntimeError | undefined;
  data.on('error', () => undefined);
  error.on('data', (chunk: Buffer) => {
    const message = chunk.toString('utf8').trim().replace(FORWARD_ERROR_PREFIX, '');
    if (!message || failure) return;
    failure = new RuntimeError('Unknown', message);
    if (!data.destroyed) data.destroy(failure);
  });
  // As a TCP socket without half-open: once the pod's side has ended, so does ours (the
  // runtime then ends the connection), and the stream closes for those who wait for that —
  // after the error stream has ended, so that an error the runtime reports is never cut off.
  const errorEnded = new Promise<void>((resolve) => {
    error.once('end', resolve);
    error.once('close', resolve);
  });
  data.once('end', () => {
    void errorEnded.then(() => {
      if (!data.writableEnded && !data.destroyed) data.end();
    });
  });
  data.once('close', () => conn.close());
  conn.once('close', () => {
    if (!data.destroyed) data.destroy();
  });
  // Frames already read (a refusal may come with the streams' replies) are handled by the next
  // turn: such a failure rejects. A later one finds the caller listening, as it listens as soon
  // as it has the Duplex, before any more I/O.
  await new Promise((resolve) => setImmediate(resolve));
  if (failure) throw failure;
  return data;
}
