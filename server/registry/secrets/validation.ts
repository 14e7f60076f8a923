// Secret validation (pkg/apis/core/validation ValidateSecret / ValidateSecretUpdate): keys,
// 1 MiB of data, the keys each type needs, immutable Secrets, the type never changes.
// Values are secret: no error ever carries a value (keys are shown, values never).
import { type FieldError, FieldPath, fieldErrors, isConfigMapKey } from '../../../machinery/index.js';
import { base64Error, IMMUTABLE_WHEN_SET, MAX_DATA_SIZE_BYTES } from '../configmaps/validation.js';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../meta-validation.js';
import { SecretKeys, SecretTypes, type SecretObject } from './types.js';

/** The value shown for a Secret's content in an error, as upstream does. */
export const REDACTED = '<secret contents redacted>';

/**
 * The Secret's data as upstream validates it: decoded bytes of `data`, with `stringData`
 * merged over it (upstream merges at decode time, before validation). Undecodable values
 * are returned in `errors` by key.
 */
export function effectiveSecretData(secret: SecretObject): { data: Map<string, Buffer>; errors: Map<string, string> } {
  const data = new Map<string, Buffer>();
  const errors = new Map<string, string>();
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    const bad = base64Error(value);
    if (bad) errors.set(key, bad);
    else data.set(key, Buffer.from(value.replace(/[\r\n]/g, ''), 'base64'));
  }
  for (const [key, value] of Object.entries(secret.stringData ?? {})) {
    errors.delete(key);
    data.set(key, Buffer.from(String(value), 'utf8'));
  }
  return { data, errors };
}

/** json.Unmarshal into map[string]interface{}: the error without the content. */
function jsonObjectError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return 'unexpected end of JSON input';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input; Go's names a character. Neither may leak.
    return 'invalid JSON';
  }
  if (parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'number' ? 'number' : typeof parsed;
    return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
  }
  return undefined;
}

export function validateSecret(secret: SecretObject): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const dataPath = new FieldPath('data');
  const { data, errors } = effectiveSecretData(secret);
  let total = 0;
  const keys = new Set([...data.keys(), ...errors.keys()]);
  for (const key of keys) {
    for (const m of isConfigMapKey(key)) errs.push(fieldErrors.invalid(dataPath.key(key), key, m));
    const bad = errors.get(key);
    if (bad) errs.push(fieldErrors.invalid(dataPath.key(key), REDACTED, bad));
    total += data.get(key)?.length ?? 0;
  }
  if (total > MAX_DATA_SIZE_BYTES) errs.push(fieldErrors.tooLong(dataPath, MAX_DATA_SIZE_BYTES));

  switch (secret.type ?? '') {
    case SecretTypes.serviceAccountToken:
      if (!secret.metadata.annotations?.[SecretKeys.serviceAccountName]) {
        errs.push(fieldErrors.required(new FieldPath('metadata').child('annotations').key(SecretKeys.serviceAccountName)));
      }
      break;
    case SecretTypes.dockercfg:
    case SecretTypes.dockerConfigJson: {
      const key = secret.type === SecretTypes.dockercfg ? SecretKeys.dockercfg : SecretKeys.dockerConfigJson;
      const bytes = data.get(key);
      if (!bytes) {
        if (!errors.has(key)) errs.push(fieldErrors.required(dataPath.key(key)));
        break;
      }
      const bad = jsonObjectError(bytes);
      if (bad) errs.push(fieldErrors.invalid(dataPath.key(key), REDACTED, bad));
      break;
    }
    case SecretTypes.basicAuth:
      // username or password may be empty, but one of them must be present.
      if (!data.has(SecretKeys.username) && !data.has(SecretKeys.password)) {
        errs.push(fieldErrors.required(dataPath.key(SecretKeys.username)));
        errs.push(fieldErrors.required(dataPath.key(SecretKeys.password)));
      }
      break;
    case SecretTypes.sshAuth:
      if ((data.get(SecretKeys.sshPrivateKey)?.length ?? 0) === 0) errs.push(fieldErrors.required(dataPath.key(SecretKeys.sshPrivateKey)));
      break;
    case SecretTypes.tls:
      if (!data.has(SecretKeys.tlsCert)) errs.push(fieldErrors.required(dataPath.key(SecretKeys.tlsCert)));
      if (!data.has(SecretKeys.tlsKey)) errs.push(fieldErrors.required(dataPath.key(SecretKeys.tlsKey)));
      break;
    default:
      break;
  }
  return errs;
}

/** ValidateSecretUpdate: the type is immutable; an immutable Secret keeps its data. */
export function validateSecretUpdate(secret: SecretObject, old: SecretObject): FieldError[] {
  const errs = validateObjectMetaUpdate(secret.metadata, old.metadata);
  if (!secret.type) secret.type = old.type;
  errs.push(...validateImmutableField(secret.type, old.type, 'type'));
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_WHEN_SET));
    const next = effectiveSecretData(secret).data;
    const prev = effectiveSecretData(old).data;
    const same = next.size === prev.size && [...next].every(([k, v]) => prev.get(k)?.equals(v) === true);
    if (!same) errs.push(fieldErrors.forbidden('data', IMMUTABLE_WHEN_SET));
  }
  errs.push(...validateSecret(secret));
  return errs;
}

