// The chosen deploy cluster and its KubeClient; the console talks to nothing else. Every screen
// below the provider uses the current cluster's client (`/clusters/<name>/...` for an added one,
// the same origin for `local`); the cluster list itself is read from `local` (GET /clusters).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/k8s/api-error.js';
import { KubeClient } from '../lib/k8s/client.js';
import { clusterBaseUrl, fetchClusters, LOCAL_CLUSTER, LOCAL_CLUSTER_NAME, type ClusterInfo } from '../lib/k8s/clusters.js';
import { KubeClientContext } from '../lib/k8s/hooks.js';
import { useSession } from './session.js';

export interface ClusterContextValue {
  clusters: ClusterInfo[];
  /** True once GET /clusters answered (or failed) the first time. */
  loaded: boolean;
  /** Why the last GET /clusters failed (the list then stays as it was). */
  error?: string;
  current: ClusterInfo;
  select(name: string): void;
  /** A client for any cluster by name (the wizard may deploy to another one). */
  clientFor(name: string): KubeClient;
  /** Lists (and so probes) the clusters again. */
  refresh(): Promise<void>;
}

const ClusterContext = createContext<ClusterContextValue | undefined>(undefined);
const STORAGE_KEY = 'jobyard.cluster';

export function ClusterProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const session = useSession();
  const [clusters, setClusters] = useState<ClusterInfo[]>([LOCAL_CLUSTER]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [currentName, setCurrentName] = useState<string>(() => {
    try {
      return localStorage.getItem(STORAGE_KEY) ?? LOCAL_CLUSTER_NAME;
    } catch {
      return LOCAL_CLUSTER_NAME;
    }
  });

  // One client per cluster name for the provider's life: a stable client keeps live lists open.
  const clients = useMemo(() => new Map<string, KubeClient>(), []);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const clientFor = useCallback(
    (name: string) => {
      let c = clients.get(name);
      if (!c) {
        c = new KubeClient({ baseUrl: clusterBaseUrl(name), csrfToken: () => sessionRef.current.csrfToken(), onUnauthorized: () => sessionRef.current.expired(), fetch: fetchImpl });
        clients.set(name, c);
      }
      return c;
    },
    [clients, fetchImpl],
  );

  const latest = useRef(0);
  const refresh = useCallback(async () => {
    const call = ++latest.current;
    try {
      const list = await fetchClusters(clientFor(LOCAL_CLUSTER_NAME));
      if (call !== latest.current) return;
      setClusters(list);
      setError(undefined);
    } catch (err) {
      if (call !== latest.current) return;
      setError(errorMessage(err));
    } finally {
      if (call === latest.current) setLoaded(true);
    }
  }, [clientFor]);

  useEffect(() => {
    void refresh();
    return () => {
      latest.current++;
    };
  }, [refresh]);

  const value = useMemo<ClusterContextValue>(() => {
    // Until the list is known, a remembered cluster is taken at its word (no flash of `local`'s
    // data); once known, a cluster that is gone falls back to `local`.
    const found = clusters.find((c) => c.name === currentName);
    const current = found ?? (!loaded && currentName !== LOCAL_CLUSTER_NAME ? { name: currentName, baseUrl: clusterBaseUrl(currentName) } : (clusters[0] ?? LOCAL_CLUSTER));
    return {
      clusters,
      loaded,
      error,
      current,
      clientFor,
      refresh,
      select: (name: string) => {
        setCurrentName(name);
        try {
          localStorage.setItem(STORAGE_KEY, name);
        } catch {
          // storage unavailable
        }
      },
    };
  }, [clusters, loaded, error, currentName, clientFor, refresh]);

  return (
    <ClusterContext.Provider value={value}>
      <KubeClientContext.Provider value={value.clientFor(value.current.name)}>{children}</KubeClientContext.Provider>
    </ClusterContext.Provider>
  );
}

/** The cluster context, or undefined outside a ClusterProvider (renderers tested on their own). */
export function useOptionalClusters(): ClusterContextValue | undefined {
  return useContext(ClusterContext);
}

export function useClusters(): ClusterContextValue {
  const v = useContext(ClusterContext);
  if (!v) throw new Error('useClusters outside ClusterProvider');
  return v;
}
