// networking.k8s.io/v1 ingresses: served read-only and empty (no ingress controller; see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { NETWORKING } from '../../../api/schema/index.js';
import { nameAndAge, readOnlyResource } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

interface IngressObject extends KubeObject {
  spec?: { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** formatHosts: up to three named hosts, "+ N more..." (N = rules beyond three), "*" when no rule names one. */
function formatHosts(rules: { host?: string }[] = []): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (!hosts.length) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** loadBalancerStatusStringer: the IPs, else hostnames, sorted and once each, cut to 16 characters. */
function formatAddress(ingress: IngressObject): string {
  const addresses = new Set((ingress.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : [])));
  const s = [...addresses].sort().join(',');
  return s.length > 16 ? `${s.slice(0, 13)}...` : s;
}

/** kubectl get ingresses: NAME CLASS HOSTS ADDRESS PORTS AGE, printIngress. */
export const ingressTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ing = obj as IngressObject;
    const { name, age } = nameAndAge(ing, now);
    const ports = ing.spec?.tls?.length ? '80, 443' : '80';
    return [name, ing.spec?.ingressClassName ?? '<none>', formatHosts(ing.spec?.rules), formatAddress(ing), ports, age];
  },
};

export const ingresses = readOnlyResource({
  names: {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    listKind: 'IngressList',
    namespaced: true,
    shortNames: ['ing'],
  },
  schema: { type: 'ref', ref: NETWORKING + 'Ingress' },
  table: ingressTable,
  why: 'jobyard runs batch workloads (Jobs, CronJobs, Pods) and no ingress controller',
});
