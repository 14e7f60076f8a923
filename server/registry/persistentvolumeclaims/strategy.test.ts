import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { persistentVolumeClaims } from './index.js';

const pvc = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

describe('PersistentVolumeClaim create', () => {
  it('defaults volumeMode and starts Pending', () => {
    const { obj, errors } = create(persistentVolumeClaims, pvc());
    expect(errors).toEqual([]);
    expect(obj.spec.volumeMode).toBe('Filesystem');
    expect(obj.status).toEqual({ phase: 'Pending' });
  });

  it('requires access modes and a storage request', () => {
    expect(create(persistentVolumeClaims, pvc({ accessModes: [], resources: {} })).messages).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
  });

  it('checks access modes and the storage quantity', () => {
    expect(create(persistentVolumeClaims, pvc({ accessModes: ['ReadWriteOncePod', 'ReadWriteSome'], resources: { requests: { storage: '0' } } })).messages).toEqual([
      'spec.accessModes: Unsupported value: "ReadWriteSome": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]);
  });
});

describe('PersistentVolumeClaim update', () => {
  const stored = (bound: boolean) => {
    const c = create(persistentVolumeClaims, pvc()).obj;
    if (bound) {
      c.spec.volumeName = 'pv-1';
      c.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
    }
    return c;
  };

  it('lets the binder set volumeName once', () => {
    const old = stored(false);
    const next = structuredClone(old);
    next.spec.volumeName = 'pv-1';
    expect(update(persistentVolumeClaims, next, old).errors).toEqual([]);
    const rebind = structuredClone(stored(true));
    rebind.spec.volumeName = 'pv-2';
    expect(update(persistentVolumeClaims, rebind, stored(true)).errors.map((e) => e.field)).toEqual(['spec']);
  });

  it('lets a bound claim grow but forbids other spec changes', () => {
    const old = stored(true);
    const grow = structuredClone(old);
    grow.spec.resources = { requests: { storage: '2Gi' } };
    expect(update(persistentVolumeClaims, grow, old).errors).toEqual([]);
    const modes = structuredClone(old);
    modes.spec.accessModes = ['ReadWriteMany'];
    const out = update(persistentVolumeClaims, modes, old);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].detail).toBe(
      'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  changed: spec.accessModes[0]',
    );
  });

  it('does not let a claim shrink to its capacity', () => {
    const old = stored(true);
    old.spec.resources = { requests: { storage: '2Gi' } };
    const shrink = structuredClone(old);
    shrink.spec.resources = { requests: { storage: '1Gi' } };
    expect(update(persistentVolumeClaims, shrink, old).messages).toEqual(['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']);
  });

  it('does not let an unbound claim change its request', () => {
    const old = stored(false);
    const grow = structuredClone(old);
    grow.spec.resources = { requests: { storage: '2Gi' } };
    expect(update(persistentVolumeClaims, grow, old).errors.map((e) => e.field)).toEqual(['spec']);
  });
});

describe('PersistentVolumeClaim table', () => {
  const NOW = new Date('2026-01-01T00:01:00Z');
  it('shows capacity and access modes once bound', () => {
    const c = create(persistentVolumeClaims, pvc({ storageClassName: 'local', accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'] })).obj;
    expect(persistentVolumeClaims.table!.cells(c, NOW)).toEqual(['data', 'Pending', '', '', '', 'local', '<unset>', '60s', 'Filesystem']);
    c.spec.volumeName = 'pv-1';
    c.status = { phase: 'Bound', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '1Gi' } };
    expect(persistentVolumeClaims.table!.cells(c, NOW)).toEqual(['data', 'Bound', 'pv-1', '1Gi', 'RWO,RWX', 'local', '<unset>', '60s', 'Filesystem']);
  });
});
