// The PodDisruptionBudget's rules (pkg/registry/policy/poddisruptionbudget/strategy.go): status
// cleared on create and kept on update, generation bumped on a spec change (the eviction API
// answers 429 until the disruption controller has observed it), and the /status strategy.
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import type { PodDisruptionBudgetObject } from './types.js';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatusUpdate, validatePodDisruptionBudgetUpdate } from './validation.js';

export const podDisruptionBudgetStrategy: ResourceStrategy<PodDisruptionBudgetObject> = {
  prepareForCreate(pdb) {
    delete pdb.status;
    pdb.metadata.generation = 1;
  },
  prepareForUpdate(pdb, old) {
    if (old.status === undefined) delete pdb.status;
    else pdb.status = structuredClone(old.status);
    if (!semanticEqual(pdb.spec, old.spec)) pdb.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  validate: validatePodDisruptionBudget,
  validateUpdate: validatePodDisruptionBudgetUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const podDisruptionBudgetStatusStrategy: StatusStrategy<PodDisruptionBudgetObject> = {
  prepareForUpdate(pdb, old) {
    keepAllButStatus(pdb, old);
  },
  validateUpdate: validatePodDisruptionBudgetStatusUpdate,
};
