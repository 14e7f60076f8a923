// ConfigMap validation (pkg/apis/core/validation ValidateConfigMap / ValidateConfigMapUpdate):
// keys, 1 MiB in total, and immutable ConfigMaps. Pure: returns FieldError[].
import { type FieldError, FieldPath, fieldErrors, isConfigMapKey } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { semanticEqual } from '../semantic-equal.js';
import type { ConfigMapObject } from './types.js';

/** core.MaxSecretSize: the limit on a ConfigMap's (and a Secret's) data, 1 MiB. */
export const MAX_DATA_SIZE_BYTES = 1024 * 1024;
/** Upstream's message for any change to an immutable ConfigMap or Secret. */
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks a base64 value as Go's StdEncoding decodes []byte fields, returning the error
 * text ("illegal base64 data at input byte N") or undefined. Never echoes the value.
 */
export function base64Error(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'illegal base64 data at input byte 0';
  const s = value.replace(/[\r\n]/g, '');
  if (BASE64_RE.test(s) && s.length % 4 === 0) return undefined;
  const bad = s.search(/[^A-Za-z0-9+/=]/);
  const firstPad = s.indexOf('=');
  const at = bad >= 0 ? bad : firstPad >= 0 && firstPad < s.length - 2 ? firstPad : s.length - (s.length % 4 || 4);
  return `illegal base64 data at input byte ${Math.max(0, at)}`;
}

/** Bytes of a base64 value once decoded. */
export function decodedLength(value: string): number {
  return Buffer.from(value.replace(/[\r\n]/g, ''), 'base64').length;
}

export function validateConfigMap(cm: ConfigMapObject): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const dataPath = new FieldPath('data');
  const binaryPath = new FieldPath('binaryData');
  let total = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(dataPath.key(key), key, m));
    if (cm.binaryData && key in cm.binaryData) errs.push(fieldErrors.invalid(dataPath.key(key), key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(binaryPath.key(key), key, m));
    const bad = base64Error(value);
    if (bad) errs.push({ ...fieldErrors.invalid(binaryPath.key(key), null, bad), omitValue: true });
    else total += decodedLength(value);
  }
  // Upstream reports the size on the whole object (an empty path).
  if (total > MAX_DATA_SIZE_BYTES) errs.push(fieldErrors.tooLong('', MAX_DATA_SIZE_BYTES));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMapObject, old: ConfigMapObject): FieldError[] {
  const errs = validateObjectMetaUpdate(cm.metadata, old.metadata);
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!semanticEqual(cm.data, old.data)) errs.push(fieldErrors.forbidden('data', IMMUTABLE_WHEN_SET));
    if (!semanticEqual(cm.binaryData, old.binaryData)) errs.push(fieldErrors.forbidden('binaryData', IMMUTABLE_WHEN_SET));
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}
