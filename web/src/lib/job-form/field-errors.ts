// The server's field errors (a 422 Status's causes) mapped onto the wizard's fields.
import type { StatusCause } from '../../../../api/meta.js';
import type { FieldMapEntry, FormPath } from './to-job.js';

export interface FormFieldError {
  formPath: FormPath;
  /** The server's message without the path ("Required value", "Invalid value: …"). */
  messages: string[];
}

export interface MappedErrors {
  fields: FormFieldError[];
  /** Causes no form field answers for, as "<field>: <message>". */
  general: string[];
}

/** Upstream writes map keys as `limits[cpu]`; the field map uses dots: `limits.cpu`. */
export function normaliseFieldPath(path: string): string {
  return path.replace(/\[([^\]]*[^0-9\]][^\]]*)\]/g, '.$1');
}

/** The form field for a Job field path: the longest mapped prefix (on a path boundary). */
export function formPathFor(field: string, fieldMap: readonly FieldMapEntry[]): FormPath | undefined {
  const f = normaliseFieldPath(field);
  let best: FieldMapEntry | undefined;
  for (const e of fieldMap) {
    const p = e.jobPath;
    const matches = f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`);
    if (matches && (!best || p.length > best.jobPath.length)) best = e;
  }
  return best?.formPath;
}

/** Groups the causes by form field; the rest are general errors. */
export function mapCausesToForm(causes: readonly StatusCause[], fieldMap: readonly FieldMapEntry[]): MappedErrors {
  const byPath = new Map<string, FormFieldError>();
  const general: string[] = [];
  for (const c of causes) {
    const message = c.message ?? c.reason ?? '';
    const fp = c.field ? formPathFor(c.field, fieldMap) : undefined;
    if (!fp) {
      general.push(c.field ? `${c.field}: ${message}` : message);
      continue;
    }
    const key = JSON.stringify(fp);
    const entry = byPath.get(key) ?? { formPath: fp, messages: [] };
    if (!entry.messages.includes(message)) entry.messages.push(message);
    byPath.set(key, entry);
  }
  return { fields: [...byPath.values()], general };
}

/** The wizard step (0 basic information, 1 containers, 2 job settings) that shows a form field. */
export function stepOfFormPath(fp: FormPath): 0 | 1 | 2 {
  const top = fp[0];
  if (top === 'containers' || top === 'imagePullSecrets') return 1;
  if (top === 'completions' || top === 'parallelism' || top === 'activeDeadlineSeconds' || top === 'backoffLimit' || top === 'restartPolicy') return 2;
  return 0;
}
