// metrics.k8s.io/v1beta1 (k8s.io/metrics, as metrics-server serves it): the resource usage
// `kubectl top` reads, and the contract by which the node reports it to the API server.
import type { ObjectMeta } from './meta.js';
import type { Pod } from './core.js';

/** Usage of one container: cpu in cores ("123456n", "5m"), memory as a working set in bytes ("1308Ki"). */
export interface ContainerMetrics {
  name: string;
  usage: Record<string, string>;
}

export interface PodMetrics {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  /** The end of the interval the figures cover (RFC 3339). */
  timestamp: string;
  /** The interval's length, as a Go duration ("15.021s"). */
  window: string;
  containers: ContainerMetrics[];
}

export interface NodeMetrics {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  timestamp: string;
  window: string;
  usage: Record<string, string>;
}

/** Figures over one interval: CPU as a rate, memory at its end. */
export interface UsageSample {
  /** The end of the interval. */
  timestamp: Date;
  windowMs: number;
  /** CPU time used per second over the window, in billionths of a core. */
  cpuNanoCores: number;
  /** Memory in use less what the kernel reclaims at once (usage − inactive_file), bytes. */
  memoryWorkingSetBytes: number;
}

export interface PodUsage {
  /** The pod's uid. */
  uid: string;
  timestamp: Date;
  windowMs: number;
  containers: (Omit<UsageSample, 'timestamp' | 'windowMs'> & { name: string })[];
}

/**
 * What a node reports (upstream: the kubelet's resource metrics, as metrics-server scrapes them);
 * cmd/ wires the in-process agent's to the API server, as for pods/log.
 */
export interface ResourceMetricsProvider {
  /** Usage of these pods' running containers; a pod with no running container is left out. */
  podUsage(pods: Pod[]): Promise<PodUsage[]>;
  /** Usage of the whole node; undefined for a node this provider does not run. */
  nodeUsage(nodeName: string): Promise<UsageSample | undefined>;
}
