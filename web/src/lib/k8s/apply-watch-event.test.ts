import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/meta.js';
import { applyWatchEvent, type ObjectList } from './apply-watch-event.js';

const obj = (name: string, rv: string, uid = `uid-${name}`, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name, namespace: 'ns', uid, resourceVersion: rv }, ...extra });
const list = (...items: KubeObject[]): ObjectList => ({ resourceVersion: '10', items });

describe('applyWatchEvent', () => {
  it('appends an ADDED object and moves the resourceVersion', () => {
    const l = applyWatchEvent(list(obj('a', '5')), { type: 'ADDED', object: obj('b', '11') });
    expect(l.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(l.resourceVersion).toBe('11');
  });

  it('replaces a MODIFIED object in place by uid', () => {
    const l = applyWatchEvent(list(obj('a', '5'), obj('b', '6')), { type: 'MODIFIED', object: obj('a', '12', 'uid-a', { status: { x: 1 } }) });
    expect(l.items.map((o) => [o.metadata.name, o.metadata.resourceVersion])).toEqual([
      ['a', '12'],
      ['b', '6'],
    ]);
    expect((l.items[0] as { status?: unknown }).status).toEqual({ x: 1 });
  });

  it('treats a MODIFIED object it does not have as an addition', () => {
    const l = applyWatchEvent(list(), { type: 'MODIFIED', object: obj('a', '12') });
    expect(l.items).toHaveLength(1);
  });

  it('keeps a recreated object (same name, new uid) apart from the deleted one', () => {
    let l = applyWatchEvent(list(obj('a', '5', 'old')), { type: 'ADDED', object: obj('a', '11', 'new') });
    expect(l.items.map((o) => o.metadata.uid)).toEqual(['old', 'new']);
    l = applyWatchEvent(l, { type: 'DELETED', object: obj('a', '12', 'old') });
    expect(l.items.map((o) => o.metadata.uid)).toEqual(['new']);
  });

  it('removes a DELETED object', () => {
    const l = applyWatchEvent(list(obj('a', '5'), obj('b', '6')), { type: 'DELETED', object: obj('a', '13') });
    expect(l.items.map((o) => o.metadata.name)).toEqual(['b']);
    expect(l.resourceVersion).toBe('13');
  });

  it('identifies objects without uid by namespace/name', () => {
    const l = applyWatchEvent(list({ metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } }), { type: 'MODIFIED', object: { metadata: { name: 'a', namespace: 'ns', resourceVersion: '2' } } });
    expect(l.items).toHaveLength(1);
    expect(l.items[0].metadata.resourceVersion).toBe('2');
  });

  it('returns the same list for an event it already has (same resourceVersion)', () => {
    const before = list(obj('a', '5'));
    expect(applyWatchEvent(before, { type: 'MODIFIED', object: obj('a', '5') })).toBe(before);
  });

  it('only moves the resourceVersion on BOOKMARK', () => {
    const before = list(obj('a', '5'));
    const l = applyWatchEvent(before, { type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    expect(l.items).toBe(before.items);
    expect(l.resourceVersion).toBe('20');
  });

  it('leaves the list alone on ERROR (the caller relists on 410)', () => {
    const before = list(obj('a', '5'));
    expect(applyWatchEvent(before, { type: 'ERROR', object: { kind: 'Status', code: 410, metadata: {} } as unknown as KubeObject })).toBe(before);
  });

  it('never mutates its input', () => {
    const before = list(obj('a', '5'));
    const snapshot = JSON.parse(JSON.stringify(before));
    applyWatchEvent(before, { type: 'MODIFIED', object: obj('a', '6') });
    applyWatchEvent(before, { type: 'DELETED', object: obj('a', '7') });
    applyWatchEvent(before, { type: 'ADDED', object: obj('b', '8') });
    expect(before).toEqual(snapshot);
  });
});
