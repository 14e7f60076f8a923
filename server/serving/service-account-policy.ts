// What a service account may do until RBAC is served (issue 16): what upstream's bootstrap
// roles would give it with the `view` ClusterRole bound in its own namespace. That is get, list
// and watch of the namespace's readable resources (not Secrets: view leaves them out, they may
// hold credentials that escalate), pods/log included; its own Namespace object; plus, as every
// authenticated user, system:basic-user (the self reviews), system:discovery and
// system:public-info-viewer, and system:service-account-issuer-discovery. No write anywhere,
// nothing in another namespace, nothing cluster-scoped: a compromised pod cannot start pods.
import type { NonResourceRule, ResourceRule } from '../../api/index.js';

const READ = ['get', 'list', 'watch'];

/** upstream's system:aggregate-to-view rules (plugin/pkg/auth/authorizer/rbac/bootstrappolicy). */
export const VIEW_RULES: readonly ResourceRule[] = [
  {
    verbs: READ,
    apiGroups: [''],
    resources: ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps'],
  },
  {
    verbs: READ,
    apiGroups: [''],
    resources: ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log'],
  },
  // "read access to namespaces at the namespace scope means you can read *this* namespace"
  { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
  { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
  {
    verbs: READ,
    apiGroups: ['apps'],
    resources: ['controllerrevisions', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status'],
  },
  { verbs: READ, apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'] },
  { verbs: READ, apiGroups: ['batch'], resources: ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status'] },
  {
    verbs: READ,
    apiGroups: ['extensions'],
    resources: ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies'],
  },
  { verbs: READ, apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'] },
  { verbs: READ, apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses', 'ingresses/status'] },
];

/** system:basic-user: who am I, what may I do (cluster-wide, any authenticated user). */
export const BASIC_USER_RULES: readonly ResourceRule[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

/** system:discovery, system:public-info-viewer and system:service-account-issuer-discovery. */
export const NON_RESOURCE_RULES: readonly NonResourceRule[] = [
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
  { verbs: ['get'], nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'] },
];

/** RBAC's rule matching (upstream rbac.RuleAllows): verb, group, resource[/subresource], name. */
export function resourceRuleAllows(rule: ResourceRule, verb: string, group: string, resource: string, subresource: string, name: string): boolean {
  const has = (list: string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));
  const combined = subresource ? `${resource}/${subresource}` : resource;
  if (!has(rule.verbs, verb) || !has(rule.apiGroups, group)) return false;
  if (!(rule.resources ?? []).some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`))) return false;
  return !rule.resourceNames?.length || rule.resourceNames.includes(name);
}

/** upstream rbac.NonResourceURLMatches: exact, or a trailing "*" prefix. */
export function nonResourceRuleAllows(rule: NonResourceRule, verb: string, path: string): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}
