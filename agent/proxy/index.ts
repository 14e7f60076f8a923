// kube-proxy for this node (iptables mode): see proxier.ts.
import type { Clientset, Logger } from '../../client/index.js';
import { errorMessage } from '../../machinery/index.js';
import { detectIptables, SystemIptables } from './iptables.js';
import { acquireMachineLock } from './machine-lock.js';
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

/** A started kube-proxy: `proxier` once it holds the machine's lock. */
export interface RunningProxy {
  proxier: Proxier;
  /** Resolves once this proxy holds the machine's lock and wrote its first sync. */
  ready: Promise<void>;
  /** Removes our rules (if the lock was ours) and lets the next proxy of this machine in. */
  stop(): Promise<void>;
}

/**
 * Starts kube-proxy: it waits for the machine's proxy lock (machine-lock.ts), then syncs;
 * undefined (with a warning) when this machine's iptables cannot be used (not root, no
 * iptables): cluster IPs are then unreachable. Nothing here delays the server's start.
 */
export async function startProxy(opts: StartProxyOptions): Promise<RunningProxy | undefined> {
  let binary: string;
  try {
    binary = await detectIptables();
    if (process.getuid?.() !== 0) throw new Error('not running as root');
  } catch (err) {
    opts.logger.warn("kube-proxy not started: Services' cluster IPs and node ports are not reachable", { error: errorMessage(err) });
    return undefined;
  }
  const proxier = new Proxier({
    client: opts.client,
    iptables: new SystemIptables(binary),
    logger: opts.logger,
    ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}),
    ...(opts.bridgeInterface ? { bridgeInterface: opts.bridgeInterface } : {}),
  });
  const abort = new AbortController();
  const lock = acquireMachineLock({
    signal: abort.signal,
    onWait: () => opts.logger.warn('kube-proxy waiting: another jobyard kube-proxy runs on this machine (one per machine, as one per node)'),
  });
  const ready = lock.then(async (held) => {
    if (!held) return;
    await proxier.start();
    // After the first sync: the rules on the machine are this server's from now on.
    if (!abort.signal.aborted) opts.logger.info('kube-proxy (iptables) started', { iptables: binary, ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}) });
  });
  return {
    proxier,
    ready,
    async stop() {
      abort.abort();
      const held = await lock;
      if (!held) return;
      await proxier.stop(true);
      await held.release();
    },
  };
}
