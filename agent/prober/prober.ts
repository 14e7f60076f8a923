// One probe, run once (pkg/kubelet/prober/prober.go and pkg/probe/{exec,http,tcp}): exec in
// the container through the runtime; httpGet and tcpSocket from the node to the pod IP (or
// `host`), with named ports resolved from the container's ports, HTTPS without certificate
// checks, the probe's headers, kube-probe's User-Agent and the probe's timeout. Results and
// messages are upstream's ("HTTP probe failed with statuscode: 503", "dial tcp ...: connect:
// connection refused", `command "..." timed out`).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, HTTPGetAction, ProbeHandler, TCPSocketAction } from '../../api/index.js';
import { errorMessage } from '../../machinery/index.js';
import { type ContainerRuntime, isRuntimeError } from '../runtime/index.js';

/** Warning (a redirect not followed) counts as a success, as upstream. */
export type ProbeResult = 'success' | 'failure' | 'warning';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface HttpProbeRequest {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  /** Path and query, starting with "/". */
  path: string;
  headers: { name: string; value: string }[];
  timeoutMs: number;
}

export interface HttpProbeResponse {
  statusCode: number;
  /** At most 10 KiB of the body. */
  body: string;
}

/**
 * The network side of probes and hooks. Rejections carry Go-like messages
 * (`Get "http://10.0.0.2:80/": dial tcp 10.0.0.2:80: connect: connection refused`).
 * Tests inject a fake; `nodeNetwork` is the real one.
 */
export interface NetworkProber {
  httpGet(req: HttpProbeRequest): Promise<HttpProbeResponse>;
  tcpConnect(host: string, port: number, timeoutMs: number): Promise<void>;
}

/** The User-Agent kubelet probes send ("kube-probe/1.32"). */
export const PROBE_USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's net error text for a Node socket error. */
export function dialError(host: string, port: number, err: NodeJS.ErrnoException): string {
  const addr = hostPort(host, port);
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ETIMEDOUT':
      return `dial tcp ${addr}: i/o timeout`;
    case 'ECONNRESET':
      return `read tcp ${addr}: read: connection reset by peer`;
    default:
      return `dial tcp ${addr}: ${err.message}`;
  }
}

/** The node's own network stack. */
export const nodeNetwork: NetworkProber = {
  httpGet(req) {
    const url = `${req.scheme.toLowerCase()}://${hostPort(req.host, req.port)}${req.path}`;
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*' };
      for (const h of req.headers) {
        // Upstream: a probe header replaces the default of the same name (case-insensitive).
        for (const k of Object.keys(headers)) if (k.toLowerCase() === h.name.toLowerCase()) delete headers[k];
        headers[h.name] = h.value;
      }
      const mod = req.scheme === 'HTTPS' ? https : http;
      const r = mod.request(
        url,
        { method: 'GET', headers, timeout: req.timeoutMs, rejectUnauthorized: false, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
            size += c.length;
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(new Error(`Get "${url}": ${err.message}`));
          });
        },
      );
      const timer = setTimeout(() => {
        r.destroy(new Error('timeout'));
      }, req.timeoutMs);
      r.on('timeout', () => r.destroy(new Error('timeout')));
      r.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.message === 'timeout') reject(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
        else reject(new Error(`Get "${url}": ${dialError(req.host, req.port, err)}`));
      });
      r.end();
    });
  },
  tcpConnect(host, port, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`dial tcp ${hostPort(host, port)}: i/o timeout`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(dialError(host, port, err)));
      });
    });
  },
};

/** A port given as a number or as the name of one of the container's ports. */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^[0-9]+$/.test(port)) return Number(port);
  const found = (container.ports ?? []).find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
  return found.containerPort;
}

/** The request an httpGet action makes (host defaults to the pod IP; a Host header sets the virtual host). */
export function httpRequestFor(action: HTTPGetAction, container: Container, podIP: string, timeoutMs: number): HttpProbeRequest {
  const path = action.path ?? '/';
  return {
    scheme: action.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
    host: action.host || podIP,
    port: resolvePort(action.port, container),
    path: path.startsWith('/') ? path : `/${path}`,
    headers: action.httpHeaders ?? [],
    timeoutMs,
  };
}

export interface ProbeTarget {
  container: Container;
  containerId: string;
  podIP: string;
  timeoutMs: number;
}

/** Runs one probe handler (exec, httpGet or tcpSocket). Never rejects. */
export async function runProbe(handler: ProbeHandler, target: ProbeTarget, runtime: ContainerRuntime, network: NetworkProber): Promise<ProbeOutcome> {
  try {
    if (handler.exec) return await execProbe(handler.exec.command ?? [], target, runtime);
    if (handler.httpGet) return await httpProbe(handler.httpGet, target, network);
    if (handler.tcpSocket) return await tcpProbe(handler.tcpSocket, target, network);
    if (handler.grpc) return { result: 'failure', output: 'gRPC probes are not supported by this node' };
    return { result: 'failure', output: 'missing probe handler' };
  } catch (err) {
    return { result: 'failure', output: errorMessage(err) };
  }
}

async function execProbe(command: string[], target: ProbeTarget, runtime: ContainerRuntime): Promise<ProbeOutcome> {
  try {
    const r = await runtime.execSync(target.containerId, command, target.timeoutMs);
    const output = r.stdout + r.stderr;
    return { result: r.exitCode === 0 ? 'success' : 'failure', output };
  } catch (err) {
    if (isRuntimeError(err, 'DeadlineExceeded')) return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    throw err;
  }
}

async function httpProbe(action: HTTPGetAction, target: ProbeTarget, network: NetworkProber): Promise<ProbeOutcome> {
  const req = httpRequestFor(action, target.container, target.podIP, target.timeoutMs);
  const res = await network.httpGet(req);
  if (res.statusCode >= 200 && res.statusCode < 400) {
    if (res.statusCode >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
}

async function tcpProbe(action: TCPSocketAction, target: ProbeTarget, network: NetworkProber): Promise<ProbeOutcome> {
  const port = resolvePort(action.port, target.container);
  await network.tcpConnect(action.host || target.podIP, port, target.timeoutMs);
  return { result: 'success', output: '' };
}
