// createOnlyResource: the ResourceDefinition of a resource that only answers creates by
// computing (upstream: a REST storage implementing rest.Creater alone, such as
// SelfSubjectAccessReview). It has nothing to prepare, update or delete, so its strategy is
// the validation alone; the handlers route it through GenericRegistry.createComputed.
import type { KubeObject } from '../../api/index.js';
import type { Schema } from '../../api/schema/index.js';
import type { FieldError } from '../../machinery/index.js';
import type { CreateOnly, ResourceDefinition, ResourceNames, ResourceStrategy } from './resource.js';

/** The verbs a create-only resource serves, for discovery and OpenAPI. */
export const CREATE_ONLY_VERBS: readonly string[] = ['create'];

export interface CreateOnlyResourceSpec<T extends KubeObject> extends CreateOnly<T> {
  names: Omit<ResourceNames, 'listKind'>;
  schema: Schema;
  /** SetDefaults_* of the kind, run before validation. */
  defaults?(obj: T): void;
  /** Upstream's Validate* of the kind; none means every decoded request is valid. */
  validate?(obj: T): FieldError[];
}

/** The ResourceDefinition of a create-only resource: verbs ["create"], no list kind, nothing stored. */
export function createOnlyResource<T extends KubeObject>(spec: CreateOnlyResourceSpec<T>): ResourceDefinition<T> {
  const strategy: ResourceStrategy<T> = {
    defaults: spec.defaults,
    // Never called: a create-only resource is neither stored nor updated.
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => spec.validate?.(obj) ?? [],
    validateUpdate: () => [],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  };
  const createOnly: CreateOnly<T> = { compute: spec.compute };
  if (spec.invalidKind !== undefined) createOnly.invalidKind = spec.invalidKind;
  return { names: { ...spec.names }, strategy, schema: spec.schema, verbs: [...CREATE_ONLY_VERBS], createOnly };
}
