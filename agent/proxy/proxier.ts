// kube-proxy in iptables mode for this node (upstream cmd/kube-proxy + pkg/proxy/iptables): informers
// on Services and EndpointSlices, and a sync that writes all our rules in one iptables-restore.
// Syncs are debounced as upstream's BoundedFrequencyRunner: at most one per minSyncPeriod (1 s),
// at least one per syncPeriod (30 s), so a burst of endpoint changes costs one restore.
// On start the chains a previous run left (a kill -9) are adopted: the first sync rewrites them
// and deletes the stale ones. stop() removes our jumps and chains (upstream's --cleanup).
import type { EndpointSlice, Service } from '../../api/service.js';
import { type Clientset, type Logger, noopLogger, type ResourceInfo, type Scheduler, realScheduler, SharedInformer } from '../../client/index.js';
import { errorMessage } from '../../machinery/index.js';
import { enableHairpin } from './hairpin.js';
import type { Iptables } from './iptables.js';
import { buildRestoreData, perServiceChains } from './iptables-rules.js';
import { buildServicePorts } from './service-ports.js';

export const SERVICES: ResourceInfo = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };
export const ENDPOINT_SLICES: ResourceInfo = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true };

export interface ProxierOptions {
  client: Pick<Clientset, 'resource'>;
  iptables: Iptables;
  /** The pods' subnet: traffic to a cluster IP from elsewhere (the host) is masqueraded. */
  clusterCIDR?: string;
  /** The pods' bridge (docker0): its ports get hairpin_mode, so a pod reaches itself through its Service. */
  bridgeInterface?: string;
  masqueradeAll?: boolean;
  /** Default 1 s (upstream's --iptables-min-sync-period). */
  minSyncPeriodMs?: number;
  /** Default 30 s (upstream's --iptables-sync-period). */
  syncPeriodMs?: number;
  scheduler?: Scheduler;
  logger?: Logger;
}

export class Proxier {
  private readonly opts: ProxierOptions;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  readonly services: SharedInformer<Service>;
  readonly slices: SharedInformer<EndpointSlice>;
  private readonly abort = new AbortController();
  private timer: ReturnType<Scheduler['setTimer']> | undefined;
  private timerAt = Infinity;
  private syncing: Promise<void> | undefined;
  private pending = false;
  private lastSyncEnd = -Infinity;
  private stopped = false;
  /** The rules of the last successful restore (what the node has now). */
  lastData = '';
  /** Successful syncs so far (tests wait on it). */
  syncCount = 0;

  constructor(opts: ProxierOptions) {
    this.opts = opts;
    this.scheduler = opts.scheduler ?? realScheduler;
    this.logger = opts.logger ?? noopLogger;
    const common = { scheduler: this.scheduler, logger: this.logger };
    // As kube-proxy's informers: services that name another proxy, and headless ones, are not ours.
    this.services = new SharedInformer<Service>(opts.client.resource<Service>(SERVICES), { ...common, name: 'proxy-services', labelSelector: '!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless' });
    this.slices = new SharedInformer<EndpointSlice>(opts.client.resource<EndpointSlice>(ENDPOINT_SLICES), { ...common, name: 'proxy-endpointslices', labelSelector: '!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless' });
    const onChange = { add: () => this.requestSync(), update: () => this.requestSync(), delete: () => this.requestSync() };
    this.services.addEventHandler(onChange);
    this.slices.addEventHandler(onChange);
  }

  private nowMs(): number {
    return this.scheduler.now().getTime();
  }

  /** Starts the informers; resolves after the first sync (the adopted chains are rewritten). */
  async start(): Promise<void> {
    void this.services.run(this.abort.signal);
    void this.slices.run(this.abort.signal);
    const synced = await Promise.all([this.services.waitForSync(this.abort.signal), this.slices.waitForSync(this.abort.signal)]);
    if (!synced.every(Boolean)) return;
    await this.syncNow();
  }

  /** A change: sync as soon as minSyncPeriod allows. */
  requestSync(): void {
    if (this.stopped || !this.services.hasSynced() || !this.slices.hasSynced()) return;
    const min = this.opts.minSyncPeriodMs ?? 1000;
    this.schedule(Math.max(this.nowMs(), this.lastSyncEnd + min));
  }

  private schedule(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer) this.scheduler.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.scheduler.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      void this.syncNow();
    }, Math.max(0, at - this.nowMs()));
  }

  /** One sync now (or right after the one running). */
  syncNow(): Promise<void> {
    if (this.syncing) {
      this.pending = true;
      return this.syncing;
    }
    this.syncing = this.syncProxyRules().finally(() => {
      this.syncing = undefined;
      this.lastSyncEnd = this.nowMs();
      if (this.pending) {
        this.pending = false;
        this.requestSync();
      }
      // The periodic sync: repairs rules someone else removed.
      this.schedule(this.nowMs() + (this.opts.syncPeriodMs ?? 30_000));
    });
    return this.syncing;
  }

  private async syncProxyRules(): Promise<void> {
    if (this.stopped) return;
    const start = this.nowMs();
    try {
      const ports = buildServicePorts(this.services.lister().list(), this.slices.lister().list());
      // Our chains now on the node (a previous run's included): those not written again are deleted.
      const existing = perServiceChains(await this.opts.iptables.save('nat'));
      const data = buildRestoreData(ports, {
        ...(this.opts.clusterCIDR ? { clusterCIDR: this.opts.clusterCIDR } : {}),
        masqueradeAll: !!this.opts.masqueradeAll,
        randomFully: true,
        existingNatChains: existing,
      });
      if (this.stopped) return;
      await this.opts.iptables.restore(data);
      await this.opts.iptables.ensureJumps();
      if (this.opts.bridgeInterface) await enableHairpin(this.opts.bridgeInterface);
      this.lastData = data;
      this.syncCount++;
      this.logger.debug('synced proxy rules', { servicePorts: ports.length, ms: this.nowMs() - start });
    } catch (err) {
      // As upstream: log, and the next sync (a change, or the period) tries again.
      this.logger.warn('failed to sync proxy rules', { error: errorMessage(err) });
    }
  }

  /** Stops syncing; with `teardown`, removes our jumps and chains (a clean exit). */
  async stop(teardown = true): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimer(this.timer);
    this.abort.abort();
    await this.syncing;
    if (teardown) {
      try {
        await this.opts.iptables.teardown();
      } catch (err) {
        this.logger.warn('failed to remove proxy rules', { error: errorMessage(err) });
      }
    }
  }
}
