// CronJob schedules as upstream reads them (robfig/cron's ParseStandard): five fields
// (minute hour day-of-month month day-of-week, names and `?` allowed, day-of-month and
// day-of-week OR-ed when both are restricted) or a descriptor (@yearly, @annually, @monthly,
// @weekly, @daily, @midnight, @hourly, `@every <Go duration>`), in an IANA time zone. cron-parser does the calendar
// arithmetic (time zones and daylight saving included); this keeps upstream's syntax.
import { CronExpressionParser } from 'cron-parser';
import { parseGoDurationMs } from './go-duration.js';
import { errorMessage } from './error-message.js';

export interface CronSchedule {
  /** The first scheduled time strictly after `after`; undefined for a schedule that never fires. */
  next(after: Date): Date | undefined;
}

/** A day of month no month of the schedule has (`0 0 31 2 *`): valid upstream, it never fires. */
const NEVER = /Invalid explicit day of month definition/;

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * `@every <duration>` (robfig's ConstantDelaySchedule): the delay rounded down to whole seconds,
 * at least one; each time is the previous one (whole second) plus the delay. No time zone applies.
 */
function everySchedule(text: string): CronSchedule {
  const ms = parseGoDurationMs(text);
  if (ms === undefined) throw new Error(`failed to parse duration @every ${text}: time: invalid duration ${JSON.stringify(text)}`);
  const delay = Math.max(1000, ms - (ms % 1000));
  return { next: (after) => new Date(after.getTime() - (after.getTime() % 1000) + delay) };
}

/** Why a time zone name is not one the schedule can use, or undefined when it is. */
export function timeZoneError(timeZone: string): string | undefined {
  if (timeZone === '' || timeZone === 'Local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone ${timeZone}`;
  }
  // ICU matches names in any case; the tz database (and upstream, which reads its files) does not.
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) return `unknown time zone ${timeZone}`;
  return undefined;
}

/**
 * Parses a schedule; throws an Error whose message says what is wrong (used as the
 * validation detail of spec.schedule).
 */
export function parseCronSchedule(schedule: string, timeZone?: string): CronSchedule {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) throw new Error('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  if (text === '') throw new Error('empty spec string');
  let expression: string;
  if (text.startsWith('@')) {
    const every = /^@every\s+(.*)$/.exec(text);
    if (every) return everySchedule(every[1]!);
    const fields = DESCRIPTORS[text];
    if (!fields) throw new Error(`unrecognized descriptor: ${text}`);
    expression = fields;
  } else {
    const fields = text.split(/\s+/);
    if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${text}`);
    expression = fields.join(' ');
  }
  if (timeZone !== undefined) {
    const tzError = timeZoneError(timeZone);
    if (tzError) throw new Error(tzError);
  }
  const options = { tz: timeZone ?? 'UTC' };
  try {
    CronExpressionParser.parse(expression, { ...options, currentDate: new Date(0) }).next();
  } catch (err) {
    const message = errorMessage(err);
    if (NEVER.test(message)) return { next: () => undefined };
    throw new Error(message);
  }
  return {
    next(after: Date): Date | undefined {
      return CronExpressionParser.parse(expression, { ...options, currentDate: after }).next().toDate();
    },
  };
}
