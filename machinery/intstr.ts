// intstr.IntOrString as apimachinery reads it: a count, or a percentage of a total
// ("50%"), as PodDisruptionBudgets' minAvailable and maxUnavailable hold.
import type { IntOrString } from '../api/index.js';

const PERCENT = /^[0-9]+%$/;

/** validation.IsValidPercent's message. */
export const PERCENT_ERROR =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')";

/** validation.IsValidPercent: empty when `s` is a percentage. */
export function isValidPercent(s: string): string[] {
  return PERCENT.test(s) ? [] : [PERCENT_ERROR];
}

/** The percentage of a string value ("25%" → 25), or undefined for a count or anything else. */
export function percentValue(v: IntOrString): number | undefined {
  return typeof v === 'string' && PERCENT.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** intOrStr.String(): a count in decimal, a string as is. */
export function intOrStringText(v: IntOrString): string {
  return String(v);
}

/**
 * intstr.GetScaledValueFromIntOrPercent: a count as is, a percentage of `total` rounded up or
 * down. Throws upstream's messages for a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = v.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
