import { describe, expect, it } from 'vitest';
import { create } from '../testing/strategy-sequence.js';
import { setCronJobDefaults } from './defaults.js';
import { cronJobs } from './index.js';
import type { CronJobObject } from './types.js';

/** What `kubectl create cronjob hello --image=busybox --schedule='*\/5 * * * *' -- echo hi` sends. */
function kubectlCronJob(): CronJobObject {
  return {
    metadata: { name: 'hello' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        metadata: { name: 'hello' },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox', command: ['echo', 'hi'] }] } } },
      },
    },
  };
}

describe('CronJob defaults (SetObjectDefaults_CronJob)', () => {
  it('sets concurrencyPolicy Allow, suspend false and the history limits 3 and 1', () => {
    const cj = kubectlCronJob();
    setCronJobDefaults(cj);
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.startingDeadlineSeconds).toBeUndefined();
    expect(cj.spec.timeZone).toBeUndefined();
  });

  it('keeps values that are set, zero and false included', () => {
    const cj = kubectlCronJob();
    Object.assign(cj.spec, { concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
    setCronJobDefaults(cj);
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
  });

  it('defaults an empty concurrencyPolicy to Allow, as upstream defaults ""', () => {
    const cj = kubectlCronJob();
    (cj.spec as { concurrencyPolicy?: string }).concurrencyPolicy = '';
    setCronJobDefaults(cj);
    expect(cj.spec.concurrencyPolicy).toBe('Allow');
  });

  it('gives the pod template the pod defaults, as a Job template gets them', () => {
    const cj = kubectlCronJob();
    setCronJobDefaults(cj);
    const podSpec = cj.spec.jobTemplate.spec!.template.spec;
    expect(podSpec).toMatchObject({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, restartPolicy: 'OnFailure' });
    expect(podSpec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  });

  it('leaves the JobSpec fields unset: upstream has no JobSpec defaulter, the Job gets them when created', () => {
    const cj = kubectlCronJob();
    setCronJobDefaults(cj);
    const jobSpec = cj.spec.jobTemplate.spec!;
    for (const f of ['backoffLimit', 'completions', 'parallelism', 'completionMode', 'suspend', 'manualSelector', 'podReplacementPolicy', 'selector'] as const) {
      expect(jobSpec[f], f).toBeUndefined();
    }
  });

  it('tolerates a CronJob without spec or without jobTemplate', () => {
    const noSpec = { metadata: { name: 'x' } } as CronJobObject;
    expect(() => setCronJobDefaults(noSpec)).not.toThrow();
    expect(noSpec.spec).toBeUndefined();
    const noTemplate = { metadata: { name: 'x' }, spec: { schedule: '@hourly' } } as CronJobObject;
    setCronJobDefaults(noTemplate);
    expect(noTemplate.spec.concurrencyPolicy).toBe('Allow');
  });

  it('runs as the strategy defaults, so a created CronJob is stored with them', () => {
    const { obj, errors } = create(cronJobs, kubectlCronJob());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });
});
