// core/v1 configmaps: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { configMapStrategy } from './strategy.js';
import type { ConfigMapObject } from './types.js';

export type { ConfigMapObject } from './types.js';

/** kubectl get configmaps: NAME DATA AGE, DATA counting data and binaryData keys. */
export const configMapTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Data', 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.', { type: 'string' }), AGE_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cm = obj as ConfigMapObject;
    const count = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata.name, count, translateTimestampSince(cm.metadata.creationTimestamp, now)];
  },
};

export const configMaps: ResourceDefinition<ConfigMapObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: ['cm'],
  },
  strategy: configMapStrategy,
  table: configMapTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.ConfigMap' },
};
