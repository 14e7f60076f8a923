import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { cronJobs } from './index.js';
import type { CronJobObject } from './types.js';

function newCronJob(name = 'cj', spec: Record<string, unknown> = {}, jobSpec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) {
  return {
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36' }], ...podSpec } },
          ...jobSpec,
        },
      },
      ...spec,
    },
  };
}

const messages = (input: unknown) => create(cronJobs, input).messages;
const stored = (input: unknown): CronJobObject => {
  const out = create(cronJobs, input);
  expect(out.errors).toEqual([]);
  out.obj.metadata.resourceVersion = '1';
  return out.obj;
};

describe('CronJob validation: a valid CronJob', () => {
  it.each(['*/5 * * * *', '0 3 * * 1-5', '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '0 0 ? * MON'])('accepts schedule %s', (schedule) => {
    expect(messages(newCronJob('cj', { schedule }))).toEqual([]);
  });

  it('accepts every concurrencyPolicy, a time zone, zero deadlines and zero history limits', () => {
    for (const concurrencyPolicy of ['Allow', 'Forbid', 'Replace']) {
      expect(messages(newCronJob('cj', { concurrencyPolicy, timeZone: 'Europe/Berlin', startingDeadlineSeconds: 0, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }))).toEqual([]);
    }
  });

  it('accepts a template with Job fields and labels (the Job created from it gets its selector then)', () => {
    const cj = newCronJob('cj', {}, { backoffLimit: 2, completions: 3, parallelism: 2, activeDeadlineSeconds: 60 });
    (cj.spec.jobTemplate as Record<string, unknown>).metadata = { labels: { app: 'nightly' }, annotations: { team: 'a' } };
    expect(messages(cj)).toEqual([]);
  });
});

describe('CronJob validation: metadata.name', () => {
  it('allows 52 characters', () => {
    expect(messages(newCronJob('a'.repeat(52)))).toEqual([]);
  });

  it('refuses 53 characters: the controller appends 11 to name each Job', () => {
    const name = 'a'.repeat(53);
    expect(messages(newCronJob(name))).toEqual([`metadata.name: Invalid value: "${name}": must be no more than 52 characters`]);
  });

  it('requires a DNS subdomain, as a ReplicationController name', () => {
    expect(messages(newCronJob('Hello_World'))).toEqual([
      'metadata.name: Invalid value: "Hello_World": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
  });

  it('lets an update keep a name over 52 characters (so older CronJobs can be updated)', () => {
    const name = 'b'.repeat(60);
    const old = stored(newCronJob('b'));
    old.metadata.name = name;
    const next = structuredClone(old);
    next.spec.suspend = true;
    expect(update(cronJobs, next, old).errors).toEqual([]);
  });
});

describe('CronJob validation: spec.schedule', () => {
  it('is required', () => {
    expect(messages(newCronJob('cj', { schedule: '' }))).toEqual(['spec.schedule: Required value']);
    expect(messages(newCronJob('cj', { schedule: undefined }))).toEqual(['spec.schedule: Required value']);
  });

  it.each([
    ['61 * * * *', 'Constraint error, got value 61 expected range 0-59'],
    ['* * * *', 'expected exactly 5 fields, found 4: * * * *'],
    ['@every 5 minutes', 'failed to parse duration @every 5 minutes: time: invalid duration "5 minutes"'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('reports %j with the parser\'s message', (schedule, detail) => {
    expect(messages(newCronJob('cj', { schedule }))).toEqual([`spec.schedule: Invalid value: ${JSON.stringify(schedule)}: ${detail}`]);
  });

  it('accepts @every with a Go duration, as upstream', () => {
    expect(messages(newCronJob('cj', { schedule: '@every 1h30m' }))).toEqual([]);
  });

  it('refuses TZ= and CRON_TZ= in the schedule, once', () => {
    for (const schedule of ['TZ=UTC 0 * * * *', 'CRON_TZ=Europe/Berlin 0 * * * *']) {
      expect(messages(newCronJob('cj', { schedule }))).toEqual([`spec.schedule: Invalid value: ${JSON.stringify(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`]);
    }
  });

  it('reports a bad rest of a TZ= schedule besides the TZ rule', () => {
    expect(messages(newCronJob('cj', { schedule: 'TZ=UTC 61 * * * *' }))).toEqual([
      'spec.schedule: Invalid value: "TZ=UTC 61 * * * *": Constraint error, got value 61 expected range 0-59',
      'spec.schedule: Invalid value: "TZ=UTC 61 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('lets a CronJob that already had TZ in its schedule keep it, but not with timeZone', () => {
    const old = stored(newCronJob('cj'));
    old.spec.schedule = 'TZ=UTC 0 * * * *';
    const keep = structuredClone(old);
    keep.spec.suspend = true;
    expect(update(cronJobs, keep, old).messages).toEqual([]);
    const both = structuredClone(old);
    both.spec.timeZone = 'UTC';
    expect(update(cronJobs, both, old).messages).toEqual([
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
    ]);
  });

  it('is checked on update too', () => {
    const old = stored(newCronJob('cj'));
    const next = structuredClone(old);
    next.spec.schedule = '0 25 * * *';
    expect(update(cronJobs, next, old).messages).toEqual(['spec.schedule: Invalid value: "0 25 * * *": Constraint error, got value 25 expected range 0-23']);
  });
});

describe('CronJob validation: spec.timeZone', () => {
  it.each([
    ['Mars/Olympus', 'unknown time zone Mars/Olympus'],
    ['Europe/../etc', 'unknown time zone Europe/../etc'],
    ['-UTC', 'unknown time zone -UTC'],
    ['America/Argentina_Buenos_Aires_Long', 'unknown time zone America/Argentina_Buenos_Aires_Long'],
    ['', 'timeZone must be nil or non-empty string'],
    ['Local', 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
  ])('refuses %j', (timeZone, detail) => {
    expect(messages(newCronJob('cj', { timeZone }))).toEqual([`spec.timeZone: Invalid value: ${JSON.stringify(timeZone)}: ${detail}`]);
  });

  it('refuses "local" as not explicit and as unknown, as upstream does', () => {
    expect(messages(newCronJob('cj', { timeZone: 'local' }))).toEqual([
      'spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      'spec.timeZone: Invalid value: "local": unknown time zone local',
    ]);
  });

  it.each(['UTC', 'Etc/GMT+5', 'America/New_York', 'Asia/Kolkata'])('accepts %s', (timeZone) => {
    expect(messages(newCronJob('cj', { timeZone }))).toEqual([]);
  });

  it('is checked again on update only when it changes', () => {
    const old = stored(newCronJob('cj', { timeZone: 'UTC' }));
    // A stored zone the database no longer knows does not block other changes.
    old.spec.timeZone = 'Gone/Zone';
    const keep = structuredClone(old);
    keep.spec.suspend = true;
    expect(update(cronJobs, keep, old).messages).toEqual([]);
    const change = structuredClone(old);
    change.spec.timeZone = 'Mars/Olympus';
    expect(update(cronJobs, change, old).messages).toEqual(['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  });
});

describe('CronJob validation: policy, deadline and history limits', () => {
  it('refuses an unknown concurrencyPolicy', () => {
    expect(messages(newCronJob('cj', { concurrencyPolicy: 'Sometimes' }))).toEqual([
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
  });

  it.each(['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'])('refuses %s -1', (field) => {
    expect(messages(newCronJob('cj', { [field]: -1 }))).toEqual([`spec.${field}: Invalid value: -1: must be greater than or equal to 0`]);
  });
});

describe('CronJob validation: spec.jobTemplate.spec, as a Job spec without selector', () => {
  it('requires restartPolicy OnFailure or Never', () => {
    const required = 'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"';
    expect(messages(newCronJob('cj', {}, {}, { restartPolicy: 'Always' }))).toEqual([required]);
    expect(messages(newCronJob('cj', {}, {}, { restartPolicy: undefined }))).toEqual([required]);
    expect(messages(newCronJob('cj', {}, {}, { restartPolicy: 'Never' }))).toEqual([]);
  });

  it('applies the Job spec rules under spec.jobTemplate.spec', () => {
    expect(messages(newCronJob('cj', {}, { backoffLimit: -1, parallelism: -2 }))).toEqual([
      'spec.jobTemplate.spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
      'spec.jobTemplate.spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(messages(newCronJob('cj', {}, { backoffLimitPerIndex: 1 }))).toEqual([
      'spec.jobTemplate.spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    ]);
  });

  it('applies the pod rules under spec.jobTemplate.spec.template', () => {
    expect(messages(newCronJob('cj', {}, {}, { containers: [] }))).toEqual(['spec.jobTemplate.spec.template.spec.containers: Required value']);
    expect(messages(newCronJob('cj', {}, {}, { containers: [{ name: 'c' }] }))).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].image: Required value']);
  });

  it('refuses a selector: each Job gets a generated one', () => {
    const selector = { matchLabels: { app: 'x' } };
    const out = create(cronJobs, newCronJob('cj', {}, { selector }));
    expect(out.errors.map((e) => [e.field, e.type, e.value, e.detail])).toEqual([
      ['spec.jobTemplate.spec.selector', 'FieldValueInvalid', selector, '`selector` will be auto-generated'],
    ]);
  });

  it('refuses manualSelector true and accepts false', () => {
    expect(messages(newCronJob('cj', {}, { manualSelector: true }))).toEqual([
      'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]);
    expect(messages(newCronJob('cj', {}, { manualSelector: false }))).toEqual([]);
  });

  it('validates an absent jobTemplate as an empty Job spec (as a Job without template)', () => {
    expect(messages({ metadata: { name: 'cj' }, spec: { schedule: '@daily' } })).toEqual([
      'spec.jobTemplate.spec.template.spec: Required value',
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('requires a spec', () => {
    expect(messages({ metadata: { name: 'cj' } })).toEqual(['spec: Required value']);
  });
});

describe('CronJob validation: update', () => {
  it('lets every part of the spec change (nothing in it is immutable)', () => {
    const old = stored(newCronJob('cj'));
    const next = structuredClone(old);
    next.spec = {
      ...next.spec,
      schedule: '@daily',
      timeZone: 'Asia/Tokyo',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 30,
      successfulJobsHistoryLimit: 10,
      failedJobsHistoryLimit: 5,
    };
    next.spec.jobTemplate.spec!.template.spec.containers = [{ name: 'other', image: 'alpine:3' }];
    next.spec.jobTemplate.spec!.completions = 4;
    const out = update(cronJobs, next, old);
    expect(out.errors).toEqual([]);
    expect(out.obj.spec.jobTemplate.spec!.template.spec.containers[0].image).toBe('alpine:3');
  });

  it('keeps the metadata update rules', () => {
    const old = stored(newCronJob('cj'));
    const next = structuredClone(old);
    next.metadata.name = 'renamed';
    expect(update(cronJobs, next, old).messages).toEqual(['metadata.name: Invalid value: "renamed": field is immutable']);
  });
});
