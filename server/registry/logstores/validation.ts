// Validation of logs.jobyard.io/v1 Logstore: the name is a DNS label (it is also a path
// segment of the log endpoints and the suffix of `aliyun_logs_<name>`), retention at least a
// day, the size bound a positive quantity.
import { type FieldError, FieldPath, fieldErrors, parseQuantity, QUANTITY_FORMAT_ERROR, quantitySign } from '../../../machinery/index.js';
import { nameIsDNSLabel, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import type { LogstoreObject } from './types.js';

/** Longest retention accepted (ten years). */
export const MAX_RETENTION_DAYS = 3650;

function validateSpec(ls: LogstoreObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = new FieldPath('spec');
  const days = ls.spec?.retentionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS)) {
    errs.push(fieldErrors.invalid(spec.child('retentionDays'), days, `must be between 1 and ${MAX_RETENTION_DAYS} days`));
  }
  const size = ls.spec?.maxSize;
  if (size !== undefined) {
    const p = spec.child('maxSize');
    try {
      const q = parseQuantity(size);
      if (quantitySign(q) <= 0) errs.push(fieldErrors.invalid(p, size, 'must be greater than zero'));
      else if (q.num < q.den * 1024n * 1024n) errs.push(fieldErrors.invalid(p, size, 'must be at least 1Mi'));
    } catch {
      errs.push(fieldErrors.invalid(p, size, QUANTITY_FORMAT_ERROR));
    }
  }
  return errs;
}

/** ValidateLogstore. */
export function validateLogstore(ls: LogstoreObject): FieldError[] {
  return [...validateObjectMeta(ls.metadata, { namespaced: false, nameFn: nameIsDNSLabel }), ...validateSpec(ls)];
}

export function validateLogstoreUpdate(ls: LogstoreObject, old: LogstoreObject): FieldError[] {
  return [...validateObjectMetaUpdate(ls.metadata, old.metadata), ...validateLogstore(ls)];
}

/** Counts are never negative. */
export function validateLogstoreStatusUpdate(ls: LogstoreObject, old: LogstoreObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ls.metadata, old.metadata);
  const status = new FieldPath('status');
  for (const key of ['lines', 'sizeBytes', 'sources'] as const) {
    const v = ls.status?.[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) errs.push(fieldErrors.invalid(status.child(key), v, 'must be greater than or equal to 0'));
  }
  return errs;
}
