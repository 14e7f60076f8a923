// Deploy targets. Today one, `local` (the embedded engine at the same origin); later any cluster
// from a kubeconfig, reached through `/clusters/<name>`.

export interface ClusterInfo {
  name: string;
  /** The API root for KubeClient: '' for local, '/clusters/<name>' otherwise. */
  baseUrl: string;
}

export const LOCAL_CLUSTER: ClusterInfo = { name: 'local', baseUrl: '' };

export function clusterBaseUrl(name: string): string {
  return name === 'local' ? '' : `/clusters/${encodeURIComponent(name)}`;
}

/** Reads `GET /clusters` ({items:[{name}]}); anything else means just `local`. */
export async function listClusters(f: typeof fetch = fetch): Promise<ClusterInfo[]> {
  try {
    const res = await f('/clusters', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('json')) return [LOCAL_CLUSTER];
    const body = (await res.json()) as { items?: { name?: unknown }[] };
    const names = (body.items ?? []).map((i) => i.name).filter((n): n is string => typeof n === 'string' && n !== '');
    if (names.length === 0) return [LOCAL_CLUSTER];
    return names.map((name) => ({ name, baseUrl: clusterBaseUrl(name) }));
  } catch {
    return [LOCAL_CLUSTER];
  }
}
