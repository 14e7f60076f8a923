// The chosen deploy cluster and its KubeClient; the console talks to nothing else. Every screen
// below the provider uses the current cluster's client (`/clusters/<name>/...` for an added one,
// the same origin for `local`); the cluster list itself is read from `local` (GET /clusters).
// The address names the cluster in use (`?cluster=lab`, absent for `local`), so a link copied
// from the browser opens the same cluster; a link that names one chooses it.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
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
export const CLUSTER_PARAM = 'cluster';

function remember(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // storage unavailable
  }
}

export function ClusterProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const session = useSession();
  const [clusters, setClusters] = useState<ClusterInfo[]>([LOCAL_CLUSTER]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [params, setParams] = useSearchParams();
  const linked = params.get(CLUSTER_PARAM);
  const [currentName, setCurrentName] = useState<string>(() => {
    if (linked) {
      remember(linked);
      return linked;
    }
    try {
      return localStorage.getItem(STORAGE_KEY) ?? LOCAL_CLUSTER_NAME;
    } catch {
      return LOCAL_CLUSTER_NAME;
    }
  });
  /** The address with `?cluster=` naming `name` (none for local). */
  const paramsFor = useCallback(
    (name: string) => {
      const p = new URLSearchParams(params);
      if (name === LOCAL_CLUSTER_NAME) p.delete(CLUSTER_PARAM);
      else p.set(CLUSTER_PARAM, name);
      return p;
    },
    [params],
  );

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
        remember(name);
        setParams(paramsFor(name), { replace: true });
      },
    };
  }, [clusters, loaded, error, currentName, clientFor, refresh, paramsFor, setParams]);

  // Navigations run as transitions: the address can lag a choice by a render, so only a change
  // of the address (a link followed) chooses a cluster.
  const lastLinked = useRef(linked);
  useEffect(() => {
    const followed = linked !== lastLinked.current;
    lastLinked.current = linked;
    if (followed && linked && linked !== currentName) {
      setCurrentName(linked);
      remember(linked);
      return;
    }
    // Otherwise the address follows the cluster in use (navigation drops the parameter; a
    // cluster that is gone falls back to local).
    const wanted = value.current.name === LOCAL_CLUSTER_NAME ? null : value.current.name;
    if (linked !== wanted) setParams(paramsFor(value.current.name), { replace: true });
  }, [linked, currentName, value.current.name, paramsFor, setParams]);

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
