// The serving certificates: a CA made on first start (as k3s does) and a server
// certificate it signs for every name the API is reached by. kubectl trusts the CA
// through the kubeconfig; nothing is sent in clear to a non-loopback peer.
import { webcrypto, createPrivateKey, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type X509 = typeof import('@peculiar/x509');
const crypto = webcrypto;

/**
 * @peculiar/x509 (and the ASN.1 and dependency-injection modules under it, some 250) is
 * loaded only to issue a certificate: a start that finds valid ones reads them with node:crypto.
 */
async function loadX509(): Promise<X509> {
  await import('reflect-metadata'); // @peculiar/x509's dependency injection needs it loaded first
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  return x509;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 24 * 3600 * 1000;

export interface ServingCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/**
 * Loads the CA and serving certificate from `dir`, creating what is missing. The serving
 * certificate is re-issued when a host it must cover is not among its names, or when it
 * expires within 30 days. The CA (10 years) is kept, so kubeconfigs stay valid.
 */
export async function ensureServingCerts(dir: string, hosts: string[]): Promise<ServingCerts> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');

  let caPem: string;
  // The CA's key is read only when a serving certificate is to be signed.
  let caKey: CryptoKey | undefined;
  if (existsSync(caCertPath) && existsSync(caKeyPath)) {
    caPem = readFileSync(caCertPath, 'utf8');
  } else {
    const x509 = await loadX509();
    const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = new Date();
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: 'CN=jobyard-ca',
      notBefore: new Date(now.getTime() - 3600 * 1000),
      notAfter: new Date(now.getTime() + 3650 * DAY_MS),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    caPem = ca.toString('pem');
    caKey = keys.privateKey;
    writeFileSync(caKeyPath, await exportKeyPem(caKey), { mode: 0o600 });
    // Public, but the whole data directory is private (0600 files): kubeconfigs carry the CA.
    writeFileSync(caCertPath, caPem, { mode: 0o600 });
  }

  const wanted = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts.filter(Boolean)])];
  if (existsSync(certPath) && existsSync(keyPath)) {
    const current = new NodeX509(readFileSync(certPath));
    const san = current.subjectAltName ?? '';
    const covers = wanted.every((h) => san.includes(isIp(h) ? `IP Address:${h === '::1' ? '0:0:0:0:0:0:0:1' : h}` : `DNS:${h}`));
    const fresh = new Date(current.validTo).getTime() - Date.now() > 30 * DAY_MS;
    const signedByCa = current.checkIssued(new NodeX509(caPem));
    if (covers && fresh && signedByCa) {
      return { caPem, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
    }
  }

  const x509 = await loadX509();
  caKey ??= await importKeyPem(readFileSync(caKeyPath, 'utf8'));
  const caCert = new x509.X509Certificate(caPem);
  const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=jobyard-apiserver',
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 3600 * 1000),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(wanted.map((h) => (isIp(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  const certPem = cert.toString('pem');
  const keyPem = await exportKeyPem(keys.privateKey);
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  writeFileSync(certPath, certPem, { mode: 0o600 });
  return { caPem, certPem, keyPem };
}

function randomSerial(): string {
  const b = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  b[0] &= 0x7f; // positive
  return b.toString('hex');
}
