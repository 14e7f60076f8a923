// The address pods reach the host on: the gateway of the engine's `bridge` network (Docker's
// docker0, 172.17.0.1 by default). Asked of the engine's API over its socket with one plain HTTP
// request (the engine client, dockerode, is loaded later, after the API server listens).
import http from 'node:http';
import { networkInterfaces } from 'node:os';

interface BridgeNetwork {
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
  Options?: Record<string, string>;
}

/** GET /networks/<name> of the engine at DOCKER_HOST (unix:// or unset); undefined when it cannot be asked. */
function inspectNetwork(name: string, timeoutMs: number): Promise<BridgeNetwork | undefined> {
  const host = process.env.DOCKER_HOST;
  if (host && !host.startsWith('unix://')) return Promise.resolve(undefined);
  const socketPath = host ? host.slice('unix://'.length) : '/var/run/docker.sock';
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: `/networks/${encodeURIComponent(name)}`, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(body) as BridgeNetwork) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** The IPv4 gateway of the engine's bridge network: IPAM's Gateway, else the bridge interface's address. */
export async function bridgeGatewayAddress(network = 'bridge', timeoutMs = 5_000): Promise<string | undefined> {
  const info = await inspectNetwork(network, timeoutMs);
  if (!info) return undefined;
  const configured = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(':'));
  if (configured) return configured;
  // Docker leaves Gateway out of the default bridge's IPAM config: it is docker0's own address.
  // (os.networkInterfaces() lists it only while a container is attached: libuv skips a bridge
  // without carrier), which Docker takes as the subnet's first address.
  const iface = info.Options?.['com.docker.network.bridge.name'] ?? 'docker0';
  const up = networkInterfaces()[iface]?.find((a) => a.family === 'IPv4')?.address;
  if (up) return up;
  const subnet = info.IPAM?.Config?.map((c) => c.Subnet).find((s) => s && !s.includes(':'));
  return subnet ? firstHostAddress(subnet) : undefined;
}

/** 172.17.0.0/16 → 172.17.0.1. */
export function firstHostAddress(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[5]);
  if (bits > 30) return undefined;
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const first = ((base & mask) + 1) >>> 0;
  return [first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join('.');
}

/**
 * The engine's bridge network as kube-proxy needs it: its IPv4 subnet (the pods' addresses, e.g.
 * 172.17.0.0/16: local-traffic detection) and its interface (docker0: hairpin).
 */
export async function bridgeNetwork(network = 'bridge', timeoutMs = 5_000): Promise<{ subnet?: string; interface?: string }> {
  const info = await inspectNetwork(network, timeoutMs);
  if (!info) return {};
  const subnet = info.IPAM?.Config?.map((c) => c.Subnet).find((s) => s && !s.includes(':'));
  const iface = info.Options?.['com.docker.network.bridge.name'] ?? (network === 'bridge' ? 'docker0' : undefined);
  return { ...(subnet ? { subnet } : {}), ...(iface ? { interface: iface } : {}) };
}
