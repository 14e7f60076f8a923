// The Service's rules (pkg/registry/core/service/strategy.go): status cleared on create and kept
// on update, fields that no longer apply to a changed type wiped (dropTypeDependentFields),
// clusterIP and clusterIPs kept in sync, and the /status strategy. IP and port allocation is the
// storage's (see allocation-hooks.ts), as upstream does it in the REST storage, not the strategy.
import type { ServiceSpec } from '../../../api/index.js';
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import { defaultService, externallyAccessible, normalizeClusterIPs } from './defaults.js';
import type { ServiceObject } from './types.js';
import { validateService, validateServiceStatusUpdate, validateServiceUpdate } from './validation.js';

/** needsClusterIP: every type but ExternalName. */
export function needsClusterIP(s: ServiceSpec): boolean {
  return s.type !== 'ExternalName';
}

/** needsNodePort: NodePort, and LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function needsNodePort(s: ServiceSpec): boolean {
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
}

function needsHealthCheckNodePort(s: ServiceSpec): boolean {
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

function nodePortSet(s: ServiceSpec): string {
  return JSON.stringify([...new Set((s.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n))].sort());
}

/** dropTypeDependentFields: wipe what the new type does not use, if the client left it unchanged. */
export function dropTypeDependentFields(svc: ServiceObject, old: ServiceObject): void {
  const s = (svc.spec ??= {});
  const o = old.spec ?? {};
  if (needsClusterIP(o) && !needsClusterIP(s)) {
    if (semanticEqual(s.clusterIPs ?? [], o.clusterIPs ?? [])) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (semanticEqual(s.ipFamilies ?? [], o.ipFamilies ?? [])) delete s.ipFamilies;
    if (s.ipFamilyPolicy === o.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(o) && !needsNodePort(s) && nodePortSet(s) === nodePortSet(o)) {
    for (const p of s.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(o) && !needsHealthCheckNodePort(s) && s.healthCheckNodePort === o.healthCheckNodePort) delete s.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts;
    if (s.loadBalancerClass !== undefined && s.loadBalancerClass === o.loadBalancerClass) delete s.loadBalancerClass;
  }
  if (externallyAccessible(o) && !externallyAccessible(s) && s.externalTrafficPolicy === o.externalTrafficPolicy) delete s.externalTrafficPolicy;
  if (s.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

export const serviceStrategy: ResourceStrategy<ServiceObject> = {
  defaults: defaultService,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
    normalizeClusterIPs((svc.spec ??= {}));
  },
  prepareForUpdate(svc, old) {
    svc.status = structuredClone(old.status ?? { loadBalancer: {} });
    dropTypeDependentFields(svc, old);
    normalizeClusterIPs((svc.spec ??= {}), old.spec ?? {});
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  // A PUT of a missing Service creates it (upstream's AllowCreateOnUpdate true).
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};

export const serviceStatusStrategy: StatusStrategy<ServiceObject> = {
  prepareForUpdate(svc, old) {
    keepAllButStatus(svc, old);
  },
  validateUpdate: validateServiceStatusUpdate,
};
