// core/v1 persistentvolumes: served read-only and empty until jobyard provisions volumes (see ReadOnly).
import type { KubeObject } from '../../../api/index.js';
import { CORE } from '../../../api/schema/index.js';
import { accessModesString } from '../persistentvolumeclaims/index.js';
import { nameAndAge, readOnlyResource } from '../read-only.js';
import type { TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';

interface PersistentVolumeObject extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string };
    storageClassName?: string;
    volumeAttributesClassName?: string;
    volumeMode?: string;
  };
  status?: { phase?: string; reason?: string };
}

/** kubectl get pv: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE (+ wide VOLUMEMODE). */
export const persistentVolumeTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    column('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COLUMN,
    column('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pv = obj as PersistentVolumeObject;
    const { name, age } = nameAndAge(pv, now);
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    const storageClass = pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName ?? '';
    return [
      name,
      spec.capacity?.storage ?? '0',
      accessModesString(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClass,
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age,
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumes = readOnlyResource({
  names: {
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    singular: 'persistentvolume',
    kind: 'PersistentVolume',
    listKind: 'PersistentVolumeList',
    namespaced: false,
    shortNames: ['pv'],
  },
  schema: { type: 'ref', ref: CORE + 'PersistentVolume' },
  table: persistentVolumeTable,
  why: 'jobyard runs batch workloads (Jobs, CronJobs, Pods) and does not provision PersistentVolumes yet',
});
