// The service-account signing key: one ES256 (P-256) key pair in the data directory, made on
// first start (0600), as kubeadm's sa.key / sa.pub. Tokens signed with it stay valid across
// restarts; its public half is served at /openid/v1/jwks.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** upstream's keyIDFromPublicKey: base64url(SHA-256(PKIX DER of the public key)). */
  keyId: string;
  alg: 'ES256';
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** Loads DIR/sa.key (PKCS#8 PEM), creating it and DIR/sa.pub when missing. */
export function ensureSigningKey(dir: string): SigningKey {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'sa.key');
  const pubPath = join(dir, 'sa.pub');
  let privateKey: KeyObject;
  if (existsSync(keyPath)) {
    privateKey = createPrivateKey(readFileSync(keyPath));
  } else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const publicKey = createPublicKey(privateKey);
  if (!existsSync(pubPath)) writeFileSync(pubPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), alg: 'ES256' };
}
