// kubectl get cronjobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE
// (+ wide CONTAINERS IMAGES SELECTOR), as upstream's printCronJob.
import type { KubeObject } from '../../../api/index.js';
import type { TableConvertor } from '../resource.js';
import { translateTimestampSince } from '../../../machinery/index.js';
import { AGE_COLUMN, NAME_COLUMN, column, formatLabelSelector, layoutContainerCells } from '../table.js';
import type { CronJobObject } from './types.js';

/** printBoolPtr: "True", "False", or "<unset>" when the field is not set. */
function boolPtrCell(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

export const cronJobTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column(
      'Timezone',
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
    ),
    column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.', { type: 'boolean' }),
    column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COLUMN,
    column('Containers', 'Names of each container in the template.', { priority: 1 }),
    column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    column('Selector', 'A label query over pods that should match the pod count.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cronJob = obj as CronJobObject;
    const spec = cronJob.spec;
    const jobSpec = spec?.jobTemplate?.spec;
    const { names, images } = layoutContainerCells(jobSpec?.template?.spec?.containers);
    const lastSchedule = cronJob.status?.lastScheduleTime;
    return [
      cronJob.metadata.name,
      spec?.schedule ?? '',
      spec?.timeZone ?? '<none>',
      boolPtrCell(spec?.suspend),
      cronJob.status?.active?.length ?? 0,
      lastSchedule ? translateTimestampSince(lastSchedule, now) : '<none>',
      translateTimestampSince(cronJob.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
