// Authentication of service-account tokens (upstream's bound-token validator, claims.go): the
// signature, issuer, audience and times (./tokens.ts), then the objects the token names must
// still be there with the same uid: the ServiceAccount, and the Pod or Secret it is bound to
// (a pod being deleted for more than 60 s no longer counts). Any failure is just "no user":
// the caller answers 401 without saying why (the reason is never the token's business).
import type { KubeObject, UserInfo } from '../../api/index.js';
import { type ServiceAccountClaims, ServiceAccountTokens } from './tokens.js';

/** Groups of every service account, and of those of one namespace. */
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const AUTHENTICATED_GROUP = 'system:authenticated';
/** upstream: tokens of a pod deleted longer ago than this are refused. */
const DELETED_POD_GRACE_MS = 60_000;

/** Reads of stored objects the check needs (the store, in the API server). */
export interface BoundObjectLookup {
  get(resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string): KubeObject | undefined;
}

/** A JWT has three base64url parts; anything else is not ours to verify. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export class ServiceAccountAuthenticator {
  private readonly tokens: ServiceAccountTokens;
  private readonly lookup: BoundObjectLookup;
  private readonly now: () => Date;

  constructor(tokens: ServiceAccountTokens, lookup: BoundObjectLookup, now: () => Date = () => new Date()) {
    this.tokens = tokens;
    this.lookup = lookup;
    this.now = now;
  }

  /** The service account a token authenticates, or undefined (bad, expired, foreign, or its objects gone). */
  async authenticate(token: string): Promise<UserInfo | undefined> {
    if (!looksLikeJwt(token)) return undefined;
    const now = this.now();
    let claims: ServiceAccountClaims;
    try {
      claims = await this.tokens.verify(token, now);
    } catch {
      return undefined;
    }
    return this.check(claims, now);
  }

  private check(claims: ServiceAccountClaims, now: Date): UserInfo | undefined {
    const k = claims['kubernetes.io'];
    const sa = this.lookup.get('serviceaccounts', k.namespace, k.serviceaccount.name);
    if (!sa || sa.metadata.uid !== k.serviceaccount.uid || sa.metadata.deletionTimestamp) return undefined;
    const extra: Record<string, string[]> = {};
    if (k.pod) {
      const pod = this.lookup.get('pods', k.namespace, k.pod.name);
      if (!pod || pod.metadata.uid !== k.pod.uid) return undefined;
      const deleted = pod.metadata.deletionTimestamp;
      if (deleted && Date.parse(deleted) < now.getTime() - DELETED_POD_GRACE_MS) return undefined;
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    if (k.secret) {
      const secret = this.lookup.get('secrets', k.namespace, k.secret.name);
      if (!secret || secret.metadata.uid !== k.secret.uid || secret.metadata.deletionTimestamp) return undefined;
    }
    if (k.node) {
      extra['authentication.kubernetes.io/node-name'] = [k.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
    }
    if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    return {
      username: claims.sub,
      uid: k.serviceaccount.uid,
      groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${k.namespace}`, AUTHENTICATED_GROUP],
      extra,
    };
  }
}
