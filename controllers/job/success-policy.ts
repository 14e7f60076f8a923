// spec.successPolicy of Indexed Jobs (upstream success_policy.go).
import type { SuccessPolicy } from '../../api/index.js';
import type { DeepReadonly } from '../../client/index.js';
import { type OrderedIntervals, parseIndexesFromString, totalIndexes } from './intervals.js';

/** The first rule the succeeded indexes satisfy: its message, or undefined. */
export function matchSuccessPolicy(
  policy: DeepReadonly<SuccessPolicy> | undefined,
  completions: number,
  succeededIndexes: OrderedIntervals,
): string | undefined {
  if (!policy || succeededIndexes.length === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexesFromString(rule.succeededIndexes, completions);
      if (required.length === 0) continue; // unparsable or out of range
      if (matchSucceededIndexesRule(required, succeededIndexes, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && rule.succeededCount !== null && totalIndexes(succeededIndexes) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** All listed indexes succeeded, or at least succeededCount of them did. */
export function matchSucceededIndexesRule(rule: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let r = 0;
  let s = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap = Math.min(rule[r].last, succeeded[s].last) - Math.max(rule[r].first, succeeded[s].first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s].last < rule[r].last) s++;
    else if (succeeded[s].last > rule[r].last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(rule) || (succeededCount !== undefined && succeededCount !== null && contains >= succeededCount);
}
