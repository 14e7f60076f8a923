// Which checks run at a level, in which order, and the aggregate message
// (upstream's checkRegistry.EvaluatePod and AggregateCheckResults).
import { BASELINE_CHECKS, type Check, type CheckContext } from './checks-baseline.js';
import { RESTRICTED_CHECKS } from './checks-restricted.js';
import type { Level } from './policy.js';
import type { PodMetaView, PodSpecView } from './pod-view.js';

export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  details: string[];
}

const byId = (a: Check, b: Check) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
// Upstream sorts check IDs (byte order) so messages are stable: baseline first, then restricted.
const BASELINE = [...BASELINE_CHECKS].sort(byId);
const OVERRIDDEN = new Set(RESTRICTED_CHECKS.flatMap((c) => c.overrides ?? []));
const RESTRICTED = [...BASELINE.filter((c) => !OVERRIDDEN.has(c.id)), ...[...RESTRICTED_CHECKS].sort(byId)];

export function checksFor(level: Level): Check[] {
  if (level === 'privileged') return [];
  return level === 'baseline' ? BASELINE : RESTRICTED;
}

export function evaluatePod(level: Level, meta: PodMetaView, spec: PodSpecView, ctx: CheckContext): AggregateResult {
  const reasons: string[] = [];
  const details: string[] = [];
  for (const c of checksFor(level)) {
    const r = c.check(meta, spec, ctx);
    if (r.allowed) continue;
    reasons.push(r.reason || 'unknown forbidden reason');
    details.push(r.detail ?? '');
  }
  return { allowed: reasons.length === 0, reasons, details };
}

/** "privileged (container "main" must not set ...), host namespaces (hostPID=true)" */
export function forbiddenDetail(r: AggregateResult): string {
  return r.reasons.map((reason, i) => (r.details[i] ? `${reason} (${r.details[i]})` : reason)).join(', ');
}

/** "privileged, host namespaces": the short form, for namespace-wide summaries. */
export function forbiddenReason(r: AggregateResult): string {
  return r.reasons.join(', ');
}
