// The `kubernetes` Service in `default` and its Endpoints and EndpointSlice (upstream's
// controlplane "bootstrap-controller" and master endpoints reconciler): the Service on the first
// address of the service CIDR, port 443 named https, targeting the API server's port; its
// endpoint is where pods reach the API (ApiServerOptions.podAddress). Recreated when deleted and
// put back when changed, at once (a store watch) and every 10 s (upstream's EndpointInterval).
import type { EndpointSlice, Endpoints, KubeObject } from '../api/index.js';
import { ENDPOINTS_SKIP_MIRROR_LABEL, LABEL_SERVICE_NAME } from '../api/index.js';
import { errorMessage, isNotFound } from '../machinery/index.js';
import type { GenericRegistry } from './registry/generic-registry.js';
import { endpointSlices, endpoints, services } from './registry/index.js';
import { storageResource } from './registry/objects.js';
import type { ResourceDefinition } from './registry/resource.js';
import { semanticEqual } from './registry/semantic-equal.js';
import type { ServiceObject } from './registry/services/index.js';

const NAMESPACE = 'default';
const NAME = 'kubernetes';
const PORT_NAME = 'https';

export interface KubernetesServiceOptions {
  registry: GenericRegistry;
  /** The Service's ClusterIP: the first address of the service CIDR. */
  clusterIP: string;
  /** The API server's port (the Service's targetPort and the endpoint's port). */
  apiPort: number;
  /** Where pods reach the API; no Endpoints without one. */
  endpointIP?: string;
  log(msg: string): void;
  intervalMs?: number;
}

export class KubernetesServiceReconciler {
  private readonly opts: KubernetesServiceOptions;
  private timer?: NodeJS.Timeout;
  private scheduled = false;
  private stopWatches: (() => void)[] = [];

  constructor(opts: KubernetesServiceOptions) {
    this.opts = opts;
  }

  start(): void {
    this.reconcile();
    const store = this.opts.registry.store;
    for (const def of [services, endpoints, endpointSlices] as ResourceDefinition[]) {
      this.stopWatches.push(
        store.watch(storageResource(def), NAMESPACE, store.currentRv(), (event) => {
          if (event.name === NAME) this.schedule();
        }),
      );
    }
    this.timer = setInterval(() => this.reconcile(), this.opts.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const stop of this.stopWatches) stop();
    this.stopWatches = [];
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopWatches.length) this.reconcile();
    });
  }

  /** One pass; failures are logged and retried at the next. */
  reconcile(): void {
    for (const step of [() => this.reconcileService(), () => this.reconcileEndpoints(), () => this.reconcileEndpointSlice()]) {
      try {
        step();
      } catch (err) {
        this.opts.log(`kubernetes service: ${errorMessage(err)}`);
      }
    }
  }

  private read(def: ResourceDefinition): KubeObject | undefined {
    try {
      return this.opts.registry.get(def, NAMESPACE, NAME);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private desiredPorts() {
    return [{ name: PORT_NAME, protocol: 'TCP' as const, port: 443, targetPort: this.opts.apiPort }];
  }

  private reconcileService(): void {
    const current = this.read(services) as ServiceObject | undefined;
    if (!current) {
      this.opts.registry.create(services, NAMESPACE, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: this.opts.clusterIP, sessionAffinity: 'None', ports: this.desiredPorts() },
      } as KubeObject);
      return;
    }
    // upstream's CreateOrUpdateMasterServiceIfNeeded: the ports and type put back; the ClusterIP is immutable.
    const ports = (current.spec?.ports ?? []).map((p) => ({ name: p.name, protocol: p.protocol, port: p.port, targetPort: p.targetPort }));
    if (current.spec?.type === 'ClusterIP' && semanticEqual(ports, this.desiredPorts())) return;
    this.opts.registry.guaranteedUpdate(services, NAMESPACE, NAME, (obj) => {
      const svc = obj as ServiceObject;
      svc.spec = { ...svc.spec, type: 'ClusterIP', ports: this.desiredPorts() };
      for (const key of ['externalTrafficPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'healthCheckNodePort'] as const) delete svc.spec[key];
    });
  }

  private reconcileEndpoints(): void {
    const current = this.read(endpoints) as (Endpoints & KubeObject) | undefined;
    const ip = this.opts.endpointIP;
    if (!ip) return;
    const subsets = [{ addresses: [{ ip }], ports: [{ name: PORT_NAME, port: this.opts.apiPort, protocol: 'TCP' as const }] }];
    const labels = { [ENDPOINTS_SKIP_MIRROR_LABEL]: 'true' };
    if (!current) {
      this.opts.registry.create(endpoints, NAMESPACE, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: NAME, namespace: NAMESPACE, labels }, subsets } as KubeObject);
      return;
    }
    if (semanticEqual(current.subsets, subsets) && current.metadata.labels?.[ENDPOINTS_SKIP_MIRROR_LABEL] === 'true') return;
    this.opts.registry.guaranteedUpdate(endpoints, NAMESPACE, NAME, (obj) => {
      const ep = obj as Endpoints & KubeObject;
      ep.subsets = subsets;
      ep.metadata.labels = { ...ep.metadata.labels, ...labels };
    });
  }

  private reconcileEndpointSlice(): void {
    const current = this.read(endpointSlices) as (EndpointSlice & KubeObject) | undefined;
    const ip = this.opts.endpointIP;
    if (!ip) return;
    const desired = {
      addressType: 'IPv4' as const,
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: PORT_NAME, port: this.opts.apiPort, protocol: 'TCP' as const }],
    };
    const labels = { [LABEL_SERVICE_NAME]: NAME };
    if (!current) {
      this.opts.registry.create(endpointSlices, NAMESPACE, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: NAME, namespace: NAMESPACE, labels }, ...desired } as unknown as KubeObject);
      return;
    }
    const actual = { addressType: current.addressType, endpoints: current.endpoints, ports: current.ports };
    if (semanticEqual(actual, desired) && current.metadata.labels?.[LABEL_SERVICE_NAME] === NAME) return;
    this.opts.registry.guaranteedUpdate(endpointSlices, NAMESPACE, NAME, (obj) => {
      const slice = obj as EndpointSlice & KubeObject;
      slice.endpoints = desired.endpoints;
      slice.ports = desired.ports;
      slice.metadata.labels = { ...slice.metadata.labels, ...labels };
    });
  }
}
