// A small local provisioner (what a default StorageClass with a local-path provisioner and
// the persistent volume controller do on a one-node cluster): a PersistentVolumeClaim of the
// default or a local class gets a runtime volume `pvc-<claim uid>` on this node, its
// `spec.volumeName` names it, and it becomes Bound with the requested capacity. The volume
// outlives the pods that mount it and is removed when the claim is deleted (retried while a
// container still uses it).
import type { PersistentVolumeClaim } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type EventRecorder,
  type Logger,
  noopLogger,
  type Scheduler,
  SharedInformer,
  isTombstone,
  realScheduler,
} from '../../client/index.js';
import { errorMessage, keyOf } from '../../machinery/index.js';
import type { ContainerRuntime } from '../runtime/index.js';
import { LABEL_VOLUME_TYPE } from './volume-manager.js';

/** The provisioner's name, as volume.kubernetes.io/storage-provisioner shows it. */
export const LOCAL_PROVISIONER = 'jobyard.io/local';
/** Claims of these classes (and of none) are provisioned here. */
export const LOCAL_STORAGE_CLASSES = new Set(['', 'local', 'local-path', 'standard', 'jobyard-local']);
/** Label with the claim's uid on its runtime volume. */
export const LABEL_CLAIM_UID = 'jobyard.io/claim-uid';

export interface LocalProvisionerDeps {
  client: Clientset;
  runtime: ContainerRuntime;
  recorder: EventRecorder;
  scheduler?: Scheduler;
  logger?: Logger;
  /** Labels on the volumes this provisioner creates, and the filter of its garbage collection. */
  instanceLabels?: Record<string, string>;
  /** How often leftover volumes of deleted claims are looked for. @defaultValue 30 s */
  gcIntervalMs?: number;
}

/** The runtime volume of a claim. */
export function claimVolumeName(uid: string): string {
  return `pvc-${uid}`;
}

/** Whether this node provisions a claim of that class. */
export function isLocalClass(storageClassName: string | undefined | null): boolean {
  return storageClassName === undefined || storageClassName === null || LOCAL_STORAGE_CLASSES.has(storageClassName);
}

export class LocalVolumeProvisioner {
  private readonly deps: LocalProvisionerDeps;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  readonly informer: SharedInformer<PersistentVolumeClaim>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private gcTimer: ReturnType<Scheduler['setTimer']> | undefined;
  private stopped = false;

  constructor(deps: LocalProvisionerDeps) {
    this.deps = deps;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.informer = new SharedInformer<PersistentVolumeClaim>(deps.client.persistentvolumeclaims, { name: 'pvc-provisioner', scheduler: this.scheduler, logger: this.logger });
    this.informer.addEventHandler({
      add: (pvc) => this.enqueue(pvc),
      update: (_old, pvc) => this.enqueue(pvc),
      delete: (obj) => {
        const pvc = isTombstone(obj) ? obj.obj : obj;
        void this.release(pvc.metadata?.uid ?? '');
      },
    });
  }

  /** Starts watching claims and collecting leftovers. */
  start(signal: AbortSignal): void {
    void this.informer.run(signal);
    const tick = () => {
      if (this.stopped || signal.aborted) return;
      void this.collectGarbage().finally(() => {
        if (!this.stopped && !signal.aborted) this.gcTimer = this.scheduler.setTimer(tick, this.deps.gcIntervalMs ?? 30_000);
      });
    };
    this.gcTimer = this.scheduler.setTimer(tick, this.deps.gcIntervalMs ?? 30_000);
    signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    this.stopped = true;
    if (this.gcTimer) this.scheduler.clearTimer(this.gcTimer);
  }

  /** Resolves once every provisioning started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  private enqueue(pvc: DeepReadonly<PersistentVolumeClaim>): void {
    const key = keyOf(pvc as PersistentVolumeClaim);
    if (this.inFlight.has(key)) return;
    const p = this.sync(pvc as PersistentVolumeClaim)
      .catch((err: unknown) => this.logger.warn('provisioning a claim failed', { claim: key, error: errorMessage(err) }))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
  }

  /** Provisions and binds one claim (idempotent). */
  async sync(pvc: PersistentVolumeClaim): Promise<void> {
    if (pvc.metadata.deletionTimestamp) return;
    const uid = pvc.metadata.uid ?? '';
    const ns = pvc.metadata.namespace ?? 'default';
    const name = pvc.metadata.name ?? '';
    const volume = claimVolumeName(uid);
    if (pvc.spec.volumeName && pvc.spec.volumeName !== volume) return; // bound elsewhere
    if (!isLocalClass(pvc.spec.storageClassName)) return;
    if (pvc.spec.volumeName === volume && pvc.status?.phase === 'Bound') {
      // Bound already: make sure the volume exists (it may have been removed by hand).
      await this.deps.runtime.createVolume({ name: volume, labels: this.volumeLabels(uid) });
      return;
    }
    await this.deps.runtime.createVolume({ name: volume, labels: this.volumeLabels(uid) });
    const client = this.deps.client.persistentvolumeclaims.namespace(ns);
    if (pvc.spec.volumeName !== volume) {
      await client.patch(name, 'merge', {
        metadata: {
          uid,
          annotations: {
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.kubernetes.io/storage-provisioner': LOCAL_PROVISIONER,
            'volume.beta.kubernetes.io/storage-provisioner': LOCAL_PROVISIONER,
          },
        },
        spec: { volumeName: volume },
      });
      this.deps.recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volume} using ${LOCAL_PROVISIONER}`);
    }
    const capacity = pvc.spec.resources?.requests?.storage;
    await client.patch(
      name,
      'merge',
      { status: { phase: 'Bound', accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'], ...(capacity ? { capacity: { storage: capacity } } : {}) } },
      { subresource: 'status' },
    );
  }

  private volumeLabels(uid: string): Record<string, string> {
    return { ...this.deps.instanceLabels, [LABEL_VOLUME_TYPE]: 'pvc', [LABEL_CLAIM_UID]: uid };
  }

  /** Removes a deleted claim's volume; a volume still in use is left for the next collection. */
  async release(uid: string): Promise<void> {
    if (!uid) return;
    try {
      await this.deps.runtime.removeVolume(claimVolumeName(uid));
    } catch (err) {
      this.logger.info('claim volume still in use; retrying later', { volume: claimVolumeName(uid), error: errorMessage(err) });
    }
  }

  /** Removes claim volumes whose claim no longer exists. */
  async collectGarbage(): Promise<void> {
    if (!this.informer.hasSynced()) return;
    const live = new Set(this.informer.lister().list().map((p) => p.metadata?.uid));
    let volumes;
    try {
      volumes = await this.deps.runtime.listVolumes({ ...this.deps.instanceLabels, [LABEL_VOLUME_TYPE]: 'pvc' });
    } catch {
      return;
    }
    for (const v of volumes) {
      const uid = v.labels[LABEL_CLAIM_UID];
      if (uid && !live.has(uid)) await this.release(uid);
    }
  }
}
