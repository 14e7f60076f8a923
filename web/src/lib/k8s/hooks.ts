// React hooks over the client: live lists and objects (list + watch), and a ticking clock.
import { createContext, useContext, useEffect, useState } from 'react';
import type { KubeClient } from './client.js';
import { startListWatch, type ListWatchState } from './list-watch.js';
import type { K8sObject, ResourceDescriptor } from './resources.js';

export const KubeClientContext = createContext<KubeClient | undefined>(undefined);

/** The client of the chosen cluster. */
export function useKubeClient(): KubeClient {
  const c = useContext(KubeClientContext);
  if (!c) throw new Error('useKubeClient outside a cluster');
  return c;
}

export interface LiveList<T> {
  items?: T[];
  error?: Error;
  /** True once the first list answered. */
  loaded: boolean;
}

export interface LiveListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** False to wait (e.g. until a selector is known). */
  enabled?: boolean;
  /** Another cluster's client than the current one (the wizard's deploy cluster). */
  client?: KubeClient;
}

/** The live list of a resource: listed once, then kept current by a watch (relisting on 410). */
export function useKubeList<T extends K8sObject>(resource: ResourceDescriptor<T>, o: LiveListOptions = {}): LiveList<T> {
  const current = useKubeClient();
  const client = o.client ?? current;
  const [state, setState] = useState<ListWatchState<T>>({});
  const enabled = o.enabled ?? true;
  useEffect(() => {
    setState({});
    if (!enabled) return undefined;
    return startListWatch(client, resource, { namespace: o.namespace, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector }, setState);
  }, [client, resource, o.namespace, o.labelSelector, o.fieldSelector, enabled]);
  return { items: state.list?.items, error: state.error, loaded: state.list !== undefined };
}

export interface LiveObject<T> {
  object?: T;
  error?: Error;
  loaded: boolean;
  /** Loaded, and no such object (never existed or deleted). */
  notFound: boolean;
}

/** One object, live (a watch with fieldSelector metadata.name). */
export function useKubeObject<T extends K8sObject>(resource: ResourceDescriptor<T>, namespace: string | undefined, name: string | undefined): LiveObject<T> {
  const l = useKubeList(resource, { namespace, fieldSelector: name ? `metadata.name=${name}` : undefined, enabled: !!name });
  const object = l.items?.find((o) => o.metadata.name === name);
  return { object, error: l.error, loaded: l.loaded, notFound: l.loaded && !object };
}

/** The current time in ms, updated every `intervalMs` (durations of running jobs tick). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
