// The CronJob controller: creates Jobs on a schedule.
export * from './cronjob-controller.js';
