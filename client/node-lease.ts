// A node's heartbeat Lease (upstream pkg/kubelet/nodelease, component-helpers' lease
// controller): kube-node-lease/<node>, held by the node, leaseDurationSeconds 40, renewed every
// 10 s (a quarter of the duration) with renewTime = now, owned by the Node so that it goes with
// it. A failed renewal is retried at once with a growing delay (200 ms doubling to 7 s), as the
// kubelet's backoff does; the next regular renewal follows the first that succeeds.
import type { Lease, Node } from '../api/index.js';
import { NAMESPACE_NODE_LEASE } from '../api/index.js';
import type { Clientset, ResourceClient } from './resource-client.js';
import { Resources } from './resource-client.js';
import { type Logger, noopLogger } from './logger.js';
import { type Scheduler, type TimerHandle, realScheduler } from './scheduler.js';
import { errorMessage, isAlreadyExists, isConflict, isNotFound, rfc3339Micro } from '../machinery/index.js';

export const NODE_LEASE_DURATION_SECONDS = 40;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 7_000;

export interface NodeLeaseDeps {
  client: Pick<Clientset, 'resource'>;
  nodeName: string;
  scheduler?: Scheduler;
  logger?: Logger;
  /** @defaultValue 40 s */
  leaseDurationSeconds?: number;
  /** @defaultValue a quarter of the duration */
  renewIntervalMs?: number;
}

/** Keeps kube-node-lease/<node> renewed while the agent runs. */
export class NodeLeaseController {
  private readonly leases: ResourceClient<Lease>;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly duration: number;
  private readonly intervalMs: number;
  private latest: Lease | undefined;
  private owner: Node | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private retryMs = RETRY_BASE_MS;

  private readonly deps: NodeLeaseDeps;

  constructor(deps: NodeLeaseDeps) {
    this.deps = deps;
    this.leases = deps.client.resource<Lease>(Resources.leases).namespace(NAMESPACE_NODE_LEASE);
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.duration = deps.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
    this.intervalMs = deps.renewIntervalMs ?? (this.duration * 1000) / 4;
  }

  /** The first renewal (awaited; a failure is logged and retried as any), then one every interval. */
  async start(owner: Node): Promise<void> {
    this.owner = owner;
    try {
      await this.sync();
      this.schedule(this.intervalMs);
    } catch (err) {
      this.logger.warn('failed to create the node lease, will retry', { error: errorMessage(err) });
      this.schedule(this.retryMs);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimer(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.scheduler.setTimer(() => {
      this.sync().then(
        () => {
          this.retryMs = RETRY_BASE_MS;
          this.schedule(this.intervalMs);
        },
        (err: unknown) => {
          this.logger.warn('failed to renew the node lease, will retry', { error: errorMessage(err), retryInMs: this.retryMs });
          const delay = this.retryMs;
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.schedule(delay);
        },
      );
    }, delayMs);
  }

  /** One renewal: update the lease last seen (a conflict or its absence reads or creates it anew). */
  async sync(): Promise<Lease> {
    if (this.latest) {
      try {
        return (this.latest = await this.leases.update(this.renewed(this.latest)));
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
        this.latest = undefined;
      }
    }
    let current: Lease | undefined;
    try {
      current = await this.leases.get(this.deps.nodeName);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (current) return (this.latest = await this.leases.update(this.renewed(current)));
    try {
      return (this.latest = await this.leases.create(this.renewed(this.newLease())));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return (this.latest = await this.leases.update(this.renewed(await this.leases.get(this.deps.nodeName))));
    }
  }

  private newLease(): Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.deps.nodeName, namespace: NAMESPACE_NODE_LEASE },
      spec: { holderIdentity: this.deps.nodeName, leaseDurationSeconds: this.duration },
    };
  }

  /** renewTime now, and the Node as owner (setNodeOwnerFunc) once its uid is known. */
  private renewed(lease: Lease): Lease {
    const next: Lease = { ...lease, metadata: { ...lease.metadata }, spec: { ...lease.spec, renewTime: rfc3339Micro(this.scheduler.now()) } };
    const uid = this.owner?.metadata.uid;
    if (uid && !(next.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) {
      next.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.deps.nodeName, uid }];
    }
    return next;
  }
}
