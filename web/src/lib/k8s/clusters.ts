// Deploy targets: `local` (the embedded engine at the same origin) and every cluster added from a
// kubeconfig, reached through `/clusters/<name>/...` (the server proxies with the cluster's own
// credentials). Contract: clusters/cluster-routes.ts and api/clusters.ts on the server side.
import type { Cluster, ClusterCreateRequest, ClusterList } from '../../../../api/clusters.js';
import type { Status } from '../../../../api/meta.js';
import { ApiError, isAlreadyExists } from './api-error.js';
import type { KubeClient } from './client.js';
import { errorMessage } from '../../../../machinery/error-message.js';

/** The name of the server's own engine (api/clusters.ts LOCAL_CLUSTER_NAME). */
export const LOCAL_CLUSTER_NAME = 'local';
/** Where the deploy targets are listed, added and proxied (api/clusters.ts CLUSTERS_PATH). */
export const CLUSTERS_PATH = '/clusters';

export interface ClusterInfo {
  name: string;
  /** The API root for KubeClient: '' for local, '/clusters/<name>' otherwise. */
  baseUrl: string;
  /** True for `local`, the embedded engine (it cannot be removed). */
  local?: boolean;
  /** The API server's URL. */
  server?: string;
  /** The kubeconfig context it was added from, and that context's namespace. */
  context?: string;
  namespace?: string;
  /** When it was added (RFC 3339). */
  creationTimestamp?: string;
  /** Whether GET /version answered at the last probe; undefined when not probed (yet). */
  reachable?: boolean;
  /** The cluster's gitVersion, when reachable. */
  version?: string;
  /** Why it is unreachable. */
  message?: string;
  lastProbeTime?: string;
}

export const LOCAL_CLUSTER: ClusterInfo = { name: LOCAL_CLUSTER_NAME, baseUrl: '', local: true };

export function clusterBaseUrl(name: string): string {
  return name === LOCAL_CLUSTER_NAME ? '' : `${CLUSTERS_PATH}/${encodeURIComponent(name)}`;
}

/** One Cluster as the console keeps it; undefined when it has no name. */
export function clusterInfoFrom(c: Partial<Cluster> | undefined): ClusterInfo | undefined {
  const name = c?.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const spec = c?.spec;
  const status = c?.status;
  const info: ClusterInfo = { name, baseUrl: clusterBaseUrl(name) };
  if (spec?.local === true || name === LOCAL_CLUSTER_NAME) info.local = true;
  if (spec?.server) info.server = spec.server;
  if (spec?.context) info.context = spec.context;
  if (spec?.namespace) info.namespace = spec.namespace;
  if (c?.metadata?.creationTimestamp) info.creationTimestamp = c.metadata.creationTimestamp;
  if (status && typeof status.reachable === 'boolean') {
    info.reachable = status.reachable;
    if (status.version) info.version = status.version;
    if (status.message) info.message = status.message;
    if (status.lastProbeTime) info.lastProbeTime = status.lastProbeTime;
  }
  return info;
}

/**
 * The clusters of a ClusterList, `local` first (added if the server left it out: it is always
 * there, at the same origin). Items without a name are skipped; a name seen twice counts once.
 */
export function clustersFromList(body: unknown): ClusterInfo[] {
  const items = (body as Partial<ClusterList> | undefined)?.items;
  const seen = new Set<string>();
  const out: ClusterInfo[] = [];
  for (const item of Array.isArray(items) ? items : []) {
    const info = clusterInfoFrom(item as Partial<Cluster>);
    if (!info || seen.has(info.name)) continue;
    seen.add(info.name);
    out.push(info);
  }
  const local = out.find((c) => c.name === LOCAL_CLUSTER_NAME) ?? LOCAL_CLUSTER;
  return [local, ...out.filter((c) => c.name !== LOCAL_CLUSTER_NAME)];
}

/**
 * `GET /clusters` through the local client (session cookie; a 401 ends the session). A server
 * without deploy targets (no JSON at /clusters: the console's own page) has just `local`.
 * Other failures are thrown as ApiError.
 */
export async function fetchClusters(local: KubeClient, signal?: AbortSignal): Promise<ClusterInfo[]> {
  const res = await local.request('GET', CLUSTERS_PATH, { signal });
  if (!(res.headers.get('content-type') ?? '').includes('json')) return [LOCAL_CLUSTER];
  return clustersFromList(await res.json());
}

/** Reads `GET /clusters` (a ClusterList); when it cannot be read, just `local`. */
export async function listClusters(f: typeof fetch = fetch): Promise<ClusterInfo[]> {
  try {
    const res = await f(CLUSTERS_PATH, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('json')) return [LOCAL_CLUSTER];
    return clustersFromList(await res.json());
  } catch {
    return [LOCAL_CLUSTER];
  }
}

/** `POST /clusters`: adds a cluster from a kubeconfig; the server probes it at once. */
export async function addCluster(local: KubeClient, req: ClusterCreateRequest): Promise<ClusterInfo> {
  const body: ClusterCreateRequest = { name: req.name, kubeconfig: req.kubeconfig, ...(req.context ? { context: req.context } : {}) };
  const created = await local.requestJSON<Cluster>('POST', CLUSTERS_PATH, { body });
  return clusterInfoFrom(created) ?? { name: req.name, baseUrl: clusterBaseUrl(req.name) };
}

/** `DELETE /clusters/<name>`. */
export async function removeCluster(local: KubeClient, name: string): Promise<void> {
  await local.requestJSON<Status>('DELETE', `${CLUSTERS_PATH}/${encodeURIComponent(name)}`);
}

/** The Add cluster form's fields. */
export type ClusterFormField = 'name' | 'kubeconfig' | 'context';

export interface ClusterFormErrors {
  fields: Partial<Record<ClusterFormField, string[]>>;
  /** What belongs to no field. */
  general: string[];
}

/**
 * Puts a failed add's Status on the form's fields: causes at `name` and `context` on those
 * fields; `kubeconfig` and any path inside it (`kubeconfig.users[u].user.client-key`) on the
 * kubeconfig field, with the inner path named; AlreadyExists on the name.
 */
export function clusterFormErrors(err: unknown): ClusterFormErrors {
  const out: ClusterFormErrors = { fields: {}, general: [] };
  const add = (field: ClusterFormField, msg: string) => (out.fields[field] ??= []).push(msg);
  if (!(err instanceof ApiError)) {
    out.general.push(errorMessage(err));
    return out;
  }
  if (isAlreadyExists(err)) {
    add('name', err.message);
    return out;
  }
  for (const c of err.causes) {
    const field = c.field ?? '';
    const message = c.message ?? c.reason ?? '';
    if (field === 'name' || field === 'context') add(field, message);
    else if (field === 'kubeconfig') add('kubeconfig', message);
    else if (field.startsWith('kubeconfig.')) add('kubeconfig', `${field.slice('kubeconfig.'.length)}: ${message}`);
    else out.general.push(field ? `${field}: ${message}` : message);
  }
  if (err.causes.length === 0) out.general.push(err.message);
  return out;
}
