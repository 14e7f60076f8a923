// The Job as the registry handles it: api/batch.ts's Job, KubeObject-compatible.
import type { JobSpec, JobStatus, KubeObject, ObjectMeta } from '../../../api/index.js';

export interface JobObject extends KubeObject {
  metadata: ObjectMeta;
  spec: JobSpec;
  status?: JobStatus;
}

/** math.MaxInt32: the backoffLimit default when backoffLimitPerIndex is set. */
export const MAX_INT32 = 2147483647;
