// The serviceAccountToken source of projected volumes (the kubelet's token manager and
// projected volume plugin): a token of the pod's ServiceAccount, bound to the pod, asked of
// TokenRequest with the source's audience and expirationSeconds, and written as `path`. Tokens
// are cached per pod, account, audience and lifetime, and asked again once 80% of their TTL has
// passed or they are 24 hours old (upstream's requiresRefresh, jitter included); the VolumeManager
// refreshes the volume at every pod sync, so a new token replaces the old one then.
import type { Pod, TokenRequest } from '../../api/index.js';
import { errorMessage } from '../../machinery/index.js';
import type { ProjectedFile, SourceProjector } from './projection.js';

/** The kubelet's defaults. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_TTL_MS = 24 * 3600 * 1000;
const MAX_JITTER_MS = 10_000;

/** POST /api/v1/namespaces/NS/serviceaccounts/NAME/token */
export type TokenRequester = (namespace: string, serviceAccount: string, request: TokenRequest) => Promise<TokenRequest>;

interface Cached {
  token: TokenRequest;
  /** When this token must be asked again (upstream's requiresRefresh, with its jitter drawn once). */
  refreshAt: number;
}

/** upstream's requiresRefresh as a point in time: past 24 h since issue, or within 20% of the TTL of the expiry. */
export function refreshTime(tr: TokenRequest, jitterMs: number): number {
  const exp = Date.parse(tr.status?.expirationTimestamp ?? '');
  const ttlMs = (tr.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS) * 1000;
  const iat = exp - ttlMs;
  return Math.min(iat + MAX_TTL_MS - jitterMs, exp - ttlMs / 5 - jitterMs);
}

export class ServiceAccountTokenManager {
  private readonly request: TokenRequester;
  private readonly now: () => number;
  private readonly cache = new Map<string, Cached>();

  constructor(request: TokenRequester, now: () => number = Date.now) {
    this.request = request;
    this.now = now;
  }

  /** A token for the pod; from the cache while fresh. */
  async tokenFor(pod: Pod, audience: string | undefined, expirationSeconds: number | undefined): Promise<string> {
    const namespace = pod.metadata.namespace ?? 'default';
    const sa = pod.spec.serviceAccountName || 'default';
    const uid = pod.metadata.uid ?? '';
    const seconds = expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    const key = JSON.stringify([uid, namespace, sa, audience ?? '', seconds]);
    this.sweep();
    const hit = this.cache.get(key);
    if (hit && this.now() < hit.refreshAt) return hit.token.status!.token;
    const tr = await this.request(namespace, sa, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: audience ? [audience] : [],
        expirationSeconds: seconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid },
      },
    });
    if (!tr.status?.token) throw new Error('the token request answered no token');
    this.cache.set(key, { token: tr, refreshAt: refreshTime(tr, Math.random() * MAX_JITTER_MS) });
    return tr.status.token;
  }

  /** Drops tokens past their expiry (those of pods gone long ago). */
  private sweep(): void {
    const now = this.now();
    for (const [key, cached] of this.cache) if (Date.parse(cached.token.status?.expirationTimestamp ?? '') <= now) this.cache.delete(key);
  }

  /** Forgets a pod's tokens (it is gone). */
  forgetPod(uid: string): void {
    for (const key of this.cache.keys()) if ((JSON.parse(key) as string[])[0] === uid) this.cache.delete(key);
  }

  /** The projector of serviceAccountToken sources. */
  projector(): SourceProjector<'serviceAccountToken'> {
    return async (src, ctx): Promise<ProjectedFile[]> => {
      let token: string;
      try {
        token = await this.tokenFor(ctx.pod, src.audience, src.expirationSeconds);
      } catch (err) {
        // upstream's message; the token itself is never part of it.
        throw new Error(`failed to fetch token: ${errorMessage(err)}`);
      }
      // The volume's defaultMode (kube-api-access: 0644), as upstream writes it.
      return [{ path: src.path, data: Buffer.from(token), mode: ctx.defaultMode }];
    };
  }
}
