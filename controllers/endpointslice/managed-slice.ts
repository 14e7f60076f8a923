// The Service key ("ns/name") of an EndpointSlice that `managedBy` manages, or undefined: both
// EndpointSlice controllers requeue the Service when one of their slices is changed or deleted
// by someone else.
import type { EndpointSlice } from '../../api/index.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';

export function managedSliceServiceKey(slice: DeepReadonly<EndpointSlice>, managedBy: string): string | undefined {
  const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return service && slice.metadata.labels?.[LABEL_MANAGED_BY] === managedBy ? `${slice.metadata.namespace}/${service}` : undefined;
}
