import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServingCerts } from './tls.js';

describe('ensureServingCerts', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'jobyard-tls-')), 'pki');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('makes a CA and a serving certificate it signs, for loopback and the given hosts, files 0600', async () => {
    const certs = await ensureServingCerts(dir, ['node-1']);
    const ca = new X509Certificate(certs.caPem);
    const cert = new X509Certificate(certs.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('DNS:node-1');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    // The key is the certificate's.
    expect(createPublicKey(createPrivateKey(certs.keyPem)).export({ format: 'pem', type: 'spki' })).toBe(cert.publicKey.export({ format: 'pem', type: 'spki' }));
    for (const f of ['ca.crt', 'ca.key', 'server.crt', 'server.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('keeps both certificates on a start that needs no new names', async () => {
    const first = await ensureServingCerts(dir, ['node-1']);
    const again = await ensureServingCerts(dir, ['node-1']);
    expect(again).toEqual(first);
  });

  it('re-issues the serving certificate with the same CA (its key read from the file) when a name is new', async () => {
    const first = await ensureServingCerts(dir, ['node-1']);
    const caKeyBefore = readFileSync(join(dir, 'ca.key'), 'utf8');
    const next = await ensureServingCerts(dir, ['node-1', 'jobs.example.com', '10.1.2.3']);
    expect(next.caPem).toBe(first.caPem);
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).toBe(caKeyBefore);
    expect(next.certPem).not.toBe(first.certPem);
    const cert = new X509Certificate(next.certPem);
    expect(cert.verify(new X509Certificate(next.caPem).publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:jobs.example.com');
    expect(cert.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(next.certPem);
  });
});
