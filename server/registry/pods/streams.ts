// pods/exec and pods/attach over WebSocket, as kubectl 1.30+ speaks them (KEP-4006): the
// request is validated as the apiserver and kubelet do, the node starts the process or
// attaches to the container's (a PodStreamProvider, the node agent, wired in by cmd/), and
// this bridges the streams to the channel protocol.
//
// v4.channel.k8s.io / v5.channel.k8s.io: every binary message starts with a channel byte,
// 0 stdin, 1 stdout, 2 stderr, 3 error (the final metav1.Status, JSON), 4 resize
// ({"Width","Height"}); v5 adds 255 "close", whose next byte is the channel the client has
// finished writing (0: stdin reached its end). SPDY, the older transport, is not served:
// kubectl tries WebSocket first.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Pod } from '../../../api/index.js';
import type { PodAttachOptions, PodExecOptions, PodStreamProvider, PodStreamSession } from '../../../api/core-streams.js';
import { badRequest, errorMessage, forbidden, serviceUnavailable } from '../../../machinery/index.js';
import { type Upgrade, upgradeOf } from '../../../machinery/httpstream/upgrade.js';
import { type QueryValues as Query, queryBool, queryString, queryValues } from '../../../machinery/query-params.js';
import { logContainer } from './log.js';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

/**
 * Options of exec and attach, with the apiserver's, kubelet's and kubectl's messages for bad ones.
 * Decoded as upstream's apiserver decodes PodExecOptions: Python's client sends stdout=True,
 * kubectl stdout=true.
 */
function streamOptions(pod: Pod, query: Query, verb: 'exec into' | 'attach to'): PodAttachOptions {
  const container = logContainer(pod, queryString(query, 'container'));
  const tty = queryBool(query, 'tty');
  const options: PodAttachOptions = { container, stdin: queryBool(query, 'stdin'), stdout: queryBool(query, 'stdout'), stderr: queryBool(query, 'stderr') && !tty, tty };
  if (!options.stdin && !options.stdout && !queryBool(query, 'stderr')) throw badRequest('you must specify at least one of stdin, stdout, stderr');
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  return options;
}

export function podExecOptions(pod: Pod, query: Query): PodExecOptions {
  const command = queryValues(query, 'command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  return { ...streamOptions(pod, query, 'exec into'), command };
}

export function podAttachOptions(pod: Pod, query: Query): PodAttachOptions {
  return streamOptions(pod, query, 'attach to');
}

/** The final Status the error channel carries (the kubelet's v4 status writer). */
export function exitStatus(command: string[], code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

export async function handlePodExec(provider: PodStreamProvider | undefined, pod: Pod, query: Query, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const options = podExecOptions(pod, query);
  const upgrade = checkUpgrade('exec', request);
  if (!provider) throw serviceUnavailable('no node agent runs processes in containers on this server');
  const session = await provider.exec(pod, options);
  reply.hijack();
  wss.handleUpgrade(request.raw, upgrade.socket, upgrade.head, (ws) => bridge(ws, session, options.command, options.tty));
}

export async function handlePodAttach(provider: PodStreamProvider | undefined, pod: Pod, query: Query, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const options = podAttachOptions(pod, query);
  const upgrade = checkUpgrade('attach', request);
  if (!provider) throw serviceUnavailable('no node agent attaches to containers on this server');
  const session = await provider.attach(pod, options);
  reply.hijack();
  wss.handleUpgrade(request.raw, upgrade.socket, upgrade.head, (ws) => bridge(ws, session, [], options.tty));
}

/** A WebSocket upgrade with a channel protocol this server speaks, from a caller allowed to open it. */
function checkUpgrade(subresource: string, request: FastifyRequest): Upgrade {
  const upgrade = upgradeOf(request.raw);
  const wanted = String(request.headers.upgrade ?? '').toLowerCase();
  if (!upgrade || wanted !== 'websocket') {
    throw badRequest(wanted.startsWith('spdy') ? `pods/${subresource} is served over WebSocket (v4.channel.k8s.io, v5.channel.k8s.io) only, not SPDY` : 'Upgrade request required');
  }
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (!CHANNEL_PROTOCOLS.some((p) => offered.includes(p))) {
    throw badRequest(`unsupported streaming protocol ${JSON.stringify(offered.join(', '))}: this server speaks ${CHANNEL_PROTOCOLS.join(', ')}`);
  }
  // Browsers send cookies with a WebSocket handshake from any page, and SameSite does not
  // tell ports of one host apart: a session-authenticated upgrade must come from the console.
  const origin = request.headers.origin;
  if (!request.headers.authorization && origin !== undefined && !sameOrigin(origin, request.headers.host)) {
    throw forbidden(`pods/${subresource} from ${JSON.stringify(origin)}: a console session may open it only from the console's own origin`);
  }
  return upgrade;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Process ↔ channels, with back-pressure both ways, then the exit status, then close. */
function bridge(ws: WebSocket, session: PodStreamSession, command: string[], tty: boolean): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  let finished = false;
  const frame = (channel: number, data: Buffer | string) => Buffer.concat([Buffer.of(channel), typeof data === 'string' ? Buffer.from(data) : data]);

  const forward = (stream: Readable, channel: number) =>
    new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        if (ws.readyState !== ws.OPEN) return;
        stream.pause();
        ws.send(frame(channel, chunk), () => stream.resume());
      });
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });

  const stdin = session.stdin;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const msg = isBinary ? data : Buffer.from(data);
    if (msg.length === 0) return;
    const channel = msg[0];
    if (channel === STDIN && stdin && !stdin.writableEnded) {
      if (!stdin.write(msg.subarray(1))) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    } else if (channel === RESIZE && tty) {
      try {
        const size = JSON.parse(msg.subarray(1).toString('utf8')) as { Width?: number; Height?: number };
        if (size.Width && size.Height) void session.resize(size.Width, size.Height).catch(() => undefined);
      } catch {
        // a malformed resize is ignored, as the kubelet does
      }
    } else if (v5 && channel === CLOSE && msg[1] === STDIN && stdin) {
      stdin.end();
    }
  });
  stdin?.on('error', () => undefined);
  ws.on('close', () => {
    // The client went away (Ctrl-C, a dropped connection): the process loses its terminal.
    if (!finished) session.close();
  });
  ws.on('error', () => session.close());

  void (async () => {
    await Promise.all([forward(session.stdout, STDOUT), forward(session.stderr, STDERR)]);
    let status: Record<string, unknown>;
    try {
      status = exitStatus(command, await session.exitCode());
    } catch (err) {
      status = { metadata: {}, status: 'Failure', message: `error executing command: ${errorMessage(err)}`, reason: 'InternalError' };
    }
    finished = true;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(ERROR, JSON.stringify(status)), () => ws.close(1000));
  })();
}
