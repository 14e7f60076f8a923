// The Logstore's rules (logs.jobyard.io/v1, cluster-scoped): retention defaults, status
// cleared on create and kept on update (the log service writes it through /status),
// generation bumps on spec changes.
import type { ResourceStrategy, StatusStrategy } from '../resource.js';
import { semanticEqual } from '../semantic-equal.js';
import { keepAllButStatus } from '../status-subresource.js';
import type { LogstoreObject } from './types.js';
import { validateLogstore, validateLogstoreStatusUpdate, validateLogstoreUpdate } from './validation.js';

export type { LogstoreObject } from './types.js';

/** Defaults of spec.retentionDays and spec.maxSize. */
export const DEFAULT_RETENTION_DAYS = 7;
export const DEFAULT_MAX_SIZE = '1Gi';

/** SetDefaults_Logstore. */
export function setLogstoreDefaults(ls: LogstoreObject): void {
  const spec = (ls.spec ??= {});
  if (spec.retentionDays === undefined) spec.retentionDays = DEFAULT_RETENTION_DAYS;
  if (spec.maxSize === undefined) spec.maxSize = DEFAULT_MAX_SIZE;
}

export const logstoreStrategy: ResourceStrategy<LogstoreObject> = {
  defaults: setLogstoreDefaults,
  prepareForCreate(ls) {
    delete ls.status;
    ls.metadata.generation = 1;
  },
  prepareForUpdate(ls, old) {
    if (old.status === undefined) delete ls.status;
    else ls.status = structuredClone(old.status);
    if (!semanticEqual(ls.spec, old.spec)) ls.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  validate: validateLogstore,
  validateUpdate: validateLogstoreUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const logstoreStatusStrategy: StatusStrategy<LogstoreObject> = {
  prepareForUpdate(ls, old) {
    keepAllButStatus(ls, old);
  },
  validateUpdate: validateLogstoreStatusUpdate,
};
