// pods/log: validates the request as upstream does, then streams what the node serves.
// The API server never reads containers itself: a PodLogProvider (the node agent, wired in
// by cmd/) answers, as the kubelet answers upstream's apiserver.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pod } from '../../../api/index.js';
import type { PodLogOptions, PodLogProvider } from '../../../api/core-streams.js';
import { badRequest, serviceUnavailable } from '../../../machinery/index.js';
import { type QueryValues as Query, queryBool, queryInt64, queryString } from '../../../machinery/query-params.js';

/** A *int64 of PodLogOptions: parsed as upstream's conversion, then bounded as its validation. */
function atLeast(query: Query, name: string, min: number): number | undefined {
  const n = queryInt64(query, name);
  if (n !== undefined && n < min) throw badRequest(`${name}: Invalid value: ${n}: must be greater than ${min === 0 ? 'or equal to 0' : min - 1}`);
  return n;
}

/** Resolves the container a log request means, with upstream's messages. */
export function logContainer(pod: Pod, requested: string | undefined): string {
  const containers = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name ?? '';
  if (!requested) {
    if (containers.length === 1) return containers[0];
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    throw badRequest(msg);
  }
  if (!containers.includes(requested) && !inits.includes(requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

export async function handlePodLog(
  provider: PodLogProvider | undefined,
  pod: Pod,
  query: Query,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const options: PodLogOptions = {
    container: logContainer(pod, queryString(query, 'container')),
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    sinceSeconds: atLeast(query, 'sinceSeconds', 1),
    sinceTime: queryString(query, 'sinceTime') || undefined,
    tailLines: atLeast(query, 'tailLines', 0),
    limitBytes: atLeast(query, 'limitBytes', 1),
  };
  if (options.sinceSeconds !== undefined && options.sinceTime) throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
  if (!provider) throw serviceUnavailable('no node agent serves container logs on this server');
  const abort = new AbortController();
  const stream = await provider.streamLogs(pod, options, abort.signal);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders?.();
  const stop = () => {
    abort.abort();
    stream.destroy();
    if (!res.writableEnded) res.end();
  };
  request.raw.on('close', stop);
  stream.on('error', stop);
  stream.on('end', () => {
    if (!res.writableEnded) res.end();
  });
  stream.pipe(res, { end: false });
}
