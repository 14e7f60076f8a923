// The chosen deploy cluster and its KubeClient; the console talks to nothing else.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { KubeClient } from '../lib/k8s/client.js';
import { LOCAL_CLUSTER, listClusters, type ClusterInfo } from '../lib/k8s/clusters.js';
import { KubeClientContext } from '../lib/k8s/hooks.js';
import { useSession } from './session.js';

export interface ClusterContextValue {
  clusters: ClusterInfo[];
  current: ClusterInfo;
  select(name: string): void;
  /** A client for any cluster by name (the wizard may deploy to another one). */
  clientFor(name: string): KubeClient;
}

const ClusterContext = createContext<ClusterContextValue | undefined>(undefined);
const STORAGE_KEY = 'jobyard.cluster';

export function ClusterProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const session = useSession();
  const [clusters, setClusters] = useState<ClusterInfo[]>([LOCAL_CLUSTER]);
  const [currentName, setCurrentName] = useState<string>(() => {
    try {
      return localStorage.getItem(STORAGE_KEY) ?? 'local';
    } catch {
      return 'local';
    }
  });
  useEffect(() => {
    let cancelled = false;
    void listClusters(fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a))).then((c) => {
      if (!cancelled) setClusters(c);
    });
    return () => {
      cancelled = true;
    };
  }, [fetchImpl]);

  const clients = useMemo(() => new Map<string, KubeClient>(), []);
  const value = useMemo<ClusterContextValue>(() => {
    const clientFor = (name: string) => {
      let c = clients.get(name);
      if (!c) {
        const info = clusters.find((x) => x.name === name) ?? { name, baseUrl: name === 'local' ? '' : `/clusters/${encodeURIComponent(name)}` };
        c = new KubeClient({ baseUrl: info.baseUrl, csrfToken: session.csrfToken, onUnauthorized: session.expired, fetch: fetchImpl });
        clients.set(name, c);
      }
      return c;
    };
    const current = clusters.find((c) => c.name === currentName) ?? clusters[0] ?? LOCAL_CLUSTER;
    return {
      clusters,
      current,
      clientFor,
      select: (name: string) => {
        setCurrentName(name);
        try {
          localStorage.setItem(STORAGE_KEY, name);
        } catch {
          // storage unavailable
        }
      },
    };
  }, [clusters, currentName, clients, session.csrfToken, session.expired, fetchImpl]);

  return (
    <ClusterContext.Provider value={value}>
      <KubeClientContext.Provider value={value.clientFor(value.current.name)}>{children}</KubeClientContext.Provider>
    </ClusterContext.Provider>
  );
}

export function useClusters(): ClusterContextValue {
  const v = useContext(ClusterContext);
  if (!v) throw new Error('useClusters outside ClusterProvider');
  return v;
}
