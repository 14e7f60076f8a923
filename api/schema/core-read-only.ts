// k8s.io/api core/v1 definitions of the kinds jobyard serves read-only and empty:
// ReplicationController (no controller runs it: jobyard runs batch workloads) and
// PersistentVolume (no provisioning yet). The top-level fields and spec/status as upstream
// (Kubernetes 1.34), anything deeper kept as sent (x-kubernetes-preserve-unknown-fields).
// Protobuf numbers follow upstream's generated.proto.
import { CORE, META, any, int32, int64, keepZero, list, map, object, quantity, ref, str, time } from './builders.js';
import { conditionList, workloadKind } from './apps.js';
import type { Definitions } from './types.js';

/** PersistentVolumeSource, inlined into PersistentVolumeSpec (field 2 on the wire): one volume type per volume. */
const PERSISTENT_VOLUME_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];

export const coreReadOnlyDefinitions: Definitions = {
  [CORE + 'ReplicationController']: workloadKind(
    CORE,
    'ReplicationController',
    'v1',
    'Ensures that a number of pod replicas run at any given time (the predecessor of ReplicaSet). Served read-only by jobyard, which runs batch workloads.',
  ),
  [CORE + 'ReplicationControllerSpec']: object(
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without a container crashing, to count as available.'),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      selector: map(str(), 'Label keys and values the managed pods must match; defaults to the template\'s labels.'),
      template: ref(CORE + 'PodTemplateSpec', 'The pod each replica is created from.'),
    },
    { proto: { replicas: 1, minReadySeconds: 4, selector: 2, template: 3 } },
  ),
  [CORE + 'ReplicationControllerStatus']: object(
    {
      availableReplicas: int32('Available pods (ready for at least minReadySeconds).'),
      conditions: conditionList("The latest available observations of the replication controller's state."),
      fullyLabeledReplicas: int32('Pods whose labels match the template\'s labels.'),
      observedGeneration: int64('The generation observed by the replication controller.'),
      readyReplicas: int32('Pods with a Ready condition.'),
      replicas: int32('The most recently observed number of replicas.'),
    },
    { required: ['replicas'], proto: { replicas: keepZero(1), fullyLabeledReplicas: 2, readyReplicas: 4, availableReplicas: 5, observedGeneration: 3, conditions: 6 } },
  ),
  [CORE + 'PersistentVolume']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "v1".'),
      kind: str('The REST resource this object represents, "PersistentVolume".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(CORE + 'PersistentVolumeSpec', 'The volume as the administrator provisioned it.'),
      status: ref(CORE + 'PersistentVolumeStatus', 'The current state of the volume. Read-only.'),
    },
    {
      description: 'A piece of storage provisioned by an administrator. Served read-only by jobyard, which does not provision volumes yet.',
      proto: { metadata: 1, spec: 2, status: 3 },
    },
  ),
  [CORE + 'PersistentVolumeSpec']: object(
    {
      accessModes: list(str(), { listType: 'atomic' }, 'Ways the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.'),
      capacity: map(quantity(), 'The volume\'s resources, e.g. storage.'),
      claimRef: ref(CORE + 'ObjectReference', 'The claim bound to this volume.'),
      mountOptions: list(str(), { listType: 'atomic' }, 'Mount options, e.g. ro, soft.'),
      nodeAffinity: any('The nodes this volume can be reached from.'),
      persistentVolumeReclaimPolicy: str('What happens when the claim is released: Retain, Delete or Recycle.'),
      storageClassName: str('The StorageClass this volume belongs to.'),
      volumeAttributesClassName: str('The VolumeAttributesClass this volume belongs to.'),
      volumeMode: str('Filesystem (default) or Block.'),
      ...Object.fromEntries(PERSISTENT_VOLUME_SOURCES.map((name) => [name, any(`A ${name} volume source.`)])),
    },
    {
      proto: {
        capacity: 1, accessModes: 3, claimRef: 4, persistentVolumeReclaimPolicy: 5, storageClassName: 6, mountOptions: 7, volumeMode: 8,
        nodeAffinity: 9, volumeAttributesClassName: 10,
        ...Object.fromEntries(PERSISTENT_VOLUME_SOURCES.map((name, i) => [name, { field: i + 1, inline: 2 }])),
      },
    },
  ),
  [CORE + 'PersistentVolumeStatus']: object(
    {
      lastPhaseTransitionTime: time('When the volume last changed phase.'),
      message: str('Why the volume is in this phase.'),
      phase: str('Pending, Available, Bound, Released or Failed.'),
      reason: str('A brief CamelCase reason for a failed phase.'),
    },
    { proto: { phase: 1, message: 2, reason: 3, lastPhaseTransitionTime: 4 } },
  ),
};
