// core/v1 secrets: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition, TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { secretStrategy } from './strategy.js';
import type { SecretObject } from './types.js';

export { mergeStringData } from './strategy.js';
export { SecretKeys, SecretTypes, type SecretObject } from './types.js';

/** kubectl get secrets: NAME TYPE DATA AGE. */
export const secretTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Type', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as SecretObject;
    const keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
    return [s.metadata.name, s.type ?? '', keys.size, translateTimestampSince(s.metadata.creationTimestamp, now)];
  },
};

export const secrets: ResourceDefinition<SecretObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    listKind: 'SecretList',
    namespaced: true,
  },
  strategy: secretStrategy,
  selectableFields: (obj) => ({ type: String((obj as SecretObject).type ?? '') }),
  table: secretTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.Secret' },
};
