// In-process requests: the controllers, the node agent and the log service of `jobyard server`
// reach the app without TLS, sockets or HTTP parsing, through the same routes and hooks as a
// network request (the front door checks their bearer token; admission, validation, defaulting
// and the durability barrier are the same). It is a function handed to cmd/, not a listener:
// nothing on the network reaches it.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { InProcessTransport } from '../../api/in-process.js';

/** Fastify's inject (light-my-request) with the body as a stream, so watches stream too. */
export function inProcessDispatch(app: FastifyInstance): InProcessTransport {
  return async (req) => {
    const res = await app.inject({
      method: req.method as HTTPMethods,
      url: req.path,
      headers: req.headers,
      ...(req.body !== undefined ? { payload: req.body } : {}),
      payloadAsStream: true,
    });
    const raw = res.raw.res;
    return { statusCode: res.statusCode, headers: res.headers, body: res.stream(), close: () => raw.destroy() };
  };
}
