// core/v1 endpoints (pkg/registry/core/endpoint): ports' protocol defaulted to TCP, subsets
// repacked on write, AllowCreateOnUpdate as upstream; kubectl get ep's NAME ENDPOINTS AGE.
import type { Endpoints, KubeObject } from '../../../api/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { repackSubsets } from './repack.js';
import { validateEndpoints, validateEndpointsUpdate } from './validation.js';

export { repackSubsets } from './repack.js';
export { validateEndpoints } from './validation.js';

type EndpointsObject = Endpoints & KubeObject;

/** formatEndpoints: the first three ready "ip:port"s, then "+ N more...", "<none>" without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  if (!ep.subsets?.length) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const ss of ep.subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports?.length ? ss.ports.map((p) => p.port) : [undefined];
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(port === undefined ? a.ip : a.ip.includes(':') ? `[${a.ip}]:${port}` : `${a.ip}:${port}`);
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

export const endpointsTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Endpoints', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ep = obj as EndpointsObject;
    return [ep.metadata.name, formatEndpoints(ep), translateTimestampSince(ep.metadata.creationTimestamp, now)];
  },
};

export const endpointsStrategy: ResourceStrategy<EndpointsObject> = {
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ??= 'TCP';
  },
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: validateEndpoints,
  validateUpdate: validateEndpointsUpdate,
  canonicalize(ep) {
    const repacked = repackSubsets(ep.subsets);
    if (repacked === undefined) delete ep.subsets;
    else ep.subsets = repacked;
  },
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};

export const endpoints: ResourceDefinition<EndpointsObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    namespaced: true,
    shortNames: ['ep'],
  },
  strategy: endpointsStrategy,
  table: endpointsTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Endpoints' },
};
