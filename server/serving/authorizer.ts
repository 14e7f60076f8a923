// The authorizer behind the access reviews: upstream's authorizer.Authorizer and RuleResolver
// for the one identity jobyard has. The administrator (ADMIN_USER, in system:masters) may do
// everything, as upstream's privileged-group authorizer allows system:masters; anyone else
// gets no opinion, since jobyard has no roles to grant (RBAC is not served).
import type { NonResourceAttributes, NonResourceRule, ResourceAttributes, ResourceRule, UserInfo } from '../../api/index.js';

/** upstream user.SystemPrivilegedGroup: allowed every request. */
export const SYSTEM_MASTERS = 'system:masters';

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

/** Decides one request, resource or non-resource, for `user`. */
export function authorize(user: UserInfo | undefined, _attributes: ResourceAttributes | NonResourceAttributes): Decision {
  if (isPrivileged(user)) {
    return {
      allowed: true,
      denied: false,
      reason: `jobyard: the request carries the server's token (or a console session made from it), which is the administrator's: user "${user?.username ?? ''}" in group "${SYSTEM_MASTERS}" may do everything`,
    };
  }
  return { allowed: false, denied: false, reason: '' };
}

/** Everything `user` may do in `namespace`: all of it for the administrator, nothing known otherwise. */
export function rulesFor(user: UserInfo | undefined, _namespace: string): Rules {
  if (isPrivileged(user)) {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
  return { resourceRules: [], nonResourceRules: [], incomplete: false };
}
