// The DNS view over informers' caches: Services and EndpointSlices, indexed the ways
// records.ts asks (by ClusterIP, by slice's Service, by endpoint IP of headless Services).
import type { EndpointSlice, Service } from '../api/index.js';
import type { DeepReadonly, InformerFactory, ResourceInfo, SharedInformer } from '../client/index.js';
import type { DnsView } from './records.js';

export const SERVICES: ResourceInfo = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };
export const ENDPOINT_SLICES: ResourceInfo = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const BY_CLUSTER_IP = 'dns/clusterIP';
const BY_SERVICE = 'dns/service';
const BY_ENDPOINT_IP = 'dns/endpointIP';

export class InformerDnsView implements DnsView {
  readonly services: SharedInformer<Service>;
  readonly slices: SharedInformer<EndpointSlice>;

  constructor(informers: InformerFactory) {
    this.services = informers.forResource<Service>(SERVICES);
    this.slices = informers.forResource<EndpointSlice>(ENDPOINT_SLICES);
    this.services.indexer.addIndexers({
      [BY_CLUSTER_IP]: (svc) => (svc.spec?.clusterIPs?.length ? [...svc.spec.clusterIPs] : svc.spec?.clusterIP ? [svc.spec.clusterIP] : []).filter((ip) => ip !== 'None'),
    });
    this.slices.indexer.addIndexers({
      [BY_SERVICE]: (slice) => {
        const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
        return name ? [`${slice.metadata.namespace ?? ''}/${name}`] : [];
      },
      [BY_ENDPOINT_IP]: (slice) => (slice.endpoints ?? []).flatMap((ep) => [...(ep.addresses ?? [])]),
    });
  }

  service(namespace: string, name: string): DeepReadonly<Service> | undefined {
    return this.services.indexer.getByKey(`${namespace}/${name}`);
  }

  endpointSlices(namespace: string, serviceName: string): readonly DeepReadonly<EndpointSlice>[] {
    return this.slices.indexer.byIndex(BY_SERVICE, `${namespace}/${serviceName}`);
  }

  serviceByClusterIP(ip: string): DeepReadonly<Service> | undefined {
    return this.services.indexer.byIndex(BY_CLUSTER_IP, ip)[0];
  }

  headlessServicesByEndpointIP(ip: string): readonly DeepReadonly<Service>[] {
    const out: DeepReadonly<Service>[] = [];
    for (const slice of this.slices.indexer.byIndex(BY_ENDPOINT_IP, ip)) {
      const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      const svc = name ? this.service(slice.metadata.namespace ?? '', name) : undefined;
      if (svc && svc.spec?.clusterIP === 'None' && !out.includes(svc)) out.push(svc);
    }
    return out;
  }

  hasServicesIn(namespace: string): boolean {
    return this.services.lister().namespace(namespace).list().length > 0;
  }
}
