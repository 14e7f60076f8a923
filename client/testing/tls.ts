// A throwaway CA and a server certificate for 127.0.0.1, for HTTPS client tests, made with the
// openssl CLI (Debian ships it; @peculiar/x509 2.x needs a reflect-metadata polyfill we do not load).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'jobyard-pki-'));
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ca.key')]);
    run(['req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=jobyard-test-ca', '-days', '1', '-out', f('ca.crt')]);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('server.ec.key')]);
    run(['pkcs8', '-topk8', '-nocrypt', '-in', f('server.ec.key'), '-out', f('server.key')]);
    run(['req', '-new', '-key', f('server.key'), '-subj', '/CN=127.0.0.1', '-out', f('server.csr')]);
    writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('ext.cnf'), '-out', f('server.crt')]);
    return {
      caPem: readFileSync(f('ca.crt'), 'utf8'),
      serverCertPem: readFileSync(f('server.crt'), 'utf8'),
      serverKeyPem: readFileSync(f('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
