// The EndpointSlice controller (pkg/controller/endpointslice, staging endpointslice reconciler):
// for each Service with a selector, discovery.k8s.io/v1 EndpointSlices labelled
// kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io,
// owned by the Service, named <service>-<random>, one per set of resolved ports and at most 100
// endpoints each; every selected pod with an IP is an endpoint (terminating ones too) with
// conditions ready (serving and not terminating, or publishNotReadyAddresses), serving (Ready)
// and terminating, targetRef, nodeName and hostname; a Service without pods keeps one empty
// placeholder slice. Slices are updated in place, extra ones deleted.
import { managedSliceServiceKey } from './managed-slice.js';
import type { EndpointSlice, EndpointSlicePort, ObjectMeta, Pod, Service, SliceEndpoint } from '../../api/index.js';
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ENDPOINT_SLICE_CONTROLLER_NAME, LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/index.js';
import {
  type Clientset,
  type DeletedFinalStateUnknown,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  type ResourceClient,
  Resources,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  isTombstone,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { isNotFound, keyOf, splitKey } from '../../machinery/index.js';
import { canonicalJSON } from '../endpoint/endpoints-controller.js';
import { ENDPOINT_SLICES, type PodView, SERVICES, type ServiceView, TriggerTimeTracker, findPort, isPodReady, podIPv4, selects, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoint/util.js';
import { runController } from '../run-controller.js';

/** --max-endpoints-per-slice's default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type SliceView = EndpointSlice;

export interface EndpointSliceControllerDeps {
  clientset: Pick<Clientset, 'resource'>;
  informers: InformerFactory;
  scheduler?: Scheduler;
  logger?: Logger;
  maxEndpointsPerSlice?: number;
}

/** One desired slice's content: its ports and endpoints. */
export interface DesiredSlice {
  ports: EndpointSlicePort[];
  endpoints: SliceEndpoint[];
}

/** The endpoints of a service grouped by their resolved ports (reconciler's endpointMeta), chunked. */
export function desiredSlices(svc: ServiceView, pods: readonly PodView[], max = MAX_ENDPOINTS_PER_SLICE): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const pod of [...pods].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const ports: EndpointSlicePort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      // A pod without the named port is left out of that port only, as getEndpointPorts does.
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    const endpoint: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec!.hostname! } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    };
    const key = canonicalJSON(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(endpoint);
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += max) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
  }
  return out;
}

export class EndpointSliceController {
  readonly queue: WorkQueue<string>;
  readonly serviceInformer: SharedInformer<Service>;
  readonly podInformer: SharedInformer<Pod>;
  readonly sliceInformer: SharedInformer<EndpointSlice>;
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly sliceLister: Lister<EndpointSlice>;
  private readonly slices: ResourceClient<EndpointSlice>;
  private readonly worker: QueueWorker<string>;
  private readonly triggers = new TriggerTimeTracker();
  private readonly logger: Logger;
  private readonly max: number;
  /** Slices created but not yet in the informer's cache (upstream's endpointSliceTracker), by service key. */
  private readonly created = new Map<string, EndpointSlice[]>();

  constructor(deps: EndpointSliceControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.max = deps.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    this.slices = deps.clientset.resource<EndpointSlice>(ENDPOINT_SLICES);
    this.queue = new WorkQueue<string>({ name: 'endpoint_slice', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncService(key), retryAfterBackoff(this.logger, 'error syncing endpoint slices for service'));
    this.serviceInformer = deps.informers.forResource<Service>(SERVICES);
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.sliceInformer = deps.informers.forResource<EndpointSlice>(ENDPOINT_SLICES);
    this.services = this.serviceInformer.lister();
    this.pods = this.podInformer.lister();
    this.sliceLister = this.sliceInformer.lister();
    const enqueue = (svc: ServiceView | DeletedFinalStateUnknown<ServiceView>) => this.queue.add(keyOf((isTombstone(svc) ? svc.obj : svc) as Service));
    this.serviceInformer.addEventHandler({ add: enqueue, update: (_o, s) => enqueue(s), delete: enqueue });
    const onPod = (pod: PodView) => {
      if (!pod?.metadata) return;
      for (const svc of this.services.namespace(pod.metadata.namespace ?? '').list()) if (selects(svc, pod.metadata.labels)) this.queue.add(keyOf(svc as Service));
    };
    this.podInformer.addEventHandler({
      add: onPod,
      update: (o, p) => {
        onPod(p);
        if (canonicalJSON(o.metadata.labels) !== canonicalJSON(p.metadata.labels)) onPod(o);
      },
      delete: (p: PodView | DeletedFinalStateUnknown<PodView>) => onPod(isTombstone(p) ? p.obj : p),
    });
    // A managed slice changed or deleted by someone else brings its Service back to the queue.
    const onSlice = (s: SliceView | DeletedFinalStateUnknown<SliceView>) => {
      const key = managedSliceServiceKey((isTombstone(s) ? s.obj : s) as SliceView, ENDPOINT_SLICE_CONTROLLER_NAME);
      if (key) this.queue.add(key);
    };
    this.sliceInformer.addEventHandler({ update: (_o, s) => onSlice(s as SliceView), delete: (s) => onSlice(s as SliceView) });
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    await runController(signal, {
      name: 'endpointslice controller',
      logger: this.logger,
      informers: [this.serviceInformer, this.podInformer, this.sliceInformer],
      queues: [{ worker: this.worker, count: workerCount }],
    });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const client = this.slices.namespace(namespace);
    const svc = this.services.namespace(namespace).get(name);
    const existing = this.sliceLister
      .namespace(namespace)
      .list()
      .filter((s) => s.metadata.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINT_SLICE_CONTROLLER_NAME)
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    // A slice this controller created that the cache has not shown yet counts as existing, so a
    // sync right after a create does not make a second one.
    const pending = (this.created.get(key) ?? []).filter((c) => !existing.some((s) => s.metadata.name === c.metadata.name));
    if (pending.length) this.created.set(key, pending);
    else this.created.delete(key);
    existing.push(...pending);
    if (!svc || svc.spec?.type === 'ExternalName' || !svc.spec?.selector) {
      // Gone (the garbage collector would also take them through the owner reference) or no longer selecting.
      if (!svc) this.triggers.forget(namespace, name);
      for (const s of existing) await this.deleteSlice(client, s.metadata.name ?? '');
      return;
    }
    const pods = this.pods.namespace(namespace).list().filter((p) => selects(svc, p.metadata.labels));
    const triggerTime = this.triggers.compute(svc, pods);
    const desired = desiredSlices(svc, pods, this.max);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: ENDPOINT_SLICE_CONTROLLER_NAME };
    if (!svc.spec.clusterIP || svc.spec.clusterIP === 'None') labels[LABEL_HEADLESS] = '';
    // A service without endpoints keeps one placeholder slice, without ports or endpoints.
    const wanted: { ports: EndpointSlicePort[] | null; endpoints: SliceEndpoint[] | null }[] = desired.length ? desired : [{ ports: null, endpoints: null }];
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
    const reusable = [...existing];
    for (const want of wanted) {
      // Prefer a slice with the same ports (updated in place), else any leftover, else a new one.
      const index = reusable.findIndex((s) => canonicalJSON(s.ports) === canonicalJSON(want.ports));
      const current = index >= 0 ? reusable.splice(index, 1)[0] : reusable.shift();
      const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
      if (triggerTime) annotations[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = triggerTime;
      const same =
        current &&
        canonicalJSON(current.ports) === canonicalJSON(want.ports) &&
        canonicalJSON(current.endpoints) === canonicalJSON(want.endpoints) &&
        canonicalJSON(current.metadata.labels) === canonicalJSON(labels) &&
        current.metadata.ownerReferences?.some((r) => r.uid === owner.uid);
      if (same) continue;
      const metadata: ObjectMeta = current
        ? { ...(structuredClone(current.metadata) as ObjectMeta), labels, annotations, ownerReferences: [owner] }
        : { generateName: `${name.slice(0, 57)}-`, namespace, labels, annotations, ownerReferences: [owner] };
      if (!Object.keys(annotations).length) delete metadata.annotations;
      const body: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports };
      if (current) await client.update(body);
      else this.created.set(key, [...(this.created.get(key) ?? []), await client.create(body)]);
    }
    for (const s of reusable) await this.deleteSlice(client, s.metadata.name ?? '');
    if (reusable.length) this.created.set(key, (this.created.get(key) ?? []).filter((c) => !reusable.includes(c)));
  }

  private async deleteSlice(client: ResourceClient<EndpointSlice>, name: string): Promise<void> {
    try {
      await client.delete(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
