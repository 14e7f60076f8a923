// pods/portforward as kubectl 1.32 speaks it: first a WebSocket whose binary messages carry a
// SPDY/3.1 session (subprotocol "SPDY/3.1+portforward.k8s.io", KEP-4006's tunnel), and, when
// that upgrade is refused, SPDY/3.1 itself (Upgrade: SPDY/3.1, X-Stream-Protocol-Version:
// portforward.k8s.io). Either way the session is upstream's portforward.k8s.io protocol (the
// kubelet's cri/streaming/portforward/httpstream.go): for each local connection kubectl opens
// an error stream and a data stream with the headers streamType, port and requestID; once both
// are there the node connects to the port inside the pod (PodStreamProvider.portForward) and
// the data stream carries the bytes both ways. A failure is written on the error stream as
// text ("error forwarding port 8080 to pod <sandbox id>, uid : ..."), which kubectl prints.
// WebSocket clients of the older protocol (@kubernetes/client-node: v4.channel.k8s.io, the
// ports in the query) get the kubelet's channels instead: data 2n and error 2n+1 per port,
// each starting with the port number (uint16, little endian); the session ends when every
// port's connection has.
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createWebSocketStream, type WebSocket, WebSocketServer } from 'ws';
import type { Pod } from '../../../api/index.js';
import type { PodPortForwarder, PodStreamProvider } from '../../../api/core-streams.js';
import { badRequest, errorMessage, forbidden, serviceUnavailable, StatusError } from '../../../machinery/index.js';
import { type SpdyHeaders, type SpdyStream, SpdyConnection } from '../../../machinery/httpstream/spdy.js';
import { upgradeOf } from '../../../machinery/httpstream/upgrade.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** client-go's WebsocketsSPDYTunnelingPrefix + the protocol. */
export const PORT_FORWARD_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
/** The kubelet's streamCreationTimeout: a pair still missing a stream after this is dropped. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

/**
 * "SPDY/3.1+portforward.k8s.io" is no HTTP token ("/" is a separator), which the ws library
 * refuses in Sec-WebSocket-Protocol: the checked offer is handed to it under this name, and
 * the answer names the protocol as the client offered it.
 */
const TUNNEL_TOKEN = 'spdy-3.1-portforward.k8s.io';

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => (offered.has(TUNNEL_TOKEN) ? PORT_FORWARD_TUNNEL_PROTOCOL : false),
});

/** The kubelet's channel protocol for port forwarding (binary; none offered means the same). */
const CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
const channelWss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => (offered.has(CHANNEL_PROTOCOL) ? CHANNEL_PROTOCOL : false),
});

type Query = Record<string, string | string[] | undefined>;

/** PodPortForwardOptions.ports of a channel-protocol request, with the kubelet's messages. */
export function portsOf(query: Query): number[] {
  const raw = query.ports;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) throw badRequest('query parameter "ports" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw badRequest('query parameter "ports" cannot be empty');
    for (const p of value.split(',')) {
      if (!/^[0-9]+$/.test(p) || Number(p) > 65535) throw badRequest(`unable to parse ${JSON.stringify(value)} as a port`);
      if (Number(p) < 1) throw badRequest(`port ${JSON.stringify(value)} must be > 0`);
      ports.push(Number(p));
    }
  }
  return ports;
}

export async function handlePodPortForward(provider: PodStreamProvider | undefined, pod: Pod, query: Query, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const upgrade = upgradeOf(request.raw);
  const wanted = String(request.headers.upgrade ?? '').toLowerCase();
  const websocket = wanted === 'websocket';
  if (!upgrade || !(websocket || wanted === 'spdy/3.1')) throw badRequest('Upgrade request required');
  let channelPorts: number[] | undefined;
  if (websocket) {
    const offered = listHeader(request.headers['sec-websocket-protocol']);
    if (!offered.includes(PORT_FORWARD_TUNNEL_PROTOCOL)) {
      if (offered.length > 0 && !offered.includes(CHANNEL_PROTOCOL)) {
        throw badRequest(`unsupported streaming protocol ${JSON.stringify(offered.join(', '))}: this server speaks ${PORT_FORWARD_TUNNEL_PROTOCOL}, ${CHANNEL_PROTOCOL}`);
      }
      channelPorts = portsOf(query);
    }
  } else {
    // httpstream.Handshake's answers.
    const versions = listHeader(request.headers['x-stream-protocol-version']);
    if (versions.length === 0) throw badRequest('unable to upgrade: X-Stream-Protocol-Version is required');
    if (!versions.includes(PORT_FORWARD_PROTOCOL)) {
      throw forbidden(`unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
    }
  }
  // A console session may open it only from the console's own origin (as exec and attach).
  const origin = request.headers.origin;
  if (!request.headers.authorization && origin !== undefined && !sameOrigin(origin, request.headers.host)) {
    throw forbidden(`pods/portforward from ${JSON.stringify(origin)}: a console session may open it only from the console's own origin`);
  }
  const podName = pod.metadata.name ?? '';
  // The apiserver's PortForwardLocation: the node is where the pod was bound.
  if (!pod.spec?.nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
  if (!provider?.portForward) throw serviceUnavailable('no node agent forwards ports on this server');
  const forwarder = await provider.portForward(pod);
  reply.hijack();
  if (channelPorts) {
    const ports = channelPorts;
    channelWss.handleUpgrade(request.raw, upgrade.socket, upgrade.head, (ws) => void serveChannels(ws, ports, forwarder));
    return;
  }
  if (websocket) {
    request.raw.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
    wss.handleUpgrade(request.raw, upgrade.socket, upgrade.head, (ws) => servePortForward(createWebSocketStream(ws), forwarder));
    return;
  }
  const { socket, head } = upgrade;
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
  servePortForward(socket, forwarder);
}

function listHeader(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** httpStreamReceived: a stream without a valid port or stream type is refused before its reply. */
export function checkPortForwardStream(headers: SpdyHeaders): string | undefined {
  const port = headers.port;
  if (!port) return '"port" header is required';
  if (!/^[0-9]+$/.test(port) || Number(port) > 65535) return `unable to parse ${JSON.stringify(port)} as a port`;
  if (Number(port) < 1) return `port ${JSON.stringify(port)} must be > 0`;
  const type = headers.streamtype;
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type ${JSON.stringify(type)}`;
  return undefined;
}

interface StreamPair {
  requestId: string;
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/**
 * One port-forward session (upstream's httpStreamHandler): streams are paired by requestID
 * (older clients send none: the stream ids stand in), each complete pair forwarded on its own.
 */
export function servePortForward(transport: Duplex, forwarder: PodPortForwarder): SpdyConnection {
  if ('setNoDelay' in transport && typeof transport.setNoDelay === 'function') (transport as import('node:net').Socket).setNoDelay(true);
  const conn = new SpdyConnection(transport, { server: true, accept: checkPortForwardStream });
  const pairs = new Map<string, StreamPair>();
  conn.on('stream', (stream: SpdyStream) => {
    stream.on('error', () => undefined);
    const type = stream.headers.streamtype as 'data' | 'error';
    const requestId = stream.headers.requestid || String(type === 'error' ? stream.id : stream.id - 2);
    let pair = pairs.get(requestId);
    if (!pair) {
      const created: StreamPair = {
        requestId,
        timer: setTimeout(() => {
          pairs.delete(requestId);
          printError(created, `(conn=${forwarder.podSandboxId}, request=${requestId}) timed out waiting for streams`);
        }, STREAM_CREATION_TIMEOUT_MS),
      };
      created.timer.unref();
      pairs.set(requestId, created);
      pair = created;
    }
    if (pair[type]) {
      printError(pair, `error processing stream for request ${requestId}: ${type} stream already assigned`);
      stream.reset();
      return;
    }
    pair[type] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      void forward(pair.data, pair.error, forwarder);
    }
  });
  conn.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    pairs.clear();
  });
  return conn;
}

function printError(pair: StreamPair, message: string): void {
  if (pair.error && pair.error.writable) pair.error.end(message);
}

/** The node's connection to the port ↔ the data stream; a failure to connect goes on the error stream. */
async function forward(data: SpdyStream, error: SpdyStream, forwarder: PodPortForwarder): Promise<void> {
  const port = Number(data.headers.port);
  // kubectl writes nothing on the error stream but its FIN: read it to its end.
  error.resume();
  const failed = (err: unknown) => {
    const message = err instanceof StatusError ? err.status.message : errorMessage(err);
    if (error.writable) error.end(`error forwarding port ${port} to pod ${forwarder.podSandboxId}, uid : ${message}`);
    if (!data.writableEnded && !data.destroyed) data.end();
  };
  let target: Duplex;
  try {
    target = await forwarder.connect(port);
  } catch (err) {
    return failed(err);
  }
  // A runtime that connects after handing over the stream (the CRI's PortForward) fails it instead.
  target.on('error', failed);
  // Each side's FIN half-closes the other; a reset (kubectl drops the data stream once the
  // pod's side ended) or a closed session ends the connection to the pod.
  data.pipe(target);
  target.pipe(data);
  data.once('close', () => target.destroy());
  target.once('close', () => {
    if (!data.writableEnded && !data.destroyed) data.end();
    if (error.writable) error.end();
  });
}

/** The kubelet's websocketStreamHandler: every port of the query at once, on channels 2n and 2n+1. */
async function serveChannels(ws: WebSocket, ports: number[], forwarder: PodPortForwarder): Promise<void> {
  const targets: (Duplex | undefined)[] = ports.map(() => undefined);
  const early: Buffer[][] = ports.map(() => []);
  let closed = false;
  const send = (channel: number, data: Buffer, sent?: () => void) => {
    if (ws.readyState !== ws.OPEN) return sent?.();
    ws.send(Buffer.concat([Buffer.of(channel), data]), () => sent?.());
  };
  const portBytes = (port: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(port);
    return b;
  };
  ports.forEach((port, i) => {
    send(2 * i, portBytes(port));
    send(2 * i + 1, portBytes(port));
  });
  ws.on('message', (data: Buffer) => {
    const channel = data[0];
    const i = channel / 2;
    // Only the data channels are the client's to write.
    if (data.length < 2 || channel % 2 !== 0 || i >= ports.length) return;
    const target = targets[i];
    if (target) target.write(data.subarray(1));
    else early[i].push(Buffer.from(data.subarray(1)));
  });
  ws.on('close', () => {
    closed = true;
    for (const t of targets) t?.destroy();
  });
  ws.on('error', () => undefined);
  await Promise.all(
    ports.map(async (port, i) => {
      let target: Duplex;
      try {
        target = await forwarder.connect(port);
      } catch (err) {
        send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${forwarder.podSandboxId}, uid : ${err instanceof StatusError ? err.status.message : errorMessage(err)}`));
        return;
      }
      if (closed) return void target.destroy();
      targets[i] = target;
      // A runtime that connects after handing over the stream (the CRI's PortForward) fails it instead.
      target.on('error', (err) => send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${forwarder.podSandboxId}, uid : ${errorMessage(err)}`)));
      for (const b of early[i].splice(0)) target.write(b);
      target.on('data', (chunk: Buffer) => {
        target.pause();
        send(2 * i, chunk, () => target.resume());
      });
      await new Promise<void>((resolve) => target.once('close', () => resolve()));
    }),
  );
  if (ws.readyState === ws.OPEN) ws.close(1000);
}
