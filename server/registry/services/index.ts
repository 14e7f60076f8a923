// core/v1 services: the ResourceDefinition the API server serves.
import type { ResourceDefinition } from '../resource.js';
import { serviceStatusStrategy, serviceStrategy } from './strategy.js';
import { serviceTable } from './table.js';
import type { ServiceObject } from './types.js';

export type { ServiceObject } from './types.js';
export { validateService, validateServiceUpdate, validateServiceStatusUpdate } from './validation.js';
export { serviceTable, makePortString } from './table.js';

export const services: ResourceDefinition<ServiceObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    listKind: 'ServiceList',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
  },
  strategy: serviceStrategy,
  status: serviceStatusStrategy,
  table: serviceTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Service' },
};
export { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR, NodePortRange, ServiceAllocators, ServiceIPRange } from './allocation.js';
export { serviceStorageHooks, startServiceAllocations } from './storage-hooks.js';
