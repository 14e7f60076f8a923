import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.js';
import { ServiceAccountAuthenticator } from './authenticator.js';
import { ensureSigningKey, keyIdOf, type SigningKey } from './keys.js';
import { ServiceAccountTokens, splitServiceAccountUsername } from './tokens.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const SA = { name: 'builder', uid: 'sa-uid' };
const POD = { name: 'p', uid: 'pod-uid' };

function key(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), alg: 'ES256' };
}

function obj(name: string, uid: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'X', metadata: { name, uid, ...extra } };
}

describe('service-account tokens', () => {
  const k = key();
  const tokens = new ServiceAccountTokens(k);

  it("carry upstream's claims, signed ES256 with the key's id", async () => {
    const { token, expirationTimestamp } = await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: ['api'], expirationSeconds: 600, pod: POD, node: { name: 'n', uid: 'n-uid' }, now: NOW });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: k.keyId });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:ns:builder',
      aud: ['api'],
      iat: NOW_S,
      nbf: NOW_S,
      exp: NOW_S + 600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'kubernetes.io': { namespace: 'ns', serviceaccount: SA, pod: POD, node: { name: 'n', uid: 'n-uid' } },
    });
    expect(expirationTimestamp).toEqual(new Date((NOW_S + 600) * 1000));
  });

  it("gives the kubelet's pod-bound 3607 s token for the API a year, warning after 3607 s (extended expiry)", async () => {
    const { token } = await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: [tokens.issuer], expirationSeconds: 3607, pod: POD, now: NOW });
    const claims = decodeJwt(token) as { exp: number; 'kubernetes.io': { warnafter?: number } };
    expect(claims.exp).toBe(NOW_S + 365 * 24 * 3600);
    expect(claims['kubernetes.io'].warnafter).toBe(NOW_S + 3607);
    // Not bound to a pod, or for another audience: the lifetime asked.
    const unbound = decodeJwt((await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: [tokens.issuer], expirationSeconds: 3607, now: NOW })).token);
    expect(unbound.exp).toBe(NOW_S + 3607);
    const foreign = decodeJwt((await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: ['vault'], expirationSeconds: 3607, pod: POD, now: NOW })).token);
    expect(foreign.exp).toBe(NOW_S + 3607);
  });

  it('verify: the right audience within its lifetime (60 s leeway); anything else throws', async () => {
    const { token } = await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: [tokens.issuer], expirationSeconds: 600, now: NOW });
    await expect(tokens.verify(token, NOW)).resolves.toMatchObject({ sub: 'system:serviceaccount:ns:builder' });
    await expect(tokens.verify(token, new Date(NOW.getTime() + 659_000))).resolves.toBeDefined();
    await expect(tokens.verify(token, new Date(NOW.getTime() + 661_000))).rejects.toThrow(/exp/);
    await expect(tokens.verify(token, new Date(NOW.getTime() - 61_000))).rejects.toThrow(/nbf/);
    const other = await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: ['vault'], expirationSeconds: 600, now: NOW });
    await expect(tokens.verify(other.token, NOW)).rejects.toThrow(/aud/);
    // Signed by another key (a forged token), or with its payload changed.
    const forged = await new ServiceAccountTokens(key()).issue({ namespace: 'ns', serviceAccount: SA, audiences: [tokens.issuer], expirationSeconds: 600, now: NOW });
    await expect(tokens.verify(forged.token, NOW)).rejects.toThrow(/signature/);
    const [h, , s] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'system:serviceaccount:kube-system:default' })).toString('base64url');
    await expect(tokens.verify(`${h}.${payload}.${s}`, NOW)).rejects.toThrow(/signature/);
    // Our key, but no kubernetes.io claims, or a sub that does not match them.
    const bare = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(tokens.issuer).setAudience(tokens.issuer).setSubject('system:serviceaccount:ns:x').setIssuedAt(NOW_S).setNotBefore(NOW_S).setExpirationTime(NOW_S + 600).sign(k.privateKey);
    await expect(tokens.verify(bare, NOW)).rejects.toThrow(/kubernetes.io/);
    // Another algorithm (HS256 with the public key as a secret) is refused.
    const hs = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(tokens.issuer).setAudience(tokens.issuer).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(tokens.verify(hs, NOW)).rejects.toThrow();
  });

  it('serves its public key as a JWK set and the OIDC discovery document', async () => {
    const jwks = await tokens.jwks();
    expect(jwks.keys).toEqual([{ use: 'sig', kty: 'EC', kid: k.keyId, crv: 'P-256', alg: 'ES256', x: expect.any(String), y: expect.any(String) }]);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect(tokens.openidConfiguration('https://h:1/openid/v1/jwks')).toEqual({
      issuer: 'https://kubernetes.default.svc.cluster.local',
      jwks_uri: 'https://h:1/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });

  it('keeps its key in the data directory, private, the same across starts', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sa-key-')), 'pki');
    const first = ensureSigningKey(dir);
    expect(statSync(join(dir, 'sa.key')).mode & 0o777).toBe(0o600);
    expect(ensureSigningKey(dir).keyId).toBe(first.keyId);
  });

  it('splits system:serviceaccount:NS:NAME', () => {
    expect(splitServiceAccountUsername('system:serviceaccount:a:b')).toEqual({ namespace: 'a', name: 'b' });
    expect(splitServiceAccountUsername('system:serviceaccount:a')).toBeUndefined();
    expect(splitServiceAccountUsername('jobyard-admin')).toBeUndefined();
  });
});

describe('service-account token authentication', () => {
  const tokens = new ServiceAccountTokens(key());
  const stored = new Map<string, KubeObject>();
  const auth = new ServiceAccountAuthenticator(tokens, { get: (r, ns, name) => stored.get(`${r}/${ns}/${name}`) }, () => NOW);
  const issue = async (extra: { pod?: typeof POD; secret?: typeof POD } = {}) =>
    (await tokens.issue({ namespace: 'ns', serviceAccount: SA, audiences: [tokens.issuer], expirationSeconds: 600, now: NOW, ...extra })).token;

  it('is the service account, in its groups, while the account and the bound pod exist with their uids', async () => {
    stored.clear();
    stored.set('serviceaccounts/ns/builder', obj('builder', 'sa-uid'));
    stored.set('pods/ns/p', obj('p', 'pod-uid'));
    const token = await issue({ pod: POD });
    expect(await auth.authenticate(token)).toEqual({
      username: 'system:serviceaccount:ns:builder',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['p'],
        'authentication.kubernetes.io/pod-uid': ['pod-uid'],
        'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^JTI=/)],
      },
    });
    // The pod deleted, or another pod of the same name: refused.
    stored.delete('pods/ns/p');
    expect(await auth.authenticate(token)).toBeUndefined();
    stored.set('pods/ns/p', obj('p', 'another-uid'));
    expect(await auth.authenticate(token)).toBeUndefined();
    // Being deleted: valid for 60 s more, as upstream.
    stored.set('pods/ns/p', obj('p', 'pod-uid', { deletionTimestamp: new Date(NOW.getTime() - 30_000).toISOString() }));
    expect(await auth.authenticate(token)).toBeDefined();
    stored.set('pods/ns/p', obj('p', 'pod-uid', { deletionTimestamp: new Date(NOW.getTime() - 61_000).toISOString() }));
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('refuses a token whose ServiceAccount or Secret is gone or was made again', async () => {
    stored.clear();
    stored.set('serviceaccounts/ns/builder', obj('builder', 'sa-uid'));
    stored.set('secrets/ns/s', obj('s', 's-uid'));
    const token = await issue({ secret: { name: 's', uid: 's-uid' } });
    expect(await auth.authenticate(token)).toBeDefined();
    stored.delete('secrets/ns/s');
    expect(await auth.authenticate(token)).toBeUndefined();
    const unbound = await issue();
    stored.set('serviceaccounts/ns/builder', obj('builder', 'new-uid'));
    expect(await auth.authenticate(unbound)).toBeUndefined();
    stored.delete('serviceaccounts/ns/builder');
    expect(await auth.authenticate(unbound)).toBeUndefined();
  });

  it('takes nothing that is not a JWT', async () => {
    for (const t of ['', 'abc', 'a.b', 'a.b.c.d', 'a.b.c', '../x.y.z']) expect(await auth.authenticate(t)).toBeUndefined();
  });
});
