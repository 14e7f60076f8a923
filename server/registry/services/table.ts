// kubectl get services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, SELECTOR with -o wide
// (pkg/printers/internalversion printService, getServiceExternalIP, makePortString).
import type { KubeObject, ServicePort } from '../../../api/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import type { ServiceObject } from './types.js';

/** makePortString: "80/TCP", "80:30080/TCP" with a node port, comma-separated. */
export function makePortString(ports: ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
}

/** getServiceExternalIP (the server always fills the wide form). */
export function serviceExternalIP(svc: ServiceObject): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      if (external.length) return [...lb, ...external].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** labels.FormatLabels: "k=v,..." sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

export const serviceTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Type', 'type determines how the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service, usually assigned randomly; "None" for a headless service.'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const svc = obj as ServiceObject;
    const spec = svc.spec ?? {};
    return [
      svc.metadata.name,
      spec.type ?? '',
      spec.clusterIPs?.length ? spec.clusterIPs[0] : '<none>',
      serviceExternalIP(svc),
      makePortString(spec.ports) || '<none>',
      translateTimestampSince(svc.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
