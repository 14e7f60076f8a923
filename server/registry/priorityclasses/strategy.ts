// The PriorityClass's rules (pkg/registry/scheduling/priorityclass/strategy.go and
// SetDefaults_PriorityClass): preemptionPolicy defaults to PreemptLowerPriority, generation 1
// on create, PUT without a resourceVersion allowed; the built-in classes cannot be deleted
// (the REST storage's Delete).
import { type KubeObject, type PriorityClass, SYSTEM_PRIORITY_CLASSES } from '../../../api/index.js';
import type { ResourceStrategy } from '../resource.js';
import { validatePriorityClass, validatePriorityClassUpdate } from './validation.js';

export type PriorityClassObject = KubeObject & PriorityClass;

export const priorityClassStrategy: ResourceStrategy<PriorityClassObject> = {
  defaults(pc) {
    // value is a plain int32 upstream: absent decodes as 0.
    pc.value ??= 0;
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  prepareForCreate(pc) {
    pc.metadata.generation = 1;
  },
  prepareForUpdate() {},
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  forbidDeletion(pc) {
    return SYSTEM_PRIORITY_CLASSES.some((s) => s.metadata.name === pc.metadata.name) ? 'this is a system priority class and cannot be deleted' : undefined;
  },
};
