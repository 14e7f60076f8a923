// HTTP upgrades (WebSocket: `kubectl exec`, `kubectl cp`) go through the same Fastify routes,
// hooks and authentication as every request: Node hands an upgrade to the server's 'upgrade'
// event with the HTTP parser already detached, and this gives it to the request handler with a
// response bound to the raw socket. A route that upgrades takes the socket (`upgradeOf`); any
// other answer (401, 404, a Status) is written as a plain HTTP response and the socket closed.
import http from 'node:http';
import type { Duplex } from 'node:stream';

/** The raw connection of an upgrade request, and the bytes read past its head. */
export interface Upgrade {
  socket: Duplex;
  head: Buffer;
}

const upgrades = new WeakMap<http.IncomingMessage, Upgrade>();

export type UpgradeListener = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export function upgradeDispatcher(handler: http.RequestListener): UpgradeListener {
  return (req, socket, head) => {
    upgrades.set(req, { socket, head });
    socket.on('error', () => socket.destroy());
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as import('node:net').Socket);
    res.shouldKeepAlive = false;
    res.on('finish', () => {
      res.detachSocket(socket as import('node:net').Socket);
      socket.end();
    });
    handler(req, res);
  };
}

/** The socket and first bytes of an upgrade request; undefined for an ordinary request. */
export function upgradeOf(req: http.IncomingMessage): Upgrade | undefined {
  return upgrades.get(req);
}
