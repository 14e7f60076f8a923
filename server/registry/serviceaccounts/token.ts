// serviceaccounts/token: TokenRequest (upstream pkg/registry/core/serviceaccount/storage/token.go).
// The body is an authentication.k8s.io/v1 TokenRequest; the answer carries a signed JWT for the
// service account, for the audiences asked (the API server's when none), valid
// expirationSeconds (default 3600, at least 600), bound to a Pod or a Secret if asked: then it
// is valid only while that object exists with that uid (the authenticator checks).
import type { FastifyReply } from 'fastify';
import type { KubeObject, Pod, TokenRequest } from '../../../api/index.js';
import { AUTHENTICATION, definitions } from '../../../api/schema/index.js';
import { badRequest, checkAgainstSchema, conflict, type FieldError, fieldErrors, invalid, isNotFound, notFound } from '../../../machinery/index.js';
import type { NamedUid } from '../../serviceaccount/tokens.js';
import { nodes } from '../nodes/index.js';
import { pods } from '../pods/index.js';
import type { SubresourceRequest } from '../resource.js';
import { secrets } from '../secrets/index.js';

const TOKEN_REQUEST_SCHEMA = { type: 'ref', ref: AUTHENTICATION + 'TokenRequest' } as const;
/** upstream validation's MinTokenAgeSec and MaxTokenAgeSec. */
export const MIN_TOKEN_AGE_SECONDS = 600;
export const MAX_TOKEN_AGE_SECONDS = 2 ** 32;
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** The body as a TokenRequest: Go's decoder's refusals as 400s. */
export function decodeTokenRequest(body: unknown): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('json: cannot unmarshal the body into Go value of type authentication.TokenRequest');
  const typeError = checkAgainstSchema(body, TOKEN_REQUEST_SCHEMA, definitions).typeErrors[0];
  if (typeError) throw badRequest(typeError);
  const tr = body as TokenRequest;
  if (tr.kind !== undefined && tr.kind !== 'TokenRequest') throw badRequest(`not a TokenRequest object: ${String(tr.kind)}`);
  if (tr.apiVersion !== undefined && tr.apiVersion !== 'authentication.k8s.io/v1') {
    throw badRequest(`the API version in the data (${String(tr.apiVersion)}) does not match the expected API version (authentication.k8s.io/v1)`);
  }
  tr.spec ??= { audiences: [] };
  return tr;
}

/** SetDefaults_TokenRequestSpec and the storage's audiences default. */
export function defaultTokenRequest(tr: TokenRequest, apiAudiences: string[]): void {
  if (tr.spec.expirationSeconds === undefined || tr.spec.expirationSeconds === null) tr.spec.expirationSeconds = DEFAULT_TOKEN_EXPIRATION_SECONDS;
  if (!tr.spec.audiences?.length) tr.spec.audiences = [...apiAudiences];
}

/** ValidateTokenRequest. */
export function validateTokenRequest(tr: TokenRequest): FieldError[] {
  const errs: FieldError[] = [];
  const seconds = tr.spec.expirationSeconds ?? 0;
  if (seconds < MIN_TOKEN_AGE_SECONDS) errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  if (seconds > MAX_TOKEN_AGE_SECONDS) errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

function getOrUndefined(req: SubresourceRequest, def: Parameters<SubresourceRequest['registry']['get']>[0], namespace: string, name: string): KubeObject | undefined {
  try {
    return req.registry.get(def, namespace, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function handleTokenRequest(req: SubresourceRequest): Promise<FastifyReply> {
  const issuer = req.serviceAccountTokens;
  if (!issuer) throw notFound('serviceaccounts', '', req.name);
  const tr = decodeTokenRequest(await req.body(TOKEN_REQUEST_SCHEMA));
  defaultTokenRequest(tr, issuer.apiAudiences);
  const errs = validateTokenRequest(tr);
  if (errs.length) throw invalid('TokenRequest', 'authentication.k8s.io', '', errs);
  const sa = req.get();
  const serviceAccount: NamedUid = { name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' };

  let pod: NamedUid | undefined;
  let secret: NamedUid | undefined;
  let node: NamedUid | undefined;
  const ref = tr.spec.boundObjectRef;
  if (ref) {
    const apiVersion = ref.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    const name = ref.name ?? '';
    let uid: string;
    if (group === '' && ref.kind === 'Pod') {
      const p = req.registry.get(pods, req.namespace, name) as unknown as Pod;
      if (req.name !== (p.spec.serviceAccountName ?? '')) {
        throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(req.name)} to pod running with different serviceaccount name.`);
      }
      uid = p.metadata.uid ?? '';
      pod = { name, uid };
      // The node the pod runs on (upstream's ServiceAccountTokenPodNodeInfo).
      const nodeName = p.spec.nodeName;
      const n = nodeName ? getOrUndefined(req, nodes, '', nodeName) : undefined;
      if (n) node = { name: nodeName!, uid: n.metadata.uid ?? '' };
    } else if (group === '' && ref.kind === 'Secret') {
      const s = req.registry.get(secrets, req.namespace, name);
      uid = s.metadata.uid ?? '';
      secret = { name, uid };
    } else {
      throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`);
    }
    if (ref.uid && ref.uid !== uid) {
      throw conflict(
        ref.kind === 'Pod' ? 'Pod' : 'Secret',
        '',
        name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
  }

  const { token } = await issuer.issue({
    namespace: req.namespace,
    serviceAccount,
    audiences: tr.spec.audiences,
    expirationSeconds: tr.spec.expirationSeconds!,
    pod,
    secret,
    node,
    now: req.now,
  });
  const out: TokenRequest = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...(tr.metadata ?? {}), name: serviceAccount.name, namespace: req.namespace, creationTimestamp: null as unknown as string },
    spec: tr.spec,
    // upstream answers now + spec.expirationSeconds, also for an extended token (whose JWT lives a
    // year): the kubelet renews it by this time, so kube-api-access tokens turn over hourly.
    status: { token, expirationTimestamp: new Date(Math.floor(req.now.getTime() / 1000) * 1000 + tr.spec.expirationSeconds! * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
  return req.send(201, out);
}
