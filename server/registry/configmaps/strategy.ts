// The ConfigMap's rules (pkg/registry/core/configmap/strategy.go): nothing to prepare,
// validation on create and update.
import type { ResourceStrategy } from '../resource.js';
import type { ConfigMapObject } from './types.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

export const configMapStrategy: ResourceStrategy<ConfigMapObject> = {
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};
