// core/v1 persistentvolumeclaims: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { persistentVolumeClaimStatusStrategy, persistentVolumeClaimStrategy, type PersistentVolumeClaimObject } from './strategy.js';

export type { PersistentVolumeClaimObject } from './strategy.js';

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, without duplicates. */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** kubectl get pvc: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE (+ wide VOLUMEMODE). */
export const persistentVolumeClaimTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    column('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pvc = obj as PersistentVolumeClaimObject;
    const spec = pvc.spec ?? {};
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    let capacity = '';
    let modes = '';
    if (spec.volumeName) {
      modes = accessModesString(pvc.status?.accessModes);
      capacity = pvc.status?.capacity?.storage ?? '';
    }
    const storageClass = pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName ?? '';
    return [
      pvc.metadata.name,
      phase,
      spec.volumeName ?? '',
      capacity,
      modes,
      storageClass,
      spec.volumeAttributesClassName || '<unset>',
      translateTimestampSince(pvc.metadata.creationTimestamp, now),
      spec.volumeMode || '<unset>',
    ];
  },
};

export const persistentVolumeClaims: ResourceDefinition<PersistentVolumeClaimObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    listKind: 'PersistentVolumeClaimList',
    namespaced: true,
    shortNames: ['pvc'],
  },
  strategy: persistentVolumeClaimStrategy,
  status: persistentVolumeClaimStatusStrategy,
  table: persistentVolumeClaimTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.PersistentVolumeClaim' },
};
