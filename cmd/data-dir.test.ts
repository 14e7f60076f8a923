import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleSignInUrl, writeConsoleAddress } from './console-url.js';
import { ensurePrivateFile, securePrivateDir } from './data-dir.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'jobyard-datadir-unit-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const mode = (p: string) => (lstatSync(p).mode & 0o777).toString(8);

describe('securePrivateDir', () => {
  it('makes a missing directory 0700', () => {
    const dir = join(tempDir(), 'a', 'b');
    securePrivateDir(dir);
    expect(mode(dir)).toBe('700');
  });

  it('closes an open directory: dirs 0700, files 0600, all the way down', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pki'));
    mkdirSync(join(dir, 'clusters', 'deep'), { recursive: true });
    for (const f of ['state.db', 'pki/ca.key', 'clusters/deep/x.yaml']) writeFileSync(join(dir, f), 'x', { mode: 0o644 });
    for (const d of ['', 'pki', 'clusters', 'clusters/deep']) chmodSync(join(dir, d), 0o755);
    securePrivateDir(dir);
    expect([mode(dir), mode(join(dir, 'pki')), mode(join(dir, 'clusters/deep'))]).toEqual(['700', '700', '700']);
    expect(['state.db', 'pki/ca.key', 'clusters/deep/x.yaml'].map((f) => mode(join(dir, f)))).toEqual(['600', '600', '600']);
  });

  it("leaves the agent's termination-log files (bind-mounted into containers) and symlink targets alone", () => {
    const dir = tempDir();
    const podFiles = join(dir, 'agent', 'pods', 'uid', 'containers', 'main');
    mkdirSync(podFiles, { recursive: true });
    writeFileSync(join(podFiles, 'abcd'), '');
    chmodSync(join(podFiles, 'abcd'), 0o666);
    const outside = join(tempDir(), 'outside');
    writeFileSync(outside, 'x', { mode: 0o644 });
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, 'link'));
    securePrivateDir(dir);
    expect(mode(join(dir, 'agent'))).toBe('700');
    expect(mode(join(dir, 'agent', 'pods'))).toBe('700');
    expect(mode(join(podFiles, 'abcd'))).toBe('666');
    expect((statSync(outside).mode & 0o777).toString(8)).toBe('644');
  });
});

describe('ensurePrivateFile', () => {
  it('SQLite gives -wal and -shm the mode of the file made before it opens it', () => {
    const path = join(tempDir(), 'state.db');
    ensurePrivateFile(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    db.close();
  });

  it('closes an existing file without touching its content', () => {
    const path = join(tempDir(), 'logs.db');
    writeFileSync(path, 'kept', { mode: 0o644 });
    chmodSync(path, 0o644);
    ensurePrivateFile(path);
    expect(mode(path)).toBe('600');
    expect(statSync(path).size).toBe(4);
  });
});

describe('consoleSignInUrl', () => {
  it('is the recorded address and the token, escaped', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'a+b/c=\n');
    writeConsoleAddress(dir, 'http://127.0.0.1:6443');
    expect(consoleSignInUrl(dir)).toBe('http://127.0.0.1:6443/auth/login?token=a%2Bb%2Fc%3D');
    expect(mode(join(dir, 'console-address'))).toBe('600');
  });

  it('says which file is missing when no server has run with the directory', () => {
    const dir = tempDir();
    expect(() => consoleSignInUrl(dir)).toThrow(`no jobyard server has run with the data directory ${dir} (${join(dir, 'token')} is missing)`);
    writeFileSync(join(dir, 'token'), 't\n');
    expect(() => consoleSignInUrl(dir)).toThrow(`(${join(dir, 'console-address')} is missing)`);
  });
});
