// endpoints.RepackSubsets (pkg/api/v1/endpoints/util.go): addresses regrouped by their port sets,
// one subset per distinct set, addresses and ports sorted, so equal content is stored equal.
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../../api/index.js';

const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`;
const addressKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  // LessEndpointAddress: by IP, then by targetRef UID.
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function repackSubsets(subsets: EndpointSubset[] | undefined): EndpointSubset[] | undefined {
  if (!subsets?.length) return subsets;
  // Port set key → addresses (ready and not ready), in first-seen order of port sets.
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>();
  for (const ss of subsets) {
    const ports = [...(ss.ports ?? [])].sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    const key = ports.map(portKey).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: new Map(), notReady: new Map() }));
    for (const a of ss.addresses ?? []) g.ready.set(addressKey(a), a);
    // An address both ready and not ready counts as ready.
    for (const a of ss.notReadyAddresses ?? []) if (!g.ready.has(addressKey(a))) g.notReady.set(addressKey(a), a);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    for (const k of g.ready.keys()) g.notReady.delete(k);
    const subset: EndpointSubset = {};
    if (g.ready.size) subset.addresses = [...g.ready.values()].sort(compareAddresses);
    if (g.notReady.size) subset.notReadyAddresses = [...g.notReady.values()].sort(compareAddresses);
    if (g.ports.length) subset.ports = g.ports;
    if (subset.addresses || subset.notReadyAddresses) out.push(subset);
  }
  return out;
}
