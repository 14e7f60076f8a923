// Wire types of k8s.io/api core/v1 Service and Endpoints, and discovery.k8s.io/v1 EndpointSlice.
import type { MetaCondition } from './policy.js';
import type { ObjectReference } from './core.js';
import type { ObjectMeta, TypeMeta } from './meta.js';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type ServiceAffinity = 'None' | 'ClientIP';
export type IPFamily = 'IPv4' | 'IPv6';
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** spec.clusterIP of a headless Service. */
export const CLUSTER_IP_NONE = 'None';

export interface ServicePort {
  name?: string;
  protocol?: ServiceProtocol;
  appProtocol?: string;
  port: number;
  /** A number, or the name of a container port resolved per pod. */
  targetPort?: number | string;
  nodePort?: number;
}

export interface SessionAffinityConfig {
  clientIP?: { timeoutSeconds?: number };
}

export interface ServiceSpec {
  ports?: ServicePort[];
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  type?: ServiceType;
  externalIPs?: string[];
  sessionAffinity?: ServiceAffinity;
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  externalName?: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  publishNotReadyAddresses?: boolean;
  sessionAffinityConfig?: SessionAffinityConfig;
  ipFamilies?: IPFamily[];
  ipFamilyPolicy?: IPFamilyPolicy;
  allocateLoadBalancerNodePorts?: boolean;
  loadBalancerClass?: string;
  internalTrafficPolicy?: 'Cluster' | 'Local';
  trafficDistribution?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: 'VIP' | 'Proxy';
  ports?: { port: number; protocol: ServiceProtocol; error?: string }[];
}

export interface ServiceStatus {
  loadBalancer?: { ingress?: LoadBalancerIngress[] };
  conditions?: MetaCondition[];
}

export interface Service extends TypeMeta {
  metadata: ObjectMeta;
  spec?: ServiceSpec;
  status?: ServiceStatus;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: ServiceProtocol;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints extends TypeMeta {
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  deprecatedTopology?: Record<string, string>;
  nodeName?: string;
  zone?: string;
  hints?: { forZones?: { name: string }[]; forNodes?: { name: string }[] };
}

export interface EndpointSlicePort {
  name?: string;
  protocol?: ServiceProtocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends TypeMeta {
  metadata: ObjectMeta;
  addressType: AddressType;
  endpoints: SliceEndpoint[] | null;
  ports: EndpointSlicePort[] | null;
}

/** Well-known labels and annotations of upstream's endpoints controllers (discovery/v1 well_known_labels.go, core/v1 annotation_key_constants.go). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINT_SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ENDPOINT_SLICE_MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const ENDPOINTS_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Endpoints this label names are not mirrored into EndpointSlices. */
export const ENDPOINTS_SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** Label that marks a Service without its own proxy and endpoints (service.kubernetes.io/headless). */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
