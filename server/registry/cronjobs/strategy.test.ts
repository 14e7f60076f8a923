import { describe, expect, it } from 'vitest';
import { create, update, updateStatus } from '../testing/strategy-sequence.js';
import { cronJobs } from './index.js';
import type { CronJobObject } from './types.js';

function newCronJob(name = 'hello', podSpec: Record<string, unknown> = {}): CronJobObject {
  return {
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36' }], ...podSpec } } } },
    },
  };
}

function stored(input: CronJobObject = newCronJob()): CronJobObject {
  const out = create(cronJobs, input);
  expect(out.errors).toEqual([]);
  out.obj.metadata.resourceVersion = '5';
  return out.obj;
}

const ACTIVE = [{ kind: 'Job', namespace: 'default', name: 'hello-29000000', uid: 'u1', apiVersion: 'batch/v1', resourceVersion: '7' }];

describe('CronJob create', () => {
  it('sets generation 1 and clears any status the client sent', () => {
    const input = newCronJob();
    input.status = { active: ACTIVE, lastScheduleTime: '2025-12-31T23:55:00Z' };
    const { obj, errors } = create(cronJobs, input);
    expect(errors).toEqual([]);
    expect(obj.metadata.generation).toBe(1);
    expect(obj.status).toEqual({});
  });

  it('warns nothing for a DNS-label name and a sound template', () => {
    expect(create(cronJobs, newCronJob()).warnings).toEqual([]);
  });

  it('warns about a name that is not a DNS label', () => {
    const { warnings, errors } = create(cronJobs, newCronJob('nightly.backup'));
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^metadata\.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: \[.*RFC 1123 label.*\]$/);
  });

  it('gives the pod template warnings under spec.jobTemplate.spec.template.spec', () => {
    expect(create(cronJobs, newCronJob('hello', { terminationGracePeriodSeconds: -1 })).warnings).toEqual([
      'spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
    ]);
  });
});

describe('CronJob update', () => {
  it('bumps generation when the spec changes', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.schedule = '@hourly';
    expect(update(cronJobs, next, old).obj.metadata.generation).toBe(2);
  });

  it('bumps generation for a change in the job template', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.jobTemplate.spec!.template.spec.containers[0].image = 'busybox:1.37';
    expect(update(cronJobs, next, old).obj.metadata.generation).toBe(2);
  });

  it('keeps generation for a metadata-only change', () => {
    const old = stored();
    const next = structuredClone(old);
    next.metadata.labels = { team: 'a' };
    const out = update(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.metadata.generation).toBe(1);
    expect(out.obj.metadata.labels).toEqual({ team: 'a' });
  });

  it('ignores status in a spec update and keeps the stored one', () => {
    const old = stored();
    old.status = { active: ACTIVE, lastScheduleTime: '2026-01-01T00:00:00Z' };
    const next = structuredClone(old);
    next.status = { lastScheduleTime: '1999-01-01T00:00:00Z' };
    next.spec.suspend = true;
    const out = update(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual({ active: ACTIVE, lastScheduleTime: '2026-01-01T00:00:00Z' });
    expect(out.obj.spec.suspend).toBe(true);
  });

  it('warns about the template only when the generation changes', () => {
    const old = stored(newCronJob('hello', { terminationGracePeriodSeconds: -1 }));
    const metaOnly = structuredClone(old);
    metaOnly.metadata.annotations = { a: 'b' };
    expect(update(cronJobs, metaOnly, old).warnings).toEqual([]);
    const specChange = structuredClone(old);
    specChange.spec.schedule = '@daily';
    expect(update(cronJobs, specChange, old).warnings).toEqual([
      'spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
    ]);
  });

  it('warns about a TZ schedule an older CronJob keeps', () => {
    const old = stored();
    old.spec.schedule = 'TZ=UTC 0 * * * *';
    const next = structuredClone(old);
    next.spec.suspend = true;
    const out = update(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.warnings).toEqual([
      'cronjob hello: CRON_TZ or TZ used in spec.schedule is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
    ]);
  });
});

describe('CronJob /status', () => {
  it('changes only status: spec and metadata come from the stored object', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec.schedule = '@yearly';
    next.metadata.labels = { sneaky: 'yes' };
    next.status = { active: ACTIVE, lastScheduleTime: '2026-01-01T00:00:00Z', lastSuccessfulTime: '2025-12-31T23:55:09Z' };
    const out = updateStatus(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.spec).toEqual(old.spec);
    expect(out.obj.metadata.labels).toBeUndefined();
    expect(out.obj.metadata.generation).toBe(1);
    expect(out.obj.status).toEqual({ active: ACTIVE, lastScheduleTime: '2026-01-01T00:00:00Z', lastSuccessfulTime: '2025-12-31T23:55:09Z' });
  });

  it('may clear the active list', () => {
    const old = stored();
    old.status = { active: ACTIVE, lastScheduleTime: '2026-01-01T00:00:00Z' };
    const next = structuredClone(old);
    next.status = { lastScheduleTime: '2026-01-01T00:00:00Z' };
    const out = updateStatus(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.status).toEqual({ lastScheduleTime: '2026-01-01T00:00:00Z' });
  });
});

describe('CronJob definition', () => {
  it('is batch/v1 cronjobs, short name cj, in category all, namespaced, with a status subresource', () => {
    expect(cronJobs.names).toEqual({
      group: 'batch',
      version: 'v1',
      resource: 'cronjobs',
      singular: 'cronjob',
      kind: 'CronJob',
      listKind: 'CronJobList',
      namespaced: true,
      shortNames: ['cj'],
      categories: ['all'],
    });
    expect(cronJobs.status).toBeDefined();
    expect(cronJobs.schema).toEqual({ type: 'ref', ref: 'io.k8s.api.batch.v1.CronJob' });
  });

  it('deletes its Jobs in the background on a DELETE without propagationPolicy (batch/v1), unlike a Job\'s Orphan', () => {
    expect(cronJobs.strategy.defaultGarbageCollectionPolicy).toBe('Background');
  });

  it('is not created by a PUT and accepts a PUT without resourceVersion', () => {
    expect(cronJobs.strategy.allowCreateOnUpdate).toBe(false);
    expect(cronJobs.strategy.allowUnconditionalUpdate).toBe(true);
  });
});
