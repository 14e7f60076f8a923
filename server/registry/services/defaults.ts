// SetDefaults_Service (pkg/apis/core/v1/defaults.go) and the ClusterIP/ClusterIPs sync of the
// service strategy's PrepareForCreate/Update (pkg/registry/core/service/strategy.go).
import type { ServiceSpec } from '../../../api/index.js';
import type { ServiceObject } from './types.js';

/** core.DefaultClientIPServiceAffinitySeconds: 3 hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

export function defaultService(svc: ServiceObject): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
}

/**
 * The strategy's patchAllocatedValues / normalizeClusterIPs: a client that sets only clusterIP
 * gets clusterIPs = [clusterIP]; one that clears clusterIP on update (with clusterIPs unchanged)
 * clears both.
 */
export function normalizeClusterIPs(spec: ServiceSpec, old?: ServiceSpec): void {
  if (old === undefined) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const sameIPs = JSON.stringify(spec.clusterIPs ?? []) === JSON.stringify(old.clusterIPs ?? []);
  if (!spec.clusterIP && old.clusterIP && sameIPs) {
    delete spec.clusterIPs;
    return;
  }
  if (spec.clusterIP && spec.clusterIP !== old.clusterIP && sameIPs && (spec.clusterIPs?.length ?? 0) <= 1) {
    spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}
