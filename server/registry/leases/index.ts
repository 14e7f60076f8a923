// coordination.k8s.io/v1 leases: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { type LeaseObject, leaseStrategy } from './strategy.js';

export type { LeaseObject } from './strategy.js';

/** kubectl get leases: NAME HOLDER AGE (printLease). */
export const leaseTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Holder', 'The holder of the lease.'), AGE_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const lease = obj as LeaseObject;
    return [lease.metadata.name, lease.spec?.holderIdentity ?? '', translateTimestampSince(lease.metadata.creationTimestamp, now)];
  },
};

export const leases: ResourceDefinition<LeaseObject> = {
  names: {
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    singular: 'lease',
    kind: 'Lease',
    listKind: 'LeaseList',
    namespaced: true,
  },
  strategy: leaseStrategy,
  table: leaseTable,
  schema: { type: 'ref', ref: 'io.k8s.api.coordination.v1.Lease' },
};
