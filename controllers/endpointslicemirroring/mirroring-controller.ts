// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): Endpoints that
// users write for a Service without a selector are mirrored into EndpointSlices labelled
// kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by=
// endpointslicemirroring-controller.k8s.io, owned by the Endpoints, one per subset: ready
// addresses ready=true, notReadyAddresses ready=false, with hostname, nodeName and targetRef.
// Endpoints labelled endpointslice.kubernetes.io/skip-mirror=true (the kubernetes Service's), and
// those of a Service that has a selector or is gone, are not mirrored (their mirrors deleted).
import { managedSliceServiceKey } from '../endpointslice/managed-slice.js';
import type { EndpointAddress, EndpointSlice, EndpointSlicePort, Endpoints, ObjectMeta, Service, SliceEndpoint } from '../../api/index.js';
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ENDPOINTS_SKIP_MIRROR_LABEL, ENDPOINT_SLICE_MIRRORING_CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/index.js';
import {
  type Clientset,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type InformerFactory,
  ItemExponentialFailureRateLimiter,
  type Lister,
  type Logger,
  QueueWorker,
  type ResourceClient,
  type Scheduler,
  type SharedInformer,
  WorkQueue,
  isTombstone,
  noopLogger,
  realScheduler,
  retryAfterBackoff,
} from '../../client/index.js';
import { isNotFound, keyOf, parseIPFamily, splitKey } from '../../machinery/index.js';
import { canonicalJSON } from '../endpoint/endpoints-controller.js';
import { ENDPOINTS, ENDPOINT_SLICES, SERVICES, type ServiceView } from '../endpoint/util.js';
import { runController } from '../run-controller.js';

type EndpointsView = DeepReadonly<Endpoints>;

/** --mirroring-max-endpoints-per-subset's default. */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;

export interface MirroringControllerDeps {
  clientset: Pick<Clientset, 'resource'>;
  informers: InformerFactory;
  scheduler?: Scheduler;
  logger?: Logger;
}

function toEndpoint(a: Readonly<EndpointAddress>, ready: boolean): SliceEndpoint {
  return {
    addresses: [a.ip],
    conditions: { ready },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.targetRef ? { targetRef: structuredClone(a.targetRef) } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
  };
}

/** The mirrored content: per subset, its ports and its IPv4 addresses (others are skipped, as the reconciler skips other families). */
export function mirroredSlices(ep: Readonly<Endpoints>): { ports: EndpointSlicePort[]; endpoints: SliceEndpoint[] }[] {
  const out: { ports: EndpointSlicePort[]; endpoints: SliceEndpoint[] }[] = [];
  for (const ss of ep.subsets ?? []) {
    const ports = (ss.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }));
    const endpoints = [
      ...(ss.addresses ?? []).filter((a) => parseIPFamily(a.ip) === 'IPv4').map((a) => toEndpoint(a, true)),
      ...(ss.notReadyAddresses ?? []).filter((a) => parseIPFamily(a.ip) === 'IPv4').map((a) => toEndpoint(a, false)),
    ].slice(0, MAX_ENDPOINTS_PER_SUBSET);
    if (endpoints.length) out.push({ ports, endpoints });
  }
  return out;
}

export class EndpointSliceMirroringController {
  readonly queue: WorkQueue<string>;
  readonly serviceInformer: SharedInformer<Service>;
  readonly endpointsInformer: SharedInformer<Endpoints>;
  readonly sliceInformer: SharedInformer<EndpointSlice>;
  private readonly services: Lister<Service>;
  private readonly endpointsLister: Lister<Endpoints>;
  private readonly sliceLister: Lister<EndpointSlice>;
  private readonly slices: ResourceClient<EndpointSlice>;
  private readonly worker: QueueWorker<string>;
  private readonly logger: Logger;
  private readonly created = new Map<string, EndpointSlice[]>();

  constructor(deps: MirroringControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.slices = deps.clientset.resource<EndpointSlice>(ENDPOINT_SLICES);
    this.queue = new WorkQueue<string>({ name: 'endpoint_slice_mirroring', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncEndpoints(key), retryAfterBackoff(this.logger, 'error mirroring endpoints'));
    this.serviceInformer = deps.informers.forResource<Service>(SERVICES);
    this.endpointsInformer = deps.informers.forResource<Endpoints>(ENDPOINTS);
    this.sliceInformer = deps.informers.forResource<EndpointSlice>(ENDPOINT_SLICES);
    this.services = this.serviceInformer.lister();
    this.endpointsLister = this.endpointsInformer.lister();
    this.sliceLister = this.sliceInformer.lister();
    const onService = (s: ServiceView | DeletedFinalStateUnknown<ServiceView>) => this.queue.add(keyOf((isTombstone(s) ? s.obj : s) as Service));
    const onEndpoints = (e: EndpointsView | DeletedFinalStateUnknown<EndpointsView>) => this.queue.add(keyOf((isTombstone(e) ? e.obj : e) as Endpoints));
    this.serviceInformer.addEventHandler({ add: onService, update: (_o, s) => onService(s), delete: onService });
    this.endpointsInformer.addEventHandler({ add: onEndpoints, update: (_o, e) => onEndpoints(e), delete: onEndpoints });
    const onSlice = (s: EndpointSlice | DeletedFinalStateUnknown<EndpointSlice>) => {
      const key = managedSliceServiceKey((isTombstone(s) ? s.obj : s) as EndpointSlice, ENDPOINT_SLICE_MIRRORING_CONTROLLER_NAME);
      if (key) this.queue.add(key);
    };
    this.sliceInformer.addEventHandler({ update: (_o, s) => onSlice(s as EndpointSlice), delete: (s) => onSlice(s as EndpointSlice) });
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    await runController(signal, {
      name: 'endpointslice mirroring controller',
      logger: this.logger,
      informers: [this.serviceInformer, this.endpointsInformer, this.sliceInformer],
      queues: [{ worker: this.worker, count: workerCount }],
    });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  async syncEndpoints(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const client = this.slices.namespace(namespace);
    const existing = this.sliceLister
      .namespace(namespace)
      .list()
      .filter((s) => s.metadata.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINT_SLICE_MIRRORING_CONTROLLER_NAME);
    const pending = (this.created.get(key) ?? []).filter((c) => !existing.some((s) => s.metadata.name === c.metadata.name));
    if (pending.length) this.created.set(key, pending);
    else this.created.delete(key);
    existing.push(...pending);
    const svc = this.services.namespace(namespace).get(name);
    const ep = this.endpointsLister.namespace(namespace).get(name);
    const mirror = !!svc && !svc.spec?.selector && !!ep && ep.metadata.labels?.[ENDPOINTS_SKIP_MIRROR_LABEL] !== 'true';
    const wanted = mirror ? mirroredSlices(ep as Endpoints) : [];
    const labels: Record<string, string> = { ...((ep?.metadata.labels as Record<string, string>) ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: ENDPOINT_SLICE_MIRRORING_CONTROLLER_NAME };
    delete labels[ENDPOINTS_SKIP_MIRROR_LABEL];
    const reusable = [...existing];
    for (const want of wanted) {
      const index = reusable.findIndex((s) => canonicalJSON(s.ports) === canonicalJSON(want.ports));
      const current = index >= 0 ? reusable.splice(index, 1)[0] : reusable.shift();
      const owner = { apiVersion: 'v1', kind: 'Endpoints', name, uid: ep!.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
      if (
        current &&
        canonicalJSON(current.ports) === canonicalJSON(want.ports) &&
        canonicalJSON(current.endpoints) === canonicalJSON(want.endpoints) &&
        canonicalJSON(current.metadata.labels) === canonicalJSON(labels)
      ) {
        continue;
      }
      const trigger = ep!.metadata.annotations?.[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
      const annotations = trigger ? { [ENDPOINTS_LAST_CHANGE_TRIGGER_TIME]: trigger } : undefined;
      const metadata: ObjectMeta = current
        ? { ...(structuredClone(current.metadata) as ObjectMeta), labels, ownerReferences: [owner], ...(annotations ? { annotations } : {}) }
        : { generateName: `${name.slice(0, 57)}-`, namespace, labels, ownerReferences: [owner], ...(annotations ? { annotations } : {}) };
      const body: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports };
      if (current) await client.update(body);
      else this.created.set(key, [...(this.created.get(key) ?? []), await client.create(body)]);
    }
    for (const s of reusable) {
      try {
        await client.delete(s.metadata.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (reusable.length) this.created.set(key, (this.created.get(key) ?? []).filter((c) => !reusable.includes(c)));
  }
}
