// The garbage collector's view of custom resources (upstream: the GC's resyncMonitors over
// discovery's deletable resources): one informer on CustomResourceDefinitions; for each
// established CRD an informer on its custom resources (storage version, accepted names) feeds
// the graph, and every served version's apiVersion/kind resolves an owner reference. When the
// CRD is gone its informer stops and what it still held is reported deleted, so dependents of
// the last custom resources are collected too.
import {
  type Clientset,
  type DeepReadonly,
  type DeletedFinalStateUnknown,
  type InformerFactory,
  type Logger,
  type ObjectLike,
  type ResourceInfo,
  SharedInformer,
  apiVersionOf,
} from '../../client/index.js';

export const CUSTOM_RESOURCE_DEFINITIONS: ResourceInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

interface CRDLike extends ObjectLike {
  spec?: { group?: string; scope?: string; versions?: { name?: string; served?: boolean; storage?: boolean }[] };
  status?: { acceptedNames?: { plural?: string; kind?: string }; conditions?: { type?: string; status?: string }[] };
}

/** Where the graph hears of a custom resource kind's objects. */
export interface MonitorHandlers {
  observed(info: ResourceInfo, obj: DeepReadonly<ObjectLike>): void;
  deleted(obj: DeepReadonly<ObjectLike> | DeletedFinalStateUnknown<DeepReadonly<ObjectLike>>): void;
}

interface Monitor {
  info: ResourceInfo;
  informer: SharedInformer<ObjectLike>;
  abort: AbortController;
}

/** A CRD's served custom resources: the informed one (storage version) and every version's kind. */
function resourcesOf(crd: DeepReadonly<CRDLike>): { watched: ResourceInfo; served: ResourceInfo[] } | undefined {
  const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  const names = crd.status?.acceptedNames;
  const group = crd.spec?.group;
  if (!established || !names?.plural || !names.kind || !group) return undefined;
  const namespaced = crd.spec?.scope === 'Namespaced';
  const served = (crd.spec?.versions ?? []).filter((v) => v.served && v.name).map((v) => ({ group, version: v.name!, resource: names.plural!, kind: names.kind!, namespaced }));
  const watched = served.find((s) => crd.spec?.versions?.find((v) => v.name === s.version)?.storage) ?? served[0];
  return watched ? { watched, served } : undefined;
}

export class CustomResourceMonitors {
  readonly crdInformer: SharedInformer<CRDLike>;
  private readonly clientset: Pick<Clientset, 'resource'>;
  private readonly handlers: MonitorHandlers;
  private readonly logger: Logger;
  private readonly monitors = new Map<string, Monitor>();
  private readonly kinds = new Map<string, ResourceInfo>();
  private signal: AbortSignal | undefined;

  constructor(clientset: Pick<Clientset, 'resource'>, informers: InformerFactory, handlers: MonitorHandlers, logger: Logger) {
    this.clientset = clientset;
    this.handlers = handlers;
    this.logger = logger;
    this.crdInformer = informers.forResource<CRDLike>(CUSTOM_RESOURCE_DEFINITIONS);
    const resync = () => this.resync();
    this.crdInformer.addEventHandler({ add: resync, update: resync, delete: resync });
  }

  /** The resource an owner reference's apiVersion and kind name, if a CRD serves it. */
  resourceFor(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.kinds.get(`${apiVersion}/${kind}`);
  }

  /** Starts the monitors known so far and later ones; all stop when `signal` aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const m of this.monitors.values()) this.runMonitor(m);
    signal.addEventListener('abort', () => {
      for (const m of this.monitors.values()) m.abort.abort();
    });
  }

  private runMonitor(m: Monitor): void {
    if (!this.signal || this.signal.aborted) return;
    void m.informer.run(m.abort.signal);
  }

  private resync(): void {
    const wanted = new Map<string, ResourceInfo>();
    this.kinds.clear();
    for (const crd of this.crdInformer.lister().list()) {
      const r = resourcesOf(crd);
      if (!r) continue;
      wanted.set(`${r.watched.group}/${r.watched.resource}`, r.watched);
      for (const s of r.served) this.kinds.set(`${apiVersionOf(s)}/${s.kind}`, s);
    }
    for (const [key, m] of this.monitors) {
      if (wanted.get(key)?.version === m.info.version) continue;
      // The CRD went (or its storage version changed): stop, and forget what the informer held.
      m.abort.abort();
      this.monitors.delete(key);
      for (const obj of m.informer.indexer.list()) this.handlers.deleted(obj);
      this.logger.info('stopped monitoring custom resources', { resource: `${m.info.resource}.${m.info.group}` });
    }
    for (const [key, info] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = new SharedInformer<ObjectLike>(this.clientset.resource<ObjectLike>(info), { name: info.resource, logger: this.logger });
      informer.addEventHandler({
        add: (o) => this.handlers.observed(info, o),
        update: (_old, cur) => this.handlers.observed(info, cur),
        delete: (o) => this.handlers.deleted(o),
      });
      const m: Monitor = { info, informer, abort: new AbortController() };
      this.monitors.set(key, m);
      this.runMonitor(m);
      this.logger.info('monitoring custom resources', { resource: `${info.resource}.${info.group}` });
    }
  }
}
