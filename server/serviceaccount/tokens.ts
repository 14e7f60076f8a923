// Service-account tokens (upstream pkg/serviceaccount and the TokenRequest storage): signed JWTs
// with upstream's claims, and their verification. jose signs and verifies; the key is ./keys.ts's.
import { randomUUID } from 'node:crypto';
import { exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { SigningKey } from './keys.js';

/** --service-account-issuer's default. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** upstream's ExpirationExtensionSeconds: how long an extended (projected, kubelet) token lives. */
export const EXPIRATION_EXTENSION_SECONDS = 365 * 24 * 3600;
/** upstream's WarnOnlyBoundTokenExpirationSeconds: the kubelet asks this for kube-api-access tokens. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
/** upstream's jwt leeway on exp and nbf. */
export const CLOCK_LEEWAY_SECONDS = 60;
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

export interface NamedUid {
  name: string;
  uid: string;
}

/** The private "kubernetes.io" claim (upstream's privateClaims). */
export interface KubernetesClaims {
  namespace: string;
  serviceaccount: NamedUid;
  pod?: NamedUid;
  secret?: NamedUid;
  node?: NamedUid;
  warnafter?: number;
}

export interface ServiceAccountClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaims;
}

export interface TokenToIssue {
  namespace: string;
  serviceAccount: NamedUid;
  audiences: string[];
  expirationSeconds: number;
  pod?: NamedUid;
  secret?: NamedUid;
  node?: NamedUid;
  now: Date;
}

export interface ServiceAccountTokenOptions {
  issuer?: string;
  /** The API server's own audiences (--api-audiences); default: the issuer. */
  apiAudiences?: string[];
  /** --service-account-extend-token-expiration (default true). */
  extendExpiration?: boolean;
}

/** system:serviceaccount:NS:NAME */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** NS and NAME of system:serviceaccount:NS:NAME, or undefined. */
export function splitServiceAccountUsername(username: string | undefined): { namespace: string; name: string } | undefined {
  if (!username?.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export class ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: string[];
  private readonly key: SigningKey;
  private readonly extendExpiration: boolean;

  constructor(key: SigningKey, opts: ServiceAccountTokenOptions = {}) {
    this.key = key;
    this.issuer = opts.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    this.apiAudiences = opts.apiAudiences?.length ? opts.apiAudiences : [this.issuer];
    this.extendExpiration = opts.extendExpiration ?? true;
  }

  /**
   * A signed token and when it expires. A kubelet's request for a pod-bound token of 3607 s for
   * the API's audiences lives a year, warning after 3607 s (upstream's extended expiration).
   */
  async issue(req: TokenToIssue): Promise<{ token: string; expirationTimestamp: Date }> {
    const iat = Math.floor(req.now.getTime() / 1000);
    let lifetime = req.expirationSeconds;
    let warnafter: number | undefined;
    const forApi = req.audiences.every((a) => this.apiAudiences.includes(a));
    if (this.extendExpiration && req.pod && req.expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && forApi) {
      warnafter = iat + req.expirationSeconds;
      lifetime = EXPIRATION_EXTENSION_SECONDS;
    }
    const exp = iat + lifetime;
    const kubernetes: KubernetesClaims = { namespace: req.namespace, serviceaccount: req.serviceAccount };
    if (req.pod) kubernetes.pod = req.pod;
    if (req.secret) kubernetes.secret = req.secret;
    if (req.node) kubernetes.node = req.node;
    if (warnafter !== undefined) kubernetes.warnafter = warnafter;
    const token = await new SignJWT({ 'kubernetes.io': kubernetes } as unknown as JWTPayload)
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.keyId })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(req.namespace, req.serviceAccount.name))
      .setAudience(req.audiences)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { token, expirationTimestamp: new Date(exp * 1000) };
  }

  /**
   * The claims of a token this server signed, for one of `audiences` (default: the API's), valid
   * now (60 s leeway on exp and nbf); throws otherwise. Whether its objects still exist is the
   * authenticator's question.
   */
  async verify(token: string, now: Date, audiences: string[] = this.apiAudiences): Promise<ServiceAccountClaims> {
    const { payload } = await jwtVerify(token, this.key.publicKey, {
      issuer: this.issuer,
      audience: audiences,
      algorithms: [this.key.alg],
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf'],
    });
    const claims = payload as ServiceAccountClaims;
    const k = claims['kubernetes.io'];
    if (!k || typeof k.namespace !== 'string' || typeof k.serviceaccount?.name !== 'string' || typeof k.serviceaccount.uid !== 'string') {
      throw new Error('token lacks the kubernetes.io claims');
    }
    if (claims.sub !== serviceAccountUsername(k.namespace, k.serviceaccount.name)) throw new Error('sub does not match the kubernetes.io claims');
    return claims;
  }

  /** /openid/v1/jwks */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.key.publicKey);
    return { keys: [{ use: 'sig', kty: jwk.kty, kid: this.key.keyId, crv: jwk.crv, alg: this.key.alg, x: jwk.x, y: jwk.y }] };
  }

  /** /.well-known/openid-configuration (upstream's openidmetadata). */
  openidConfiguration(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [this.key.alg],
    };
  }
}
