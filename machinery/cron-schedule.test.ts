import { describe, expect, it } from 'vitest';
import { parseCronSchedule, timeZoneError } from './cron-schedule.js';

const at = (iso: string) => new Date(iso);
const nexts = (schedule: string, from: string, n: number, tz?: string) => {
  const s = parseCronSchedule(schedule, tz);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) out.push((t = s.next(t)!).toISOString());
  return out;
};

describe('CronJob schedules', () => {
  it('gives the next times strictly after a moment, in UTC by default', () => {
    expect(nexts('*/5 * * * *', '2026-11-28T10:05:00Z', 2)).toEqual(['2026-11-28T10:10:00.000Z', '2026-11-28T10:15:00.000Z']);
    expect(nexts('@hourly', '2026-11-28T10:07:30Z', 1)).toEqual(['2026-11-28T11:00:00.000Z']);
    expect(nexts('@midnight', '2026-11-28T10:07:30Z', 1)).toEqual(['2026-11-29T00:00:00.000Z']);
  });

  it('reads names and ?, and ORs day-of-month with day-of-week as cron does', () => {
    expect(nexts('0 0 1 * FRI', '2026-11-28T00:00:00Z', 2)).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-04T00:00:00.000Z']);
    expect(nexts('30 6 ? JAN MON', '2026-11-28T00:00:00Z', 1)).toEqual(['2027-01-04T06:30:00.000Z']);
  });

  it('follows a time zone, daylight saving included', () => {
    expect(nexts('0 9 * * *', '2026-03-07T00:00:00Z', 2, 'America/New_York')).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
    expect(nexts('@daily', '2026-11-28T10:00:00Z', 1, 'Asia/Shanghai')).toEqual(['2026-11-28T16:00:00.000Z']);
  });

  it('reads @every as a constant delay from the previous time, in whole seconds', () => {
    expect(nexts('@every 1h30m', '2026-11-28T10:07:30.250Z', 2)).toEqual(['2026-11-28T11:37:30.000Z', '2026-11-28T13:07:30.000Z']);
    expect(nexts('@every 500ms', '2026-11-28T10:00:00Z', 1)).toEqual(['2026-11-28T10:00:01.000Z']);
  });

  it('accepts a day no month of the schedule has, as upstream does, and never fires it', () => {
    expect(parseCronSchedule('0 0 31 2 *').next(at('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(parseCronSchedule('0 0 31 4,6 *').next(at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('says what is wrong with a schedule upstream rejects', () => {
    const why = (s: string, tz?: string) => {
      try {
        parseCronSchedule(s, tz);
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(why('TZ=UTC 0 * * * *')).toBe('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(why('CRON_TZ=UTC 0 * * * *')).toBe('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(why('* * * * * *')).toBe('expected exactly 5 fields, found 6: * * * * * *');
    expect(why('')).toBe('empty spec string');
    expect(why('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(why('@every fortnight')).toBe('failed to parse duration @every fortnight: time: invalid duration "fortnight"');
    expect(why('61 * * * *')).toMatch(/61/);
    expect(why('0 * * * *', 'Mars/Olympus')).toBe('unknown time zone Mars/Olympus');
    expect(timeZoneError('Local')).toBe('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
    expect(timeZoneError('Europe/Berlin')).toBeUndefined();
    // Names are case-sensitive, as in the tz database; aliases are names too.
    expect(timeZoneError('america/new_york')).toBe('unknown time zone america/new_york');
    expect(timeZoneError('US/Eastern')).toBeUndefined();
  });
});
