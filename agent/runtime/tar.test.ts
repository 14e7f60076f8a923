import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTar, readTar, TarReader } from './tar.js';

describe('buildTar / readTar', () => {
  const longPath = 'deep/' + 'd'.repeat(120) + '/' + 'f'.repeat(90) + '.txt';
  const veryLong = 'p'.repeat(120) + '/' + 'q'.repeat(200);
  const entries = [
    { path: 'bin', type: 'directory' as const },
    { path: 'bin/tool', type: 'file' as const, data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755, mtime: new Date('2026-01-02T03:04:05Z') },
    { path: '..data', type: 'symlink' as const, linkTarget: '..2026_01_01' },
    { path: longPath, type: 'file' as const, data: Buffer.alloc(1500, 7) },
    { path: veryLong, type: 'file' as const, data: Buffer.from('pax') },
    { path: 'empty', type: 'file' as const },
  ];

  it('round-trips entries, long names through ustar prefix and PAX', () => {
    const got = readTar(buildTar(entries));
    expect(got.map((e) => [e.header.path, e.header.type, e.header.size])).toEqual([
      ['bin', 'directory', 0],
      ['bin/tool', 'file', 18],
      ['..data', 'symlink', 0],
      [longPath, 'file', 1500],
      [veryLong, 'file', 3],
      ['empty', 'file', 0],
    ]);
    expect(got[1].header.mode).toBe(0o755);
    expect(got[1].header.mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(got[1].data.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(got[2].header.linkTarget).toBe('..2026_01_01');
    expect(got[3].data.equals(Buffer.alloc(1500, 7))).toBe(true);
  });

  it('parses the same bytes fed one byte at a time', () => {
    const archive = buildTar(entries);
    const r = new TarReader();
    const events = [];
    for (let i = 0; i < archive.length; i++) events.push(...r.push(archive.subarray(i, i + 1)));
    const headers = events.filter((e) => e.kind === 'header').map((e) => (e.kind === 'header' ? e.header.path : ''));
    expect(headers).toEqual(entries.map((e) => e.path));
    expect(events.at(-1)).toEqual({ kind: 'end' });
  });

  it('writes archives GNU tar reads and reads archives GNU tar writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobyard-tar-'));
    writeFileSync(join(dir, 'ours.tar'), buildTar(entries));
    const listing = execFileSync('tar', ['-tvf', join(dir, 'ours.tar')]).toString();
    expect(listing).toContain('bin/tool');
    expect(listing).toContain(veryLong);
    execFileSync('tar', ['-xf', join(dir, 'ours.tar'), '-C', dir]);
    expect(readFileSync(join(dir, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');

    execFileSync('tar', ['--format=pax', '-cf', join(dir, 'theirs.tar'), '-C', dir, 'bin', veryLong]);
    const theirs = readTar(readFileSync(join(dir, 'theirs.tar')));
    expect(theirs.map((e) => e.header.path)).toEqual(['bin', 'bin/tool', veryLong]);
    expect(theirs[1].data.toString()).toBe('#!/bin/sh\necho hi\n');
  });
});
