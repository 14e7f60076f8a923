// Every resource the API server serves, one ResourceDefinition per folder.
import type { ResourceDefinition } from './resource.js';
import { configMaps } from './configmaps/index.js';
import { cronJobs } from './cronjobs/index.js';
import { customResourceDefinitions } from './customresourcedefinitions/index.js';
import { daemonSets } from './daemonsets/index.js';
import { deployments } from './deployments/index.js';
import { endpoints } from './endpoints/index.js';
import { endpointSlices } from './endpointslices/index.js';
import { events } from './events/index.js';
import { eventsV1 } from './events/events-v1.js';
import { ingresses } from './ingresses/index.js';
import { jobs } from './jobs/index.js';
import { leases } from './leases/index.js';
import { logstores } from './logstores/index.js';
import { nodeMetricsResource, podMetricsResource } from './metrics/index.js';
import { namespaces } from './namespaces/index.js';
import { nodes } from './nodes/index.js';
import { persistentVolumeClaims } from './persistentvolumeclaims/index.js';
import { persistentVolumes } from './persistentvolumes/index.js';
import { podDisruptionBudgets } from './poddisruptionbudgets/index.js';
import { pods } from './pods/index.js';
import { priorityClasses } from './priorityclasses/index.js';
import { replicaSets } from './replicasets/index.js';
import { replicationControllers } from './replicationcontrollers/index.js';
import { secrets } from './secrets/index.js';
import { serviceAccounts } from './serviceaccounts/index.js';
import { selfSubjectAccessReviews } from './selfsubjectaccessreviews/index.js';
import { selfSubjectReviews } from './selfsubjectreviews/index.js';
import { selfSubjectRulesReviews } from './selfsubjectrulesreviews/index.js';
import { services } from './services/index.js';
import { statefulSets } from './statefulsets/index.js';

export { configMaps } from './configmaps/index.js';
export { cronJobs } from './cronjobs/index.js';
export { customResourceDefinitions } from './customresourcedefinitions/index.js';
export { daemonSets } from './daemonsets/index.js';
export { deployments } from './deployments/index.js';
export { endpoints } from './endpoints/index.js';
export { endpointSlices } from './endpointslices/index.js';
export { events } from './events/index.js';
export { eventsV1 } from './events/events-v1.js';
export { ingresses } from './ingresses/index.js';
export { jobs } from './jobs/index.js';
export { leases } from './leases/index.js';
export { logstores } from './logstores/index.js';
export { nodeMetricsResource, podMetricsResource } from './metrics/index.js';
export { namespaces } from './namespaces/index.js';
export { nodes } from './nodes/index.js';
export { persistentVolumeClaims } from './persistentvolumeclaims/index.js';
export { persistentVolumes } from './persistentvolumes/index.js';
export { podDisruptionBudgets } from './poddisruptionbudgets/index.js';
export { pods } from './pods/index.js';
export { priorityClasses } from './priorityclasses/index.js';
export { replicaSets } from './replicasets/index.js';
export { replicationControllers } from './replicationcontrollers/index.js';
export { secrets } from './secrets/index.js';
export { serviceAccounts } from './serviceaccounts/index.js';
export { selfSubjectAccessReviews } from './selfsubjectaccessreviews/index.js';
export { selfSubjectReviews } from './selfsubjectreviews/index.js';
export { selfSubjectRulesReviews } from './selfsubjectrulesreviews/index.js';
export { services } from './services/index.js';
export { statefulSets } from './statefulsets/index.js';

/**
 * All served resources; discovery, handlers and OpenAPI iterate this list. Groups come in
 * upstream's discovery order: core/v1 (persistentvolumes and replicationcontrollers read-only), apps/v1 (read-only: daemonsets,
 * deployments, replicasets, statefulsets), events.k8s.io/v1 (served from core/v1's events), authentication.k8s.io/v1 and authorization.k8s.io/v1
 * (the create-only reviews), batch/v1 (cronjobs before jobs, as upstream lists them), networking.k8s.io/v1 (read-only ingresses), policy/v1,
 * apiextensions.k8s.io/v1 (CRDs; the custom resources they define come after every built-in group),
 * scheduling.k8s.io/v1, coordination.k8s.io/v1, then our logs.jobyard.io/v1, then metrics.k8s.io/v1beta1 (computed, as metrics-server's aggregated API:
 * nodes, pods).
 */
export const allResources: ResourceDefinition[] = [
  namespaces,
  nodes,
  pods,
  configMaps,
  secrets,
  serviceAccounts,
  events,
  persistentVolumeClaims,
  services,
  endpoints,
  persistentVolumes,
  replicationControllers,
  daemonSets,
  deployments,
  replicaSets,
  statefulSets,
  eventsV1,
  selfSubjectReviews,
  selfSubjectAccessReviews,
  selfSubjectRulesReviews,
  cronJobs,
  jobs,
  ingresses,
  podDisruptionBudgets,
  customResourceDefinitions,
  priorityClasses,
  leases,
  endpointSlices,
  logstores,
  nodeMetricsResource,
  podMetricsResource,
];
