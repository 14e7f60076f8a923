// The ephemeral volume controller (upstream pkg/controller/volume/ephemeral, KEP-1698): for each
// pod with `ephemeral` volumes, the PersistentVolumeClaim `<pod name>-<volume name>` is created in
// the pod's namespace from the volume's volumeClaimTemplate, controlled by the pod (so the garbage
// collector deletes it with the pod). A claim of that name the pod does not control is left alone
// and reported on the pod (FailedBinding); the node then refuses to mount it.
import type { PersistentVolumeClaim, Pod, Volume } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type EventRecorder,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  isTombstone,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { errorMessage, isAlreadyExists, keyOf, splitKey } from '../../machinery/index.js';
import { runController } from '../run-controller.js';

type PodView = DeepReadonly<Pod>;
type ClaimView = DeepReadonly<PersistentVolumeClaim>;

export interface EphemeralVolumeControllerDeps {
  clientset: Pick<Clientset, 'persistentvolumeclaims'>;
  informers: InformerFactory;
  recorder: EventRecorder;
  scheduler?: Scheduler;
  logger?: Logger;
}

/** The claim of an ephemeral volume: `<pod name>-<volume name>` (ephemeral.VolumeClaimName). */
export function volumeClaimName(pod: { metadata: { name?: string } }, volume: { name: string }): string {
  return `${pod.metadata.name ?? ''}-${volume.name}`;
}

/** Upstream's ephemeral.VolumeIsForPod: undefined when the pod controls the claim, else its error message. */
export function volumeIsForPod(pod: PodView, pvc: ClaimView): string | undefined {
  const owned = (pvc.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.metadata.uid);
  if (pvc.metadata.namespace !== pod.metadata.namespace || !owned) {
    return `PVC ${pvc.metadata.namespace}/${pvc.metadata.name} was not created for pod ${pod.metadata.namespace}/${pod.metadata.name} (pod is not owner)`;
  }
  return undefined;
}

function hasEphemeral(pod: PodView): boolean {
  return (pod.spec.volumes ?? []).some((v) => !!v.ephemeral);
}

/** Creates the PVCs of pods' generic ephemeral volumes. */
export class EphemeralVolumeController {
  readonly queue: WorkQueue<string>;
  private readonly worker: QueueWorker<string>;
  readonly podInformer: SharedInformer<Pod>;
  readonly pvcInformer: SharedInformer<PersistentVolumeClaim>;
  private readonly podLister: Lister<Pod>;
  private readonly pvcLister: Lister<PersistentVolumeClaim>;
  private readonly deps: EphemeralVolumeControllerDeps;
  private readonly logger: Logger;

  constructor(deps: EphemeralVolumeControllerDeps) {
    this.deps = deps;
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.queue = new WorkQueue<string>({ name: 'ephemeral_volume', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncHandler(key), retryAfterBackoff(this.logger, 'error syncing ephemeral volumes'));
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.podLister = this.podInformer.lister();
    this.pvcInformer = deps.informers.forResource<PersistentVolumeClaim>(Resources.persistentvolumeclaims);
    this.pvcLister = this.pvcInformer.lister();
    this.podInformer.addEventHandler({ add: (p) => this.enqueuePod(p), update: (_o, p) => this.enqueuePod(p) });
    // A deleted claim is created again for its pod (upstream's onPVCDelete).
    this.pvcInformer.addEventHandler({
      delete: (obj) => {
        const pvc = isTombstone(obj) ? (obj.obj as ClaimView) : obj;
        const ns = pvc.metadata?.namespace ?? '';
        for (const pod of this.podLister.namespace(ns).list()) {
          if ((pod.spec.volumes ?? []).some((v) => v.ephemeral && volumeClaimName(pod, v) === pvc.metadata?.name)) this.enqueuePod(pod);
        }
      },
    });
  }

  /** Queues a pod that has ephemeral volumes and is not being deleted. */
  enqueuePod(pod: PodView): void {
    if (pod.metadata.deletionTimestamp) return;
    if (hasEphemeral(pod)) this.queue.add(keyOf(pod as Pod));
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    const queues = [{ worker: this.worker, count: workerCount }];
    await runController(signal, { name: 'ephemeral volume controller', logger: this.logger, informers: [this.podInformer, this.pvcInformer], queues });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  async syncHandler(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.podLister.namespace(namespace).get(name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    for (const vol of pod.spec.volumes ?? []) {
      try {
        await this.handleVolume(pod, vol as Volume);
      } catch (err) {
        this.deps.recorder.event(pod as Pod, 'Warning', 'FailedBinding', `ephemeral volume ${vol.name}: ${errorMessage(err)}`);
        throw new Error(`pod ${key}, ephemeral volume ${vol.name}: ${errorMessage(err)}`);
      }
    }
  }

  private async handleVolume(pod: PodView, vol: Volume): Promise<void> {
    if (!vol.ephemeral) return;
    const ns = pod.metadata.namespace ?? 'default';
    const pvcName = volumeClaimName(pod, vol);
    const existing = this.pvcLister.namespace(ns).get(pvcName);
    if (existing) {
      const notOwner = volumeIsForPod(pod, existing);
      if (notOwner) throw new Error(notOwner);
      return; // already created
    }
    const template = vol.ephemeral.volumeClaimTemplate;
    if (!template) return; // validation requires it
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: pvcName,
        namespace: ns,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
        ...(template.metadata?.annotations ? { annotations: structuredClone(template.metadata.annotations) } : {}),
        ...(template.metadata?.labels ? { labels: structuredClone(template.metadata.labels) } : {}),
      },
      spec: structuredClone(template.spec),
    };
    try {
      await this.deps.clientset.persistentvolumeclaims.namespace(ns).create(pvc);
    } catch (err) {
      // Created meanwhile (the cache lags our own write): checked against the owner at the next sync.
      if (isAlreadyExists(err)) {
        this.queue.addAfter(keyOf(pod as Pod), 1000);
        return;
      }
      this.deps.recorder.event(pod as Pod, 'Warning', 'FailedBinding', `PVC creation failed: ${errorMessage(err)}`);
      throw new Error(`create PVC ${pvcName}: ${errorMessage(err)}`);
    }
    this.logger.debug('created the PVC of an ephemeral volume', { pod: keyOf(pod as Pod), claim: pvcName });
  }
}

