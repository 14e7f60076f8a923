// The wire schema of every served type, keyed by upstream OpenAPI definition names
// (io.k8s.api.batch.v1.Job, io.k8s.api.core.v1.PodSpec, ...). See types.ts for what it is used for.
import { AUTHENTICATION, AUTHORIZATION, BATCH, CORE, META, list, object, ref, str } from './builders.js';
import { APIEXTENSIONS, apiextensionsDefinitions } from './apiextensions.js';
import { APPS, appsDefinitions } from './apps.js';
import { authenticationDefinitions } from './authentication.js';
import { authorizationDefinitions } from './authorization.js';
import { batchDefinitions } from './batch.js';
import { COORDINATION, coordinationDefinitions } from './coordination.js';
import { coreDefinitions } from './core.js';
import { coreReadOnlyDefinitions } from './core-read-only.js';
import { EVENTS, eventsDefinitions } from './events.js';
import { LOGS, logsDefinitions } from './logs.js';
import { metaDefinitions } from './meta.js';
import { METRICS, metricsDefinitions } from './metrics.js';
import { NETWORKING, networkingDefinitions } from './networking.js';
import { POLICY, policyDefinitions } from './policy.js';
import { SCHEDULING, schedulingDefinitions } from './scheduling.js';
import { DISCOVERY, serviceDefinitions } from './service.js';
import { serviceAccountDefinitions } from './serviceaccount.js';
import type { Definitions, RefSchema, Schema } from './types.js';

export * from './types.js';
export { AUTHENTICATION, AUTHORIZATION, BATCH, CORE, META } from './builders.js';
export { LOGS } from './logs.js';
export { APIEXTENSIONS } from './apiextensions.js';
export { EVENTS } from './events.js';
export { APPS } from './apps.js';
export { NETWORKING } from './networking.js';
export { COORDINATION } from './coordination.js';
export { POLICY } from './policy.js';
export { SCHEDULING } from './scheduling.js';
export { DISCOVERY } from './service.js';
export { METRICS } from './metrics.js';

/** A group/version/kind as the x-kubernetes-group-version-kind extension spells it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The top-level kinds with a definition; each has a `<name>List` definition unless in kindsWithoutList. */
export const topLevelKinds: Record<string, GroupVersionKind> = {
  [BATCH + 'Job']: { group: 'batch', version: 'v1', kind: 'Job' },
  [BATCH + 'CronJob']: { group: 'batch', version: 'v1', kind: 'CronJob' },
  [CORE + 'Pod']: { group: '', version: 'v1', kind: 'Pod' },
  [CORE + 'Node']: { group: '', version: 'v1', kind: 'Node' },
  [CORE + 'Namespace']: { group: '', version: 'v1', kind: 'Namespace' },
  [CORE + 'ConfigMap']: { group: '', version: 'v1', kind: 'ConfigMap' },
  [CORE + 'Secret']: { group: '', version: 'v1', kind: 'Secret' },
  [CORE + 'ServiceAccount']: { group: '', version: 'v1', kind: 'ServiceAccount' },
  [CORE + 'Event']: { group: '', version: 'v1', kind: 'Event' },
  [CORE + 'PersistentVolume']: { group: '', version: 'v1', kind: 'PersistentVolume' },
  [CORE + 'ReplicationController']: { group: '', version: 'v1', kind: 'ReplicationController' },
  [APPS + 'DaemonSet']: { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  [APPS + 'Deployment']: { group: 'apps', version: 'v1', kind: 'Deployment' },
  [APPS + 'ReplicaSet']: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  [APPS + 'StatefulSet']: { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  [NETWORKING + 'Ingress']: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  [CORE + 'PersistentVolumeClaim']: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  [CORE + 'Service']: { group: '', version: 'v1', kind: 'Service' },
  [CORE + 'Endpoints']: { group: '', version: 'v1', kind: 'Endpoints' },
  [DISCOVERY + 'EndpointSlice']: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
  [EVENTS + 'Event']: { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
  [POLICY + 'PodDisruptionBudget']: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  [SCHEDULING + 'PriorityClass']: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  [COORDINATION + 'Lease']: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  [APIEXTENSIONS + 'CustomResourceDefinition']: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
  [LOGS + 'Logstore']: { group: 'logs.jobyard.io', version: 'v1', kind: 'Logstore' },
  [METRICS + 'PodMetrics']: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' },
  [METRICS + 'NodeMetrics']: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' },
  [AUTHENTICATION + 'SelfSubjectReview']: { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' },
  [AUTHORIZATION + 'SelfSubjectAccessReview']: { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' },
  [AUTHORIZATION + 'SelfSubjectRulesReview']: { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' },
};

/**
 * Top-level kinds upstream defines no List for: the create-only reviews, which are never
 * stored, so there is nothing to list.
 */
export const kindsWithoutList: ReadonlySet<string> = new Set([
  AUTHENTICATION + 'SelfSubjectReview',
  AUTHORIZATION + 'SelfSubjectAccessReview',
  AUTHORIZATION + 'SelfSubjectRulesReview',
]);

function listDefinitions(): Definitions {
  const defs: Definitions = {};
  for (const [name, gvk] of Object.entries(topLevelKinds)) {
    if (kindsWithoutList.has(name)) continue;
    defs[`${name}List`] = object(
      {
        apiVersion: str('The versioned schema of this representation of an object.'),
        items: list(ref(name), undefined, `The ${gvk.kind} objects.`),
        kind: str('The REST resource this object represents, in CamelCase.'),
        metadata: ref(META + 'ListMeta', "Standard list metadata."),
      },
      { required: ['items'], description: `A list of ${gvk.kind} objects.`, proto: { metadata: 1, items: 2 } },
    );
  }
  return defs;
}

/** Every definition jobyard serves. */
export const definitions: Definitions = {
  ...metaDefinitions,
  ...coreDefinitions,
  ...coreReadOnlyDefinitions,
  ...appsDefinitions,
  ...networkingDefinitions,
  ...serviceDefinitions,
  ...batchDefinitions,
  ...eventsDefinitions,
  ...authenticationDefinitions,
  ...serviceAccountDefinitions,
  ...authorizationDefinitions,
  ...policyDefinitions,
  ...schedulingDefinitions,
  ...coordinationDefinitions,
  ...apiextensionsDefinitions,
  ...logsDefinitions,
  ...metricsDefinitions,
  ...listDefinitions(),
};

/** Follows refs until a concrete schema; throws on a ref that names no definition. */
export function resolve(schema: Schema, defs: Definitions = definitions): Exclude<Schema, RefSchema> {
  let current = schema;
  for (let depth = 0; current.type === 'ref'; depth++) {
    const next = defs[current.ref];
    if (!next) throw new Error(`schema definition ${current.ref} not found`);
    if (depth > 32) throw new Error(`schema definition ${current.ref} refers to itself`);
    current = next;
  }
  return current;
}
