import { webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { fieldErrorString } from '../../../machinery/index.js';
import { create, update } from '../testing/strategy-sequence.js';
import { secrets } from './index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (extra: Record<string, unknown> = {}) => ({ metadata: { name: 's' }, ...extra });
const SECRET_VALUE = 'hunter2-super-secret';

describe('Secret defaults and canonicalize', () => {
  it('defaults the type to Opaque', () => {
    expect(create(secrets, secret({ data: { a: b64('x') } })).obj.type).toBe('Opaque');
  });

  it('merges stringData into data as base64, stringData winning', () => {
    const { obj, errors } = create(secrets, secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'plain' } }));
    expect(errors).toEqual([]);
    expect(obj.data).toEqual({ a: b64('new'), b: b64('keep'), c: b64('plain') });
    expect(obj.stringData).toBeUndefined();
  });
});

describe('Secret validation', () => {
  it('validates keys of data and stringData under data[...]', () => {
    expect(create(secrets, secret({ data: { 'a b': b64('x') }, stringData: { 'c/d': 'y' } })).errors.map((e) => e.field)).toEqual(['data[a b]', 'data[c/d]']);
  });

  it('limits the decoded data to 1 MiB', () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 1).toString('base64');
    expect(create(secrets, secret({ data: { big } })).messages).toEqual(['data: Too long: may not be more than 1048576 bytes']);
    expect(create(secrets, secret({ data: { big: Buffer.alloc(1024 * 1024, 1).toString('base64') } })).errors).toEqual([]);
  });

  it('requires .dockerconfigjson holding a JSON object for kubernetes.io/dockerconfigjson', () => {
    const type = 'kubernetes.io/dockerconfigjson';
    expect(create(secrets, secret({ type })).messages).toEqual(['data[.dockerconfigjson]: Required value']);
    expect(create(secrets, secret({ type, data: { '.dockerconfigjson': b64(`{"auths":{"r":{"auth":"${SECRET_VALUE}"}}}`) } })).errors).toEqual([]);
    expect(create(secrets, secret({ type, stringData: { '.dockerconfigjson': '{"auths":{}}' } })).errors).toEqual([]);
    expect(create(secrets, secret({ type, data: { '.dockerconfigjson': b64(`{"auths": ${SECRET_VALUE}`) } })).messages).toEqual([
      'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid JSON',
    ]);
    expect(create(secrets, secret({ type, stringData: { '.dockerconfigjson': '["a"]' } })).messages).toEqual([
      'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    ]);
  });

  it('requires .dockercfg for kubernetes.io/dockercfg', () => {
    expect(create(secrets, secret({ type: 'kubernetes.io/dockercfg', data: { other: b64('{}') } })).messages).toEqual(['data[.dockercfg]: Required value']);
  });

  it('requires username or password for kubernetes.io/basic-auth', () => {
    expect(create(secrets, secret({ type: 'kubernetes.io/basic-auth' })).messages).toEqual(['data[username]: Required value', 'data[password]: Required value']);
    expect(create(secrets, secret({ type: 'kubernetes.io/basic-auth', stringData: { password: '' } })).errors).toEqual([]);
  });

  it('requires tls.crt and tls.key for kubernetes.io/tls', () => {
    expect(create(secrets, secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('x') } })).messages).toEqual(['data[tls.key]: Required value']);
  });

  it('requires a non-empty ssh-privatekey for kubernetes.io/ssh-auth', () => {
    expect(create(secrets, secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } })).messages).toEqual(['data[ssh-privatekey]: Required value']);
  });

  it('requires the service account annotation for service-account-token Secrets', () => {
    expect(create(secrets, secret({ type: 'kubernetes.io/service-account-token' })).messages).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('accepts unknown types without checks', () => {
    expect(create(secrets, secret({ type: 'example.com/custom' })).errors).toEqual([]);
  });

  it('rejects data that is not base64 without echoing it', () => {
    expect(create(secrets, secret({ data: { k: `${SECRET_VALUE}!` } })).messages).toEqual([
      'data[k]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 7',
    ]);
  });

  it('never puts a secret value into any error', () => {
    const cases = [
      secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': SECRET_VALUE } }),
      secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(SECRET_VALUE) } }),
      secret({ data: { k: SECRET_VALUE } }),
      secret({ stringData: { 'bad key': SECRET_VALUE, big: SECRET_VALUE.repeat(60_000) } }),
    ];
    for (const c of cases) {
      const out = create(secrets, c);
      expect(out.errors.length).toBeGreaterThan(0);
      const text = JSON.stringify(out.errors) + out.errors.map(fieldErrorString).join('\n');
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(b64(SECRET_VALUE));
    }
  });
});

describe('Secret update', () => {
  const stored = (extra: Record<string, unknown> = {}) => {
    const s = create(secrets, secret({ data: { a: b64('1') }, ...extra })).obj;
    s.metadata.resourceVersion = '1';
    return s;
  };

  it('keeps the type', () => {
    const old = stored();
    const next = structuredClone(old);
    next.type = 'kubernetes.io/tls';
    next.data = { ...next.data, 'tls.crt': b64('c'), 'tls.key': b64('k') };
    expect(update(secrets, next, old).messages).toEqual(['type: Invalid value: "kubernetes.io/tls": field is immutable']);
  });

  it('keeps an immutable Secret’s data, and never reports the data itself', () => {
    const old = stored({ immutable: true });
    const next = structuredClone(old);
    next.stringData = { a: SECRET_VALUE };
    const out = update(secrets, next, old);
    expect(out.messages).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    const same = structuredClone(old);
    same.stringData = { a: '1' };
    expect(update(secrets, same, old).errors).toEqual([]);
  });
});

describe('Secret TLS warnings', () => {
  async function keyPairPem(): Promise<{ cert: string; key: string }> {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=test', keys, signingAlgorithm: alg }, webcrypto);
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
    return { cert: cert.toString('pem'), key };
  }

  it('warns about nothing when the key matches the certificate', async () => {
    const { cert, key } = await keyPairPem();
    const out = create(secrets, secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert, 'tls.key': key } }));
    expect(out.errors).toEqual([]);
    expect(out.warnings).toEqual([]);
  });

  it('warns when the key belongs to another certificate', async () => {
    const a = await keyPairPem();
    const b = await keyPairPem();
    const out = create(secrets, secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': a.cert, 'tls.key': b.key } }));
    expect(out.errors).toEqual([]);
    expect(out.warnings).toEqual(['tls: private key does not match public key']);
  });

  it('warns when the certificate is not PEM', async () => {
    const { key } = await keyPairPem();
    expect(create(secrets, secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'nope', 'tls.key': key } })).warnings).toEqual([
      'tls: failed to find any PEM data in certificate input',
    ]);
  });
});

describe('Secret definition', () => {
  it('serves type as a field selector and prints NAME TYPE DATA AGE', () => {
    expect(secrets.selectableFields!({ metadata: {} })).toEqual({ type: '' });
    const s = create(secrets, secret({ data: { a: b64('1'), b: b64('2') } })).obj;
    expect(secrets.selectableFields!(s)).toEqual({ type: 'Opaque' });
    expect(secrets.table!.cells(s, new Date('2026-01-01T00:03:00Z'))).toEqual(['s', 'Opaque', 2, '3m']);
  });
});
