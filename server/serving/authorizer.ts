// The authorizer behind every request and the access reviews: upstream's authorizer.Authorizer
// and RuleResolver for the identities jobyard has. The administrator (ADMIN_USER, in
// system:masters) may do everything, as upstream's privileged-group authorizer allows
// system:masters. A service account (system:serviceaccount:NS:NAME) gets what
// ./service-account-policy.ts lists (upstream's view role in its namespace, until RBAC is
// served). Anyone else gets no opinion.
import type { NonResourceAttributes, NonResourceRule, ResourceAttributes, ResourceRule, UserInfo } from '../../api/index.js';
import { failureStatus, qualifiedResource, StatusError } from '../../machinery/index.js';
import { BASIC_USER_RULES, NON_RESOURCE_RULES, nonResourceRuleAllows, resourceRuleAllows, VIEW_RULES } from './service-account-policy.js';

/** upstream user.SystemPrivilegedGroup: allowed every request. */
export const SYSTEM_MASTERS = 'system:masters';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** An authorizer's answer: allow, deny, or neither (no opinion), and why. */
export interface Decision {
  allowed: boolean;
  denied: boolean;
  reason: string;
}

/** The rules a user has in a namespace (upstream RuleResolver.RulesFor). */
export interface Rules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
}

function isPrivileged(user: UserInfo | undefined): boolean {
  return Boolean(user?.groups?.includes(SYSTEM_MASTERS));
}

/** The namespace of a service account's user (system:serviceaccount:NS:NAME), or undefined. */
export function serviceAccountNamespace(user: UserInfo | undefined): string | undefined {
  const name = user?.username;
  if (!name?.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  return parts.length === 2 && parts[0] && parts[1] ? parts[0] : undefined;
}

function isResourceAttributes(a: ResourceAttributes | NonResourceAttributes): a is ResourceAttributes {
  return 'resource' in a || 'group' in a || 'namespace' in a || !('path' in a);
}

const NO_OPINION: Decision = { allowed: false, denied: false, reason: '' };

/** Decides one request, resource or non-resource, for `user`. */
export function authorize(user: UserInfo | undefined, attributes: ResourceAttributes | NonResourceAttributes): Decision {
  if (isPrivileged(user)) {
    return {
      allowed: true,
      denied: false,
      reason: `jobyard: the request carries the server's token (or a console session made from it), which is the administrator's: user "${user?.username ?? ''}" in group "${SYSTEM_MASTERS}" may do everything`,
    };
  }
  const saNamespace = serviceAccountNamespace(user);
  if (saNamespace === undefined) return NO_OPINION;
  const rules = rulesFor(user, isResourceAttributes(attributes) ? (attributes.namespace ?? '') : '');
  let allowed: boolean;
  if (isResourceAttributes(attributes)) {
    const a = attributes;
    allowed = rules.resourceRules.some((r) => resourceRuleAllows(r, a.verb ?? '', a.group ?? '', a.resource ?? '', a.subresource ?? '', a.name ?? ''));
  } else {
    allowed = rules.nonResourceRules.some((r) => nonResourceRuleAllows(r, attributes.verb ?? '', attributes.path ?? ''));
  }
  if (!allowed) return NO_OPINION;
  return {
    allowed: true,
    denied: false,
    reason: `jobyard: until RBAC is served a service account has upstream's view role in its own namespace ("${saNamespace}"), discovery and the self reviews`,
  };
}

/** Everything `user` may do in `namespace`: all of it for the administrator; a service account's policy; nothing known otherwise. */
export function rulesFor(user: UserInfo | undefined, namespace: string): Rules {
  if (isPrivileged(user)) {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
  const saNamespace = serviceAccountNamespace(user);
  if (saNamespace !== undefined) {
    const own = namespace !== '' && namespace === saNamespace;
    return {
      resourceRules: [...BASIC_USER_RULES, ...(own ? VIEW_RULES : [])].map((r) => structuredClone(r) as ResourceRule),
      nonResourceRules: NON_RESOURCE_RULES.map((r) => structuredClone(r) as NonResourceRule),
      incomplete: false,
    };
  }
  return { resourceRules: [], nonResourceRules: [], incomplete: false };
}

/** upstream's forbiddenMessage: who cannot do what, where. */
export function forbiddenMessage(user: UserInfo | undefined, attributes: ResourceAttributes | NonResourceAttributes): string {
  const username = user?.username ?? '';
  if (!isResourceAttributes(attributes)) return `User ${JSON.stringify(username)} cannot ${attributes.verb ?? ''} path ${JSON.stringify(attributes.path ?? '')}`;
  const resource = attributes.subresource ? `${attributes.resource ?? ''}/${attributes.subresource}` : (attributes.resource ?? '');
  const where = attributes.namespace ? `in the namespace ${JSON.stringify(attributes.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(username)} cannot ${attributes.verb ?? ''} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.group ?? '')} ${where}`;
}

/** upstream's responsewriters.Forbidden: apierrors.NewForbidden(group resource, name, forbiddenMessage). */
export function forbiddenError(user: UserInfo | undefined, attributes: ResourceAttributes | NonResourceAttributes): StatusError {
  const message = forbiddenMessage(user, attributes);
  if (!isResourceAttributes(attributes)) return new StatusError(failureStatus(403, 'Forbidden', `forbidden: ${message}`, {}));
  const group = attributes.group ?? '';
  const resource = attributes.resource ?? '';
  const name = attributes.name ?? '';
  const qualified = qualifiedResource(resource, group);
  const details: Record<string, string> = {};
  if (name) details.name = name;
  if (group) details.group = group;
  details.kind = resource;
  return new StatusError(failureStatus(403, 'Forbidden', name ? `${qualified} ${JSON.stringify(name)} is forbidden: ${message}` : `${qualified} is forbidden: ${message}`, details));
}
