// batch/v1 cronjobs: the ResourceDefinition the API server serves.
import type { ResourceDefinition } from '../resource.js';
import { cronJobStatusStrategy, cronJobStrategy } from './strategy.js';
import { cronJobTable } from './table.js';
import type { CronJobObject } from './types.js';

export type { CronJobObject } from './types.js';

export const cronJobs: ResourceDefinition<CronJobObject> = {
  names: {
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    listKind: 'CronJobList',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
  },
  strategy: cronJobStrategy,
  status: cronJobStatusStrategy,
  table: cronJobTable,
  schema: { type: 'ref', ref: 'io.k8s.api.batch.v1.CronJob' },
};
