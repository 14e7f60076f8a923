// Holes 8 and 9 of docs/security.md, against the real `jobyard server` on one data directory started
// twice. Hole 8: the data directory holds every Secret, the token and the CA key; it must be
// 0700 with every file 0600 (SQLite's -wal/-shm included), and a directory an older version
// left open (0755, files 0644) is closed again on the next start. Hole 9: the sign-in link (it
// carries the token) is printed once, when the token is made; later starts print no token
// anywhere, and `jobyard console-url` prints a link that signs in.
import { execFile } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer, REPO_ROOT } from '../support/jobyard-server.js';
import { JOBYARD_CLI } from '../support/jobyard-command.js';

const execFileAsync = promisify(execFile);

let root: string;
let dataDir: string;
let first: JobyardServer | undefined;
let second: JobyardServer | undefined;
let firstOutput = '';

/** Every path under `dir` (itself included) with its permission bits, e.g. 'state.db-wal 600'. */
function modes(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const path = rel ? join(dir, rel) : dir;
    const st = lstatSync(path);
    out.push(`${rel || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(rel ? join(rel, name) : name);
  };
  walk('');
  return out;
}

function loosen(dir: string): void {
  for (const line of modes(dir)) {
    const rel = line.slice(0, line.lastIndexOf(' '));
    const path = rel === '.' ? dir : join(dir, rel);
    chmodSync(path, lstatSync(path).isDirectory() ? 0o755 : 0o644);
  }
}

const occurrences = (text: string, what: string) => text.split(what).length - 1;

async function createSecret(server: JobyardServer, name: string): Promise<void> {
  const r = await server.kubectl(['create', 'secret', 'generic', name, '--from-literal=password=s3cr3t']);
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jobyard-datadir-'));
  dataDir = join(root, 'data');
  first = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a new data directory', () => {
  it('has no file or directory group or others can read, -wal and -shm included, after a write', async () => {
    await createSecret(first!, 'one');
    const seen = modes(dataDir);
    // What must be there for the walk to mean anything.
    for (const name of ['state.db', 'state.db-wal', 'state.db-shm', 'logs.db', 'token', 'kubeconfig', 'pki', 'pki/ca.key', 'pki/ca.crt']) {
      expect(seen.some((l) => l.startsWith(`${name} `)), `${name} in ${seen.join(', ')}`).toBe(true);
    }
    const open = seen.filter((l) => {
      const [rel, mode] = [l.slice(0, l.lastIndexOf(' ')), parseInt(l.slice(l.lastIndexOf(' ') + 1), 8)];
      const isDir = lstatSync(rel === '.' ? dataDir : join(dataDir, rel)).isDirectory();
      return mode !== (isDir ? 0o700 : 0o600);
    });
    expect(open).toEqual([]);
  });

  it('the first start prints the sign-in link with the token once', async () => {
    firstOutput = first!.logs();
    expect(occurrences(firstOutput, first!.token)).toBe(1);
    expect(firstOutput).toContain(`console:  ${first!.consoleAddress}/auth/login?token=${first!.token}`);
    expect(firstOutput).toMatch(/console-url --data-dir /);
  });
});

describe('the same data directory started again', () => {
  beforeAll(async () => {
    await first!.stop();
    first = undefined;
    // As an older jobyard (or a hand-made directory) left it.
    loosen(dataDir);
    expect(modes(dataDir)).toContain('state.db 644');
    expect(modes(dataDir)).toContain('. 755');
    second = await JobyardServer.start({ dataDir, args: ['--no-agent'] });
  });

  it('is 0700 again, with every file 0600', async () => {
    await createSecret(second!, 'two');
    const seen = modes(dataDir);
    expect(seen).toContain('. 700');
    expect(seen).toContain('pki 700');
    for (const name of ['state.db', 'state.db-wal', 'state.db-shm', 'logs.db', 'token', 'kubeconfig', 'pki/ca.key', 'pki/ca.crt', 'console-address']) {
      expect(seen, name).toContain(`${name} 600`);
    }
    expect(seen.filter((l) => !l.endsWith(' 600') && !l.endsWith(' 700'))).toEqual([]);
  });

  it('prints the console address without the token, and where to get the link', () => {
    const out = second!.logs();
    expect(out).not.toContain(second!.token);
    expect(out).not.toContain('token=');
    expect(out).toContain(`console:  ${second!.consoleAddress}/\n`);
    expect(out).toContain(`console-url --data-dir ${dataDir}`);
  });

  it('failed sign-ins never put the token (or any query) into the server output', async () => {
    const token = second!.token;
    const base = `${second!.consoleAddress}/auth/login`;
    for (const query of [`token=${token}x`, `token=${token}&token=${token}`, `token=%ZZ${token}`, `token[]=${token}`, `token=${'%'.repeat(3)}${token}`]) {
      const res = await fetch(`${base}?${query}`, { redirect: 'manual' });
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
      expect(await res.text()).not.toContain(token);
    }
    expect(second!.logs()).not.toContain(token);
  });

  it('jobyard console-url --data-dir DIR prints a link that signs in (303 with a session cookie)', async () => {
    const { stdout } = await execFileAsync(process.execPath, [...JOBYARD_CLI, 'console-url', '--data-dir', dataDir], { cwd: REPO_ROOT });
    const url = stdout.trim();
    expect(url).toBe(`${second!.consoleAddress}/auth/login?token=${encodeURIComponent(second!.token)}`);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/^jobyard_session=[^;]+;/);
    expect(second!.logs()).not.toContain(second!.token);
  });
});
