import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/index.js';
import { SqliteObjectStore } from './sqlite-object-store.js';
import { StorageError, type StoredEvent } from './object-store.js';

const pod = (name: string, ns = 'default', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, uid: `uid-${name}` },
  ...extra,
});

const memory = () => new SqliteObjectStore({ path: ':memory:' });

describe('SqliteObjectStore', () => {
  it('assigns increasing resourceVersions across resources', () => {
    const s = memory();
    const a = s.create('pods', pod('a'));
    const b = s.create('batch/jobs', { ...pod('b'), kind: 'Job' });
    expect(Number(a.metadata.resourceVersion)).toBe(1);
    expect(Number(b.metadata.resourceVersion)).toBe(2);
    expect(s.currentRv()).toBe(2);
    expect(s.get('pods', 'default', 'a')?.metadata.resourceVersion).toBe('1');
    expect(s.get('pods', 'default', 'b')).toBeUndefined();
  });

  it('refuses a duplicate key and a stale resourceVersion', () => {
    const s = memory();
    const a = s.create('pods', pod('a'));
    expect(() => s.create('pods', pod('a'))).toThrowError(StorageError);
    s.update('pods', { ...a, spec: { x: 1 } }, { resourceVersion: a.metadata.resourceVersion });
    try {
      s.update('pods', { ...a, spec: { x: 2 } }, { resourceVersion: a.metadata.resourceVersion });
      expect.unreachable();
    } catch (err) {
      expect((err as StorageError).code).toBe('Conflict');
    }
    expect(s.get('pods', 'default', 'a')?.spec).toEqual({ x: 1 });
  });

  it('checks the uid precondition on delete', () => {
    const s = memory();
    s.create('pods', pod('a'));
    expect(() => s.delete('pods', 'default', 'a', { uid: 'other' })).toThrowError(/Precondition failed/);
    const gone = s.delete('pods', 'default', 'a', { uid: 'uid-a' });
    expect(gone.metadata.resourceVersion).toBe('2');
    expect(s.get('pods', 'default', 'a')).toBeUndefined();
  });

  it('lists in key order with namespace, filter and pages', () => {
    const s = memory();
    for (const [ns, n] of [['b', 'x'], ['a', 'z'], ['a', 'y'], ['c', 'w']]) s.create('pods', pod(n, ns));
    expect(s.list('pods').items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a/y', 'a/z', 'b/x', 'c/w']);
    expect(s.list('pods', { namespace: 'a' }).items).toHaveLength(2);
    const page1 = s.list('pods', { limit: 2 });
    expect(page1.items.map((o) => o.metadata.name)).toEqual(['y', 'z']);
    expect(page1.continueAfter).toBe('a/z');
    expect(page1.remaining).toBe(2);
    const page2 = s.list('pods', { limit: 2, startAfter: page1.continueAfter });
    expect(page2.items.map((o) => o.metadata.name)).toEqual(['x', 'w']);
    expect(page2.continueAfter).toBeUndefined();
    const filtered = s.list('pods', { filter: (o) => o.metadata.name !== 'z', limit: 2 });
    expect(filtered.items.map((o) => o.metadata.name)).toEqual(['y', 'x']);
  });

  it('replays history after a resourceVersion and then delivers live events, with the previous object', () => {
    const s = memory();
    const a = s.create('pods', pod('a'));
    s.update('pods', { ...a, spec: { v: 2 } });
    const seen: StoredEvent[] = [];
    const stop = s.watch('pods', undefined, 1, (e) => seen.push(e));
    s.create('batch/jobs', { ...pod('j'), kind: 'Job' });
    s.delete('pods', 'default', 'a');
    stop();
    s.create('pods', pod('b'));
    expect(seen.map((e) => [e.type, e.rv])).toEqual([
      ['MODIFIED', 2],
      ['DELETED', 4],
    ]);
    expect(seen[0].prev?.spec).toBeUndefined();
    expect(seen[0].object.spec).toEqual({ v: 2 });
  });

  it('filters watches by namespace', () => {
    const s = memory();
    const seen: string[] = [];
    s.watch('pods', 'a', 0, (e) => seen.push(e.name));
    s.create('pods', pod('x', 'a'));
    s.create('pods', pod('y', 'b'));
    expect(seen).toEqual(['x']);
  });

  it('answers TooOld for a watch below the compacted resourceVersion', () => {
    const s = memory();
    for (let i = 0; i < 5; i++) s.create('pods', pod(`p${i}`));
    s.compact(3);
    expect(() => s.watch('pods', undefined, 2, () => {})).toThrowError(/too old resource version: 2 \(4\)/);
    const seen: number[] = [];
    s.watch('pods', undefined, 3, (e) => seen.push(e.rv));
    expect(seen).toEqual([4, 5]);
  });

  it('compacts by age but keeps the newest events', () => {
    const s = memory();
    for (let i = 0; i < 10; i++) s.create('pods', pod(`p${i}`));
    expect(s.compactOlderThan(0, 4, Date.now() + 1000)).toBe(6);
    expect(s.compactedRv()).toBe(6);
  });

  it('commits a transaction and its events together, or neither', () => {
    const s = memory();
    const seen: number[] = [];
    s.watch('pods', undefined, 0, (e) => seen.push(e.rv));
    expect(() =>
      s.transaction(() => {
        s.create('pods', pod('a'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.get('pods', 'default', 'a')).toBeUndefined();
    expect(seen).toEqual([]);
    s.transaction(() => {
      s.create('pods', pod('a'));
      s.create('pods', pod('b'));
      expect(seen).toEqual([]); // not before commit
    });
    expect(seen).toEqual([1, 2]);
  });

  it('keeps objects, uids and resourceVersions across a reopen of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobyard-store-'));
    const path = join(dir, 'state.db');
    let s = new SqliteObjectStore({ path });
    s.create('pods', pod('a'));
    s.create('pods', pod('b'));
    s.close();
    s = new SqliteObjectStore({ path });
    expect(s.currentRv()).toBe(2);
    expect(s.get('pods', 'default', 'a')?.metadata.uid).toBe('uid-a');
    const seen: number[] = [];
    s.watch('pods', undefined, 1, (e) => seen.push(e.rv));
    expect(seen).toEqual([2]);
    expect(s.create('pods', pod('c')).metadata.resourceVersion).toBe('3');
    s.close();
  });
  describe('group commit', () => {
    const fileStore = () => {
      const path = join(mkdtempSync(join(tmpdir(), 'jobyard-store-')), 'state.db');
      return { path, s: new SqliteObjectStore({ path, groupCommit: true }) };
    };
    const onDisk = (path: string): string[] => {
      const other = new Database(path, { readonly: true });
      try {
        return (other.prepare("SELECT name FROM objects WHERE resource = 'pods' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      } finally {
        other.close();
      }
    };

    it("commits one turn's writes together: another connection and the watchers see them only after committed()", async () => {
      const { path, s } = fileStore();
      const seen: string[] = [];
      s.watch('pods', undefined, 0, (e) => seen.push(`${e.type} ${e.name} ${e.rv}`));
      s.create('pods', pod('a'));
      s.create('pods', pod('b'));
      const b = s.get('pods', 'default', 'b')!;
      s.update('pods', { ...b, spec: { x: 1 } }, { resourceVersion: b.metadata.resourceVersion });
      // The writer reads its own group at once; nothing is on disk or told to watchers yet.
      expect(s.get('pods', 'default', 'a')?.metadata.resourceVersion).toBe('1');
      expect(onDisk(path)).toEqual([]);
      expect(seen).toEqual([]);
      await s.committed();
      expect(onDisk(path)).toEqual(['a', 'b']);
      expect(seen).toEqual(['ADDED a 1', 'ADDED b 2', 'MODIFIED b 3']);
      s.close();
    });

    it('a write refused inside a group (conflict, duplicate) takes nothing of the others with it', async () => {
      const { path, s } = fileStore();
      const seen: number[] = [];
      s.watch('pods', undefined, 0, (e) => seen.push(e.rv));
      const a = s.create('pods', pod('a'));
      expect(() => s.create('pods', pod('a'))).toThrow(StorageError);
      expect(() => s.update('pods', a, { resourceVersion: '99' })).toThrow(/modified/);
      expect(() =>
        s.transaction(() => {
          s.create('pods', pod('c'));
          throw new Error('boom');
        }),
      ).toThrow('boom');
      s.create('pods', pod('b'));
      await s.committed();
      expect(onDisk(path)).toEqual(['a', 'b']);
      expect(seen).toEqual([1, 2]);
      expect(s.currentRv()).toBe(2);
      s.close();
    });

    it('a watch started inside an open group (from a list of it) gets each later event once, in order', async () => {
      const { s } = fileStore();
      s.create('pods', pod('a'));
      await s.committed();
      s.create('pods', pod('b'));
      const listed = s.list('pods');
      expect(listed.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      const fromList: number[] = [];
      const fromZero: number[] = [];
      s.watch('pods', undefined, listed.rv, (e) => fromList.push(e.rv));
      s.watch('pods', undefined, 0, (e) => fromZero.push(e.rv));
      // History stops at what is on disk; the open group comes with its commit.
      expect(fromZero).toEqual([1]);
      s.create('pods', pod('c'));
      await s.committed();
      expect(fromList).toEqual([3]);
      expect(fromZero).toEqual([1, 2, 3]);
      s.close();
    });

    it("the group's COMMIT carries the resourceVersion of its last write (refused ones aside), so a reopen continues from it", async () => {
      const { path, s } = fileStore();
      const metaRv = () => {
        const other = new Database(path, { readonly: true });
        try {
          return (other.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string } | undefined)?.value;
        } finally {
          other.close();
        }
      };
      const a = s.create('pods', pod('a'));
      s.update('pods', { ...a, spec: { x: 1 } }, { resourceVersion: '1' });
      expect(() => s.create('pods', pod('a'))).toThrow(StorageError);
      await s.committed();
      expect(metaRv()).toBe('2');
      s.create('pods', pod('b'));
      expect(() => s.transaction(() => {
        s.create('pods', pod('c'));
        throw new Error('boom');
      })).toThrow('boom');
      await s.committed();
      expect(metaRv()).toBe('3');
      // A kill now loses nothing: the file alone says where the resourceVersions continue.
      const again = new SqliteObjectStore({ path, groupCommit: true });
      expect(again.currentRv()).toBe(3);
      expect(again.create('pods', pod('c')).metadata.resourceVersion).toBe('4');
      again.close();
      s.close();
    });

    it('close() commits an open group', () => {
      const { path, s } = fileStore();
      s.create('pods', pod('a'));
      s.close();
      expect(onDisk(path)).toEqual(['a']);
      const again = new SqliteObjectStore({ path, groupCommit: true });
      expect(again.currentRv()).toBe(1);
      again.close();
    });
  });
});
