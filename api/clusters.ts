// Wire types of the deploy targets (clusters.jobyard.io/v1): `local` (this server's embedded
// engine) and any cluster added from a kubeconfig, reached through `/clusters/<name>/...`.
// Not a resource of the Kubernetes API: these live beside it, as kubeconfig contexts do.

import type { ListMeta, ObjectMeta } from './meta.js';

export const CLUSTERS_API_VERSION = 'clusters.jobyard.io/v1';
/** The name of this server's own engine; it cannot be added or removed. */
export const LOCAL_CLUSTER_NAME = 'local';
/** Where the deploy targets are listed, added and proxied. */
export const CLUSTERS_PATH = '/clusters';

export interface ClusterSpec {
  /** The API server's URL (from the kubeconfig's cluster; this server's own for `local`). */
  server: string;
  /** The kubeconfig context the cluster was added from. */
  context?: string;
  /** The context's namespace, if it names one. */
  namespace?: string;
  /** True for `local`, the embedded engine. */
  local?: boolean;
}

export interface ClusterStatus {
  /** Whether GET /version answered when the cluster was last probed. */
  reachable: boolean;
  /** The cluster's gitVersion, when reachable. */
  version?: string;
  /** Why it is not reachable (no credentials are ever part of it). */
  message?: string;
  lastProbeTime: string;
}

export interface Cluster {
  apiVersion: typeof CLUSTERS_API_VERSION;
  kind: 'Cluster';
  metadata: ObjectMeta;
  spec: ClusterSpec;
  status?: ClusterStatus;
}

export interface ClusterList {
  apiVersion: typeof CLUSTERS_API_VERSION;
  kind: 'ClusterList';
  metadata: ListMeta;
  items: Cluster[];
}

/** The body of POST /clusters. */
export interface ClusterCreateRequest {
  name: string;
  /** A kubeconfig, YAML or JSON, with every certificate and key embedded (`...-data`). */
  kubeconfig: string;
  /** The context to use; default the kubeconfig's current-context. */
  context?: string;
}
