// The endpoints controller (pkg/controller/endpoint/endpoints_controller.go syncService): for each
// Service with a selector, an Endpoints of the same name listing the selected pods' addresses,
// ready ones in addresses and the others in notReadyAddresses (all in addresses with
// publishNotReadyAddresses), one port per service port with a named targetPort resolved per pod,
// hostname for a pod naming the service as its subdomain, targetRef and nodeName; labels copied
// from the Service plus service.kubernetes.io/headless for a headless one; the
// endpoints.kubernetes.io/last-change-trigger-time annotation. Selectorless Services keep the
// Endpoints users write; a deleted Service's Endpoints go.
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectMeta, Pod, Service } from '../../api/index.js';
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, LABEL_HEADLESS } from '../../api/index.js';
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
import { runController } from '../run-controller.js';
import { ENDPOINTS, type PodView, SERVICES, type ServiceView, TriggerTimeTracker, findPort, isPodReady, podIPv4, selects, shouldPodBeInEndpoints, shouldSetHostname } from './util.js';

export interface EndpointsControllerDeps {
  clientset: Pick<Clientset, 'resource'>;
  informers: InformerFactory;
  scheduler?: Scheduler;
  logger?: Logger;
}

const addressKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`;

/** RepackSubsets: addresses grouped by their port sets, sorted, so equal content compares equal. */
export function repack(subsets: EndpointSubset[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>();
  for (const ss of subsets) {
    const ports = [...(ss.ports ?? [])].sort((a, b) => portKey(a).localeCompare(portKey(b)));
    const key = ports.map(portKey).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: new Map(), notReady: new Map() }));
    for (const a of ss.addresses ?? []) g.ready.set(addressKey(a), a);
    for (const a of ss.notReadyAddresses ?? []) if (!g.ready.has(addressKey(a))) g.notReady.set(addressKey(a), a);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress) => (a.ip === b.ip ? addressKey(a).localeCompare(addressKey(b)) : a.ip < b.ip ? -1 : 1);
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    for (const k of g.ready.keys()) g.notReady.delete(k);
    const subset: EndpointSubset = {};
    if (g.ready.size) subset.addresses = [...g.ready.values()].sort(byIP);
    if (g.notReady.size) subset.notReadyAddresses = [...g.notReady.values()].sort(byIP);
    if (g.ports.length) subset.ports = g.ports;
    out.push(subset);
  }
  return out;
}

/** The subsets of a service's Endpoints from its selected pods (the loop of syncService). */
export function endpointSubsetsFor(svc: ServiceView, pods: readonly PodView[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const address: EndpointAddress = {
      ip,
      nodeName: pod.spec?.nodeName ?? '',
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec!.hostname!;
    const ready = publishNotReady || isPodReady(pod);
    const add = (ports: EndpointPort[]) => subsets.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) {
      // A headless service may have no ports.
      if (svc.spec?.clusterIP === 'None') add([]);
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add([{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) }]);
    }
  }
  return repack(subsets);
}

/** Key-order-blind JSON, so a stored object compares equal to the same content written here. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}
const sameJSON = (a: unknown, b: unknown) => canonicalJSON(a) === canonicalJSON(b);

export class EndpointsController {
  readonly queue: WorkQueue<string>;
  readonly serviceInformer: SharedInformer<Service>;
  readonly podInformer: SharedInformer<Pod>;
  readonly endpointsInformer: SharedInformer<Endpoints>;
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly endpointsLister: Lister<Endpoints>;
  private readonly endpoints: ResourceClient<Endpoints>;
  private readonly worker: QueueWorker<string>;
  private readonly triggers = new TriggerTimeTracker();
  private readonly logger: Logger;

  constructor(deps: EndpointsControllerDeps) {
    const scheduler = deps.scheduler ?? realScheduler;
    this.logger = deps.logger ?? noopLogger;
    this.endpoints = deps.clientset.resource<Endpoints>(ENDPOINTS);
    this.queue = new WorkQueue<string>({ name: 'endpoint', scheduler, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    this.worker = new QueueWorker(this.queue, (key) => this.syncService(key), retryAfterBackoff(this.logger, 'error syncing endpoints'));
    this.serviceInformer = deps.informers.forResource<Service>(SERVICES);
    this.podInformer = deps.informers.forResource<Pod>(Resources.pods);
    this.endpointsInformer = deps.informers.forResource<Endpoints>(ENDPOINTS);
    this.services = this.serviceInformer.lister();
    this.pods = this.podInformer.lister();
    this.endpointsLister = this.endpointsInformer.lister();
    const enqueue = (svc: ServiceView | DeletedFinalStateUnknown<ServiceView>) => this.queue.add(keyOf((isTombstone(svc) ? svc.obj : svc) as Service));
    this.serviceInformer.addEventHandler({ add: enqueue, update: (_o, s) => enqueue(s), delete: enqueue });
    this.podInformer.addEventHandler({
      add: (p) => this.onPod(p),
      update: (o, p) => {
        this.onPod(p);
        if (!sameJSON(o.metadata.labels, p.metadata.labels)) this.onPod(o);
      },
      delete: (p: PodView | DeletedFinalStateUnknown<PodView>) => this.onPod(isTombstone(p) ? p.obj : p),
    });
    // An Endpoints changed or deleted by someone else is put back (upstream's onEndpointsUpdate/Delete).
    const onEndpoints = (ep: Endpoints | DeletedFinalStateUnknown<Endpoints>) => {
      const e = (isTombstone(ep) ? ep.obj : ep) as Endpoints;
      if (this.services.namespace(e.metadata.namespace ?? '').get(e.metadata.name ?? '')) this.queue.add(keyOf(e));
    };
    this.endpointsInformer.addEventHandler({ update: (_o, e) => onEndpoints(e as Endpoints), delete: (e) => onEndpoints(e as Endpoints) });
  }

  /** getPodServiceMemberships: every service of the namespace selecting the pod. */
  private onPod(pod: PodView): void {
    if (!pod?.metadata) return;
    for (const svc of this.services.namespace(pod.metadata.namespace ?? '').list()) {
      if (selects(svc, pod.metadata.labels)) this.queue.add(keyOf(svc as Service));
    }
  }

  async run(signal: AbortSignal, workerCount = 1): Promise<void> {
    await runController(signal, {
      name: 'endpoints controller',
      logger: this.logger,
      informers: [this.serviceInformer, this.podInformer, this.endpointsInformer],
      queues: [{ worker: this.worker, count: workerCount }],
    });
  }

  processNextWorkItem(): Promise<boolean> {
    return this.worker.processNextWorkItem();
  }

  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const client = this.endpoints.namespace(namespace);
    const svc = this.services.namespace(namespace).get(name);
    if (!svc) {
      // The Service is gone: so are its Endpoints (upstream deletes without checking who wrote them).
      this.triggers.forget(namespace, name);
      try {
        await client.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector) return;
    const pods = this.pods.namespace(namespace).list().filter((p) => selects(svc, p.metadata.labels));
    const triggerTime = this.triggers.compute(svc, pods);
    const subsets = endpointSubsetsFor(svc, pods);
    const current = this.endpointsLister.namespace(namespace).get(name);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    const headless = !svc.spec.clusterIP || svc.spec.clusterIP === 'None';
    if (headless) labels[LABEL_HEADLESS] = '';
    if (current) {
      const currentLabels = { ...(current.metadata.labels ?? {}) };
      delete currentLabels[LABEL_HEADLESS];
      const serviceLabels = { ...(svc.metadata.labels ?? {}) };
      if (sameJSON(repack(structuredClone(current.subsets ?? []) as EndpointSubset[]), subsets) && sameJSON(currentLabels, serviceLabels) && (LABEL_HEADLESS in (current.metadata.labels ?? {})) === headless) return;
    }
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime) annotations[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = triggerTime;
    else delete annotations[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
    const metadata: ObjectMeta = { ...(current ? (structuredClone(current.metadata) as ObjectMeta) : { name, namespace }), labels, annotations };
    if (!Object.keys(annotations).length) delete metadata.annotations;
    const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets };
    if (current) await client.update(body);
    else await client.create(body);
  }
}
