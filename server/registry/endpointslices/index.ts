// discovery.k8s.io/v1 endpointslices (pkg/registry/discovery/endpointslice): generation 1 on
// create and bumped when anything but metadata (or a label) changes; ports' name defaulted to ""
// and protocol to TCP; kubectl get endpointslices' NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
import type { EndpointSlice, KubeObject } from '../../../api/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './validation.js';

export { validateEndpointSlice } from './validation.js';

type EndpointSliceObject = EndpointSlice & KubeObject;

/** listWithMoreString: three items, "+ N more...", "<unset>" when empty. */
function listWithMore(items: string[]): string {
  const max = 3;
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length ? items.join(',') : '<unset>';
}

export const endpointSliceTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COLUMN,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const slice = obj as EndpointSliceObject;
    const ports = (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*'));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [slice.metadata.name, slice.addressType, listWithMore(ports), listWithMore(addresses), translateTimestampSince(slice.metadata.creationTimestamp, now)];
  },
};

const withoutMeta = (s: EndpointSliceObject) => ({ addressType: s.addressType, endpoints: s.endpoints, ports: s.ports });

export const endpointSliceStrategy: ResourceStrategy<EndpointSliceObject> = {
  defaults(slice) {
    for (const p of slice.ports ?? []) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  prepareForCreate(slice) {
    slice.metadata.generation = 1;
    for (const ep of slice.endpoints ?? []) delete ep.deprecatedTopology;
  },
  prepareForUpdate(slice, old) {
    for (const ep of slice.endpoints ?? []) delete ep.deprecatedTopology;
    if (!semanticEqual(withoutMeta(slice), withoutMeta(old)) || !semanticEqual(slice.metadata.labels, old.metadata.labels)) {
      slice.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
  },
  validate: validateEndpointSlice,
  validateUpdate: validateEndpointSliceUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const endpointSlices: ResourceDefinition<EndpointSliceObject> = {
  names: {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    listKind: 'EndpointSliceList',
    namespaced: true,
  },
  strategy: endpointSliceStrategy,
  table: endpointSliceTable,
  schema: { type: 'ref', ref: 'io.k8s.api.discovery.v1.EndpointSlice' },
};
