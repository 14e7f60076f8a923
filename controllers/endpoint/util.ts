// What the endpoints and EndpointSlice controllers share (pkg/controller/util/endpoint,
// pkg/api/v1/pod FindPort): which pods count, a pod's address and ports, the last change trigger
// time, and the services a pod may belong to.
import type { Pod, Service, ServicePort } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';
import { rfc3339 } from '../../machinery/index.js';

export type PodView = DeepReadonly<Pod>;
export type ServiceView = DeepReadonly<Service>;

export const SERVICES = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true } as const;
export const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true } as const;
export const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true } as const;

export function isPodReady(pod: PodView): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not being deleted unless terminating pods are included. */
export function shouldPodBeInEndpoints(pod: PodView, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pod's IPv4 address (the service's only family here). */
export function podIPv4(pod: PodView): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].filter((ip): ip is string => !!ip);
  return ips.find((ip) => !ip.includes(':'));
}

/** ShouldSetHostname: the pod names this (headless) service as its subdomain and has a hostname. */
export function shouldSetHostname(pod: PodView, svc: ServiceView): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/**
 * podutil.FindPort: a numeric targetPort as is; a named one from the containers' (and restartable
 * init containers') ports of that name and protocol; undefined when the pod has none.
 */
export function findPort(pod: PodView, port: DeepReadonly<ServicePort>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** Does the service's selector pick the pod? (A nil or empty selector picks none here: selectorless.) */
export function selects(svc: ServiceView, labels: Readonly<Record<string, string>> | undefined): boolean {
  const selector = svc.spec?.selector;
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * TriggerTimeTracker: the endpoints.kubernetes.io/last-change-trigger-time of a write, the
 * earliest trigger (a pod's Ready transition, the service's creation) newer than at the last
 * write; the service's creation time for a service seen the first time; none when no trigger changed.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(svc: ServiceView, pods: readonly PodView[]): string | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const state = this.states.get(key);
    const podTimes = new Map<string, number>();
    let min: number | undefined;
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
      if (!ready) continue;
      const t = Date.parse(ready);
      podTimes.set(pod.metadata.name ?? '', t);
      if (t > (state?.pods.get(pod.metadata.name ?? '') ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const serviceTime = Date.parse(svc.metadata.creationTimestamp ?? '') || 0;
    if (serviceTime > (state?.service ?? -Infinity)) min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    this.states.set(key, { pods: podTimes, service: serviceTime });
    if (!state) return svc.metadata.creationTimestamp ?? undefined;
    return min === undefined ? undefined : rfc3339(new Date(min));
  }

  forget(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}
