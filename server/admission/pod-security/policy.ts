// Pod Security levels, versions and the namespace labels that choose them
// (k8s.io/pod-security-admission/api: ParseLevel, ParseVersion, PolicyToEvaluate).
import { type FieldError, FieldPath, fieldErrors } from '../../../machinery/index.js';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

const PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${PREFIX}warn`;
export const WARN_VERSION_LABEL = `${PREFIX}warn-version`;

/**
 * A policy version: "latest" or "v1.N". jobyard evaluates every version with the latest checks
 * (a documented deviation: upstream keeps each minor's rules); the version is kept for messages.
 */
export interface LevelVersion {
  level: Level;
  version: string;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${lv.version}`;
}

/** Same level and version, or both privileged (upstream's LevelVersion.Equivalent). */
export function equivalent(a: LevelVersion, b: LevelVersion): boolean {
  return (a.level === 'privileged' && b.level === 'privileged') || (a.level === b.level && a.version === b.version);
}

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

/** -1, 0 or +1 as a is less, as, or more strict than b. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

export function parseVersion(value: string): { version: string; error?: string } {
  if (value === 'latest' || VERSION.test(value)) return { version: value };
  return { version: 'latest', error: 'must be "latest" or "v1.x"' };
}

export function parseLevel(value: string): { level: Level; error?: string } {
  if (isLevel(value)) return { level: value };
  return { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

/** A policy where every mode is this level at "latest". */
export function uniformPolicy(level: Level): Policy {
  return { enforce: { level, version: 'latest' }, audit: { level, version: 'latest' }, warn: { level, version: 'latest' } };
}

/**
 * The namespace's policy from its labels, defaults where a label is absent. Bad values give
 * field errors on metadata.labels and still a policy: enforce falls back to restricted,
 * audit and warn fail open to privileged (upstream's PolicyToEvaluate).
 */
export function policyToEvaluate(labels: Record<string, string> | undefined, defaults: Policy): { policy: Policy; errors: FieldError[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: FieldError[] = [];
  if (!labels || Object.keys(labels).length === 0) return { policy: p, errors };
  const labelsPath = FieldPath.root('metadata').child('labels');
  const bad = (label: string, value: string, error?: string) => {
    if (error) errors.push(fieldErrors.invalid(labelsPath.key(label), value, error));
    return !!error;
  };
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  let hasEnforceLevel = false;
  if (has(ENFORCE_LEVEL_LABEL)) {
    const r = parseLevel(labels[ENFORCE_LEVEL_LABEL]);
    p.enforce.level = r.level;
    hasEnforceLevel = !bad(ENFORCE_LEVEL_LABEL, labels[ENFORCE_LEVEL_LABEL], r.error);
  }
  if (has(ENFORCE_VERSION_LABEL)) {
    const r = parseVersion(labels[ENFORCE_VERSION_LABEL]);
    p.enforce.version = r.version;
    bad(ENFORCE_VERSION_LABEL, labels[ENFORCE_VERSION_LABEL], r.error);
  }
  if (has(AUDIT_LEVEL_LABEL)) {
    const r = parseLevel(labels[AUDIT_LEVEL_LABEL]);
    p.audit.level = bad(AUDIT_LEVEL_LABEL, labels[AUDIT_LEVEL_LABEL], r.error) ? 'privileged' : r.level;
  }
  if (has(AUDIT_VERSION_LABEL)) {
    const r = parseVersion(labels[AUDIT_VERSION_LABEL]);
    p.audit.version = r.version;
    bad(AUDIT_VERSION_LABEL, labels[AUDIT_VERSION_LABEL], r.error);
  }
  const hasWarnLevel = has(WARN_LEVEL_LABEL);
  if (hasWarnLevel) {
    const r = parseLevel(labels[WARN_LEVEL_LABEL]);
    p.warn.level = bad(WARN_LEVEL_LABEL, labels[WARN_LEVEL_LABEL], r.error) ? 'privileged' : r.level;
  }
  const hasWarnVersion = has(WARN_VERSION_LABEL);
  if (hasWarnVersion) {
    const r = parseVersion(labels[WARN_VERSION_LABEL]);
    p.warn.version = r.version;
    bad(WARN_VERSION_LABEL, labels[WARN_VERSION_LABEL], r.error);
  }
  // An explicit, stricter enforce level also warns at that level unless warn is set.
  if (!hasWarnLevel && hasEnforceLevel && compareLevels(p.enforce.level, p.warn.level) > 0) {
    p.warn.level = p.enforce.level;
    if (!hasWarnVersion) p.warn.version = p.enforce.version;
  }
  return { policy: p, errors };
}

export function fullyPrivileged(p: Policy): boolean {
  return p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged';
}
