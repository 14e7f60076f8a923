// The CronJob as the registry handles it: api/batch.ts's CronJob, KubeObject-compatible.
import type { CronJobSpec, CronJobStatus, KubeObject, ObjectMeta } from '../../../api/index.js';

export interface CronJobObject extends KubeObject {
  metadata: ObjectMeta;
  spec: CronJobSpec;
  status?: CronJobStatus;
}
