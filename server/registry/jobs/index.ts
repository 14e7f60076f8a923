// batch/v1 jobs: the ResourceDefinition the API server serves.
import type { KubeObject } from '../../../api/index.js';
import type { ResourceDefinition } from '../resource.js';
import { jobStatusStrategy, jobStrategy } from './strategy.js';
import { jobTable } from './table.js';
import type { JobObject } from './types.js';

export type { JobObject } from './types.js';
export { isJobFinished } from './validation-status.js';

/** Upstream JobToSelectableFields, beyond metadata.name / metadata.namespace. */
export function jobSelectableFields(obj: KubeObject): Record<string, string> {
  const job = obj as JobObject;
  return { 'status.successful': String(job.status?.succeeded ?? 0) };
}

export const jobs: ResourceDefinition<JobObject> = {
  names: {
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    singular: 'job',
    kind: 'Job',
    listKind: 'JobList',
    namespaced: true,
    categories: ['all'],
  },
  strategy: jobStrategy,
  status: jobStatusStrategy,
  selectableFields: jobSelectableFields,
  table: jobTable,
  schema: { type: 'ref', ref: 'io.k8s.api.batch.v1.Job' },
};
