// The Secret's rules (pkg/registry/core/secret/strategy.go): type Opaque by default,
// stringData folded into data (base64) once valid, a warning when a TLS key does not
// match its certificate.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { setOwn } from '../../../machinery/own-properties.js';
import type { ResourceStrategy } from '../resource.js';
import { SecretKeys, SecretTypes, type SecretObject } from './types.js';
import { effectiveSecretData, validateSecret, validateSecretUpdate } from './validation.js';

/** Writes stringData into data as base64 and drops stringData (upstream does it on decode). */
export function mergeStringData(secret: SecretObject): void {
  if (!secret.stringData) return;
  const data = (secret.data ??= {});
  // Keys are data: a "__proto__" key is set as an own key, not through the prototype's setter.
  for (const [key, value] of Object.entries(secret.stringData)) setOwn(data, key, Buffer.from(String(value), 'utf8').toString('base64'));
  delete secret.stringData;
}

/** tls.X509KeyPair's complaints, without the key material. */
function tlsWarnings(secret: SecretObject): string[] {
  if (secret.type !== SecretTypes.tls) return [];
  const { data } = effectiveSecretData(secret);
  const cert = data.get(SecretKeys.tlsCert);
  const key = data.get(SecretKeys.tlsKey);
  if (!cert || !cert.toString('utf8').includes('-----BEGIN')) return ['tls: failed to find any PEM data in certificate input'];
  if (!key || !key.toString('utf8').includes('-----BEGIN')) return ['tls: failed to find any PEM data in key input'];
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return ['tls: private key does not match public key'];
  } catch {
    return ['tls: failed to parse certificate or private key'];
  }
  return [];
}

export const secretStrategy: ResourceStrategy<SecretObject> = {
  defaults(secret) {
    if (!secret.type) secret.type = SecretTypes.opaque;
  },
  prepareForCreate() {},
  prepareForUpdate() {},
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  canonicalize: mergeStringData,
  warningsOnCreate: tlsWarnings,
  warningsOnUpdate: tlsWarnings,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};
