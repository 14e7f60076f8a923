// core/v1 serviceaccounts (short name sa), with serviceaccounts/token (TokenRequest).
import type { KubeObject, ServiceAccount } from '../../../api/index.js';
import { AUTHENTICATION } from '../../../api/schema/index.js';
import type { FieldError } from '../../../machinery/index.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../resource.js';
import { AGE_COLUMN, NAME_COLUMN, column } from '../table.js';
import { handleTokenRequest } from './token.js';

type ServiceAccountObject = ServiceAccount & KubeObject;

/** ValidateServiceAccount / ValidateServiceAccountUpdate: the object's metadata (name a DNS subdomain). */
function validate(sa: ServiceAccountObject): FieldError[] {
  return validateObjectMeta(sa.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
}

export const serviceAccountStrategy: ResourceStrategy<ServiceAccountObject> = {
  // upstream's strategy: cleanSecretReferences is gone; nothing to prepare.
  prepareForCreate() {},
  prepareForUpdate() {},
  validate,
  validateUpdate: (sa, old) => [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...validate(sa)],
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

/** kubectl get sa: NAME SECRETS AGE. */
export const serviceAccountTable: TableConvertor = {
  columns: [NAME_COLUMN, column('Secrets', 'Secrets is the list of secrets allowed to be used by pods running using this ServiceAccount.', { type: 'integer' }), AGE_COLUMN],
  cells(obj: KubeObject, now: Date): unknown[] {
    const sa = obj as ServiceAccountObject;
    return [sa.metadata.name, (sa.secrets ?? []).length, translateTimestampSince(sa.metadata.creationTimestamp, now)];
  },
};

export const serviceAccounts: ResourceDefinition<ServiceAccountObject> = {
  names: {
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    namespaced: true,
    shortNames: ['sa'],
  },
  strategy: serviceAccountStrategy,
  table: serviceAccountTable,
  schema: { type: 'ref', ref: 'io.k8s.api.core.v1.ServiceAccount' },
  subresources: [
    {
      name: 'token',
      kind: 'TokenRequest',
      kindGroupVersion: { group: 'authentication.k8s.io', version: 'v1' },
      verbs: ['create'],
      handler: handleTokenRequest,
      openapi: { form: 'create', query: ['dryRun', 'fieldManager', 'fieldValidation'], body: { definition: AUTHENTICATION + 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } },
    },
  ],
};
