// kube-proxy for this node (iptables mode): see proxier.ts.
import type { Clientset, Logger } from '../../client/index.js';
import { errorMessage } from '../../machinery/index.js';
import { detectIptables, SystemIptables } from './iptables.js';
import { Proxier } from './proxier.js';

export { Proxier, type ProxierOptions } from './proxier.js';
export { detectIptables, SystemIptables, type Iptables } from './iptables.js';
export { buildRestoreData, serviceChainName, endpointChainName } from './iptables-rules.js';
export { buildServicePorts, type ProxyServicePort } from './service-ports.js';

export interface StartProxyOptions {
  client: Pick<Clientset, 'resource'>;
  /** The pods' subnet (the engine's bridge). */
  clusterCIDR?: string;
  /** The pods' bridge interface (docker0), for hairpin. */
  bridgeInterface?: string;
  logger: Logger;
}

/**
 * Starts kube-proxy (its first sync follows once Services and EndpointSlices are listed); undefined (with a warning) when this
 * machine's iptables cannot be used (not root, no iptables): cluster IPs are then unreachable.
 */
export async function startProxy(opts: StartProxyOptions): Promise<Proxier | undefined> {
  let binary: string;
  try {
    binary = await detectIptables();
    if (process.getuid?.() !== 0) throw new Error('not running as root');
  } catch (err) {
    opts.logger.warn('kube-proxy not started: Services\' cluster IPs and node ports are not reachable', { error: errorMessage(err) });
    return undefined;
  }
  const proxier = new Proxier({ client: opts.client, iptables: new SystemIptables(binary), logger: opts.logger, ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}), ...(opts.bridgeInterface ? { bridgeInterface: opts.bridgeInterface } : {}) });
  // Not awaited: the server's start does not wait on the informers.
  void proxier.start();
  opts.logger.info('kube-proxy (iptables) started', { iptables: binary, ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}) });
  return proxier;
}
