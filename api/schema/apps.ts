// k8s.io/api apps/v1 definitions: Deployment, ReplicaSet, StatefulSet, DaemonSet. jobyard serves
// them read-only and empty (it runs batch workloads, no controller acts on these), so the schema
// gives what discovery, OpenAPI, Table and `kubectl explain` need: the top-level fields and
// spec/status as upstream (Kubernetes 1.34), anything deeper kept as sent
// (x-kubernetes-preserve-unknown-fields). Protobuf numbers follow upstream's generated.proto.
import { CORE, META, any, bool, int32, int64, keepZero, list, object, ref, str } from './builders.js';
import type { Definitions, ObjectSchema } from './types.js';

/** OpenAPI definition name prefix of apps/v1. */
export const APPS = 'io.k8s.api.apps.v1.';

/** apiVersion, kind, metadata, spec and status of a top-level kind, at upstream's numbers 1, 2, 3. */
export function workloadKind(prefix: string, kind: string, apiVersion: string, description: string): ObjectSchema {
  return object(
    {
      apiVersion: str(`The versioned schema of this representation of an object, "${apiVersion}".`),
      kind: str(`The REST resource this object represents, "${kind}".`),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(`${prefix}${kind}Spec`, `Desired behaviour of the ${kind}.`),
      status: ref(`${prefix}${kind}Status`, `Most recently observed status of the ${kind}. Read-only.`),
    },
    { description, proto: { metadata: 1, spec: 2, status: 3 } },
  );
}

/** A list of conditions merged by type, each kept as sent. */
export const conditionList = (description: string) =>
  list(any('A condition: type, status, reason, message, lastTransitionTime...'), { mergeKey: 'type', patchStrategy: 'merge', listType: 'map', listMapKeys: ['type'] }, description);

const selector = () => ref(META + 'LabelSelector', 'Label query over the pods this object manages; must match the template\'s labels.');
const template = () => ref(CORE + 'PodTemplateSpec', 'The pod each replica is created from.');

export const appsDefinitions: Definitions = {
  [APPS + 'Deployment']: workloadKind(APPS, 'Deployment', 'apps/v1', 'Declarative updates for Pods and ReplicaSets. Served read-only by jobyard, which runs batch workloads.'),
  [APPS + 'DeploymentSpec']: object(
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without a container crashing, to count as available.'),
      paused: bool('Whether the deployment is paused.'),
      progressDeadlineSeconds: int32('Seconds before a deployment that makes no progress is reported as failed.'),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      revisionHistoryLimit: int32('Old ReplicaSets kept to allow rollback. Defaults to 10.'),
      selector: selector(),
      strategy: any('How existing pods are replaced by new ones: Recreate or RollingUpdate.'),
      template: template(),
    },
    {
      required: ['selector', 'template'],
      proto: { replicas: 1, selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: 6, paused: 7, progressDeadlineSeconds: 9 },
    },
  ),
  [APPS + 'DeploymentStatus']: object(
    {
      availableReplicas: int32('Available pods (ready for at least minReadySeconds).'),
      collisionCount: int32('Count of hash collisions, used to name the newest ReplicaSet.'),
      conditions: conditionList("The latest available observations of the deployment's state."),
      observedGeneration: int64('The generation observed by the deployment controller.'),
      readyReplicas: int32('Pods with a Ready condition.'),
      replicas: int32('Non-terminating pods targeted by this deployment.'),
      terminatingReplicas: int32('Terminating pods of this deployment.'),
      unavailableReplicas: int32('Pods still needed for 100% available capacity.'),
      updatedReplicas: int32('Non-terminating pods that have the desired template spec.'),
    },
    {
      proto: {
        observedGeneration: 1, replicas: 2, updatedReplicas: 3, readyReplicas: 7, availableReplicas: 4, unavailableReplicas: 5, terminatingReplicas: 9,
        conditions: 6, collisionCount: 8,
      },
    },
  ),
  [APPS + 'ReplicaSet']: workloadKind(APPS, 'ReplicaSet', 'apps/v1', 'Ensures that a number of pod replicas run at any given time. Served read-only by jobyard, which runs batch workloads.'),
  [APPS + 'ReplicaSetSpec']: object(
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without a container crashing, to count as available.'),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      selector: selector(),
      template: template(),
    },
    { required: ['selector'], proto: { replicas: 1, minReadySeconds: 4, selector: 2, template: 3 } },
  ),
  [APPS + 'ReplicaSetStatus']: object(
    {
      availableReplicas: int32('Available pods (ready for at least minReadySeconds).'),
      conditions: conditionList("The latest available observations of the replica set's state."),
      fullyLabeledReplicas: int32('Pods whose labels match the template\'s labels.'),
      observedGeneration: int64('The generation observed by the replica set controller.'),
      readyReplicas: int32('Pods with a Ready condition.'),
      replicas: int32('The most recently observed number of non-terminating pods.'),
      terminatingReplicas: int32('Terminating pods of this replica set.'),
    },
    {
      required: ['replicas'],
      proto: { replicas: keepZero(1), fullyLabeledReplicas: 2, readyReplicas: 4, availableReplicas: 5, terminatingReplicas: 7, observedGeneration: 3, conditions: 6 },
    },
  ),
  [APPS + 'StatefulSet']: workloadKind(APPS, 'StatefulSet', 'apps/v1', 'Manages pods with stable identities and storage. Served read-only by jobyard, which runs batch workloads.'),
  [APPS + 'StatefulSetSpec']: object(
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without a container crashing, to count as available.'),
      ordinals: any('The numbering of replica indices (start).'),
      persistentVolumeClaimRetentionPolicy: any('What happens to claims from volumeClaimTemplates when the set is deleted or scaled down.'),
      podManagementPolicy: str('OrderedReady (default) or Parallel.'),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      revisionHistoryLimit: int32('Revisions kept in the history. Defaults to 10.'),
      selector: selector(),
      serviceName: str('The Service that governs this set (pod hostnames).'),
      template: template(),
      updateStrategy: any('How pods are updated when the template changes: RollingUpdate or OnDelete.'),
      volumeClaimTemplates: list(ref(CORE + 'PersistentVolumeClaim'), { listType: 'atomic' }, 'Claims each pod gets, one per template.'),
    },
    {
      required: ['selector', 'template'],
      proto: {
        replicas: 1, selector: 2, template: 3, volumeClaimTemplates: 4, serviceName: keepZero(5), podManagementPolicy: 6, updateStrategy: 7,
        revisionHistoryLimit: 8, minReadySeconds: 9, persistentVolumeClaimRetentionPolicy: 10, ordinals: 11,
      },
    },
  ),
  [APPS + 'StatefulSetStatus']: object(
    {
      availableReplicas: int32('Available pods (ready for at least minReadySeconds).'),
      collisionCount: int32('Count of hash collisions, used to name the newest ControllerRevision.'),
      conditions: conditionList("The latest available observations of the stateful set's state."),
      currentReplicas: int32('Pods created from the currentRevision.'),
      currentRevision: str('The revision that made pods 0 to currentReplicas-1.'),
      observedGeneration: int64('The generation observed by the stateful set controller.'),
      readyReplicas: int32('Pods with a Ready condition.'),
      replicas: int32('Pods created by the controller.'),
      updateRevision: str('The revision that made pods replicas-updatedReplicas to replicas-1.'),
      updatedReplicas: int32('Pods created from the updateRevision.'),
    },
    {
      required: ['replicas'],
      proto: {
        observedGeneration: 1, replicas: keepZero(2), readyReplicas: 3, currentReplicas: 4, updatedReplicas: 5, currentRevision: 6, updateRevision: 7,
        collisionCount: 9, conditions: 10, availableReplicas: keepZero(11),
      },
    },
  ),
  [APPS + 'DaemonSet']: workloadKind(APPS, 'DaemonSet', 'apps/v1', 'Runs a copy of a pod on each node. Served read-only by jobyard, which runs batch workloads.'),
  [APPS + 'DaemonSetSpec']: object(
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without a container crashing, to count as available.'),
      revisionHistoryLimit: int32('Old histories kept to allow rollback. Defaults to 10.'),
      selector: selector(),
      template: template(),
      updateStrategy: any('How pods are replaced when the template changes: RollingUpdate or OnDelete.'),
    },
    { required: ['selector', 'template'], proto: { selector: 1, template: 2, updateStrategy: 3, minReadySeconds: 4, revisionHistoryLimit: 6 } },
  ),
  [APPS + 'DaemonSetStatus']: object(
    {
      collisionCount: int32('Count of hash collisions, used to name the newest ControllerRevision.'),
      conditions: conditionList("The latest available observations of the daemon set's state."),
      currentNumberScheduled: int32('Nodes running at least one daemon pod that should.'),
      desiredNumberScheduled: int32('Nodes that should run the daemon pod.'),
      numberAvailable: int32('Nodes whose daemon pod is available.'),
      numberMisscheduled: int32('Nodes running the daemon pod that should not.'),
      numberReady: int32('Nodes whose daemon pod is ready.'),
      numberUnavailable: int32('Nodes that should run an available daemon pod and do not.'),
      observedGeneration: int64('The generation observed by the daemon set controller.'),
      updatedNumberScheduled: int32('Nodes running the updated daemon pod.'),
    },
    {
      required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
      proto: {
        currentNumberScheduled: keepZero(1), numberMisscheduled: keepZero(2), desiredNumberScheduled: keepZero(3), numberReady: keepZero(4),
        observedGeneration: 5, updatedNumberScheduled: 6, numberAvailable: 7, numberUnavailable: 8, collisionCount: 9, conditions: 10,
      },
    },
  ),
};
