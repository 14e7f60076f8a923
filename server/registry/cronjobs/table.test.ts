import { describe, expect, it } from 'vitest';
import { cronJobs } from './index.js';
import type { CronJobObject } from './types.js';

const NOW = new Date('2026-01-01T01:00:00Z');

function cronJob(spec: Partial<CronJobObject['spec']> = {}, status: CronJobObject['status'] = {}): CronJobObject {
  return {
    metadata: { name: 'hello', namespace: 'default', creationTimestamp: '2026-01-01T00:58:00Z' },
    spec: {
      schedule: '*/5 * * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox:1.36' }, { name: 'b', image: 'alpine' }] } } } },
      ...spec,
    },
    status,
  };
}
const cells = (cj: CronJobObject) => cronJobs.table!.cells(cj, NOW);
const byName = (name: string) => cronJobs.table!.columns.findIndex((c) => c.name === name);
const active = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'Job', name: `hello-${i}`, namespace: 'default', uid: `u${i}` }));

describe('cronjob table', () => {
  it('has upstream columns and types, the wide ones at priority 1', () => {
    expect(cronJobs.table!.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Schedule', 'string', 0],
      ['Timezone', 'string', 0],
      ['Suspend', 'boolean', 0],
      ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ]);
  });

  it('fills a CronJob that never ran', () => {
    expect(cells(cronJob())).toEqual(['hello', '*/5 * * * *', '<none>', 'False', 0, '<none>', '2m', 'a,b', 'busybox:1.36,alpine', '<none>']);
  });

  it('fills a suspended CronJob in a time zone with two running Jobs', () => {
    const cj = cronJob({ suspend: true, timeZone: 'Europe/Berlin' }, { active: active(2), lastScheduleTime: '2026-01-01T00:55:00Z' });
    expect(cells(cj).slice(0, 7)).toEqual(['hello', '*/5 * * * *', 'Europe/Berlin', 'True', 2, '5m', '2m']);
  });

  it.each<[string, string, string]>([
    ['seconds', '2026-01-01T00:59:30Z', '30s'],
    ['minutes and seconds', '2026-01-01T00:56:50Z', '3m10s'],
    ['hours', '2025-12-31T20:00:00Z', '5h'],
    ['days', '2025-12-29T01:00:00Z', '3d'],
  ])('LAST SCHEDULE in %s, as kubectl prints ages', (_name, lastScheduleTime, expected) => {
    expect(cells(cronJob({}, { lastScheduleTime }))[byName('Last Schedule')]).toBe(expected);
  });

  it('prints <unset> for SUSPEND when it is not set', () => {
    expect(cells(cronJob({ suspend: undefined }))[byName('Suspend')]).toBe('<unset>');
  });

  it('prints the template selector when there is one', () => {
    const cj = cronJob();
    cj.spec.jobTemplate.spec!.selector = { matchLabels: { b: '2', a: '1' } };
    expect(cells(cj)[byName('Selector')]).toBe('a=1,b=2');
  });

  it('survives a CronJob without spec or status', () => {
    expect(cronJobs.table!.cells({ metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' } }, NOW)).toEqual([
      'x', '', '<none>', '<unset>', 0, '<none>', '60m', '', '', '<none>',
    ]);
  });
});
