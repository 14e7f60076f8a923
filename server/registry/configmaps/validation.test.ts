import { describe, expect, it } from 'vitest';
import { create, update } from '../testing/strategy-sequence.js';
import { configMaps } from './index.js';
import { base64Error } from './validation.js';

const cm = (extra: Record<string, unknown> = {}) => ({ metadata: { name: 'cfg' }, ...extra });

describe('ConfigMap validation', () => {
  it('accepts keys made of alphanumerics, "-", "_" and "."', () => {
    expect(create(configMaps, cm({ data: { 'app.properties': 'a=b', KEY_1: 'x', '-x': 'y' } })).errors).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['a/b', [`data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`]],
    ['..', [`data[..]: Invalid value: "..": must not be '..'`]],
    ['..a', [`data[..a]: Invalid value: "..a": must not start with '..'`]],
    ['.', [`data[.]: Invalid value: ".": must not be '.'`]],
  ])('rejects the key %s', (key, messages) => {
    expect(create(configMaps, cm({ data: { [key]: 'v' } })).messages).toEqual(messages);
  });

  it('rejects a key in both data and binaryData', () => {
    expect(create(configMaps, cm({ data: { k: 'v' }, binaryData: { k: 'AA==' } })).messages).toEqual([
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
    ]);
  });

  it('limits data and binaryData together to 1 MiB', () => {
    const half = 'x'.repeat(512 * 1024);
    expect(create(configMaps, cm({ data: { a: half, b: half } })).errors).toEqual([]);
    const over = create(configMaps, cm({ data: { a: half, b: half }, binaryData: { c: 'AA==' } }));
    expect(over.errors).toEqual([{ type: 'FieldValueTooLong', field: '', detail: 'may not be more than 1048576 bytes' }]);
  });

  it('rejects binaryData that is not base64, without echoing it', () => {
    const out = create(configMaps, cm({ binaryData: { k: 'not base64!' } }));
    expect(out.messages).toEqual(['binaryData[k]: Invalid value: illegal base64 data at input byte 3']);
  });

  it('validates the name', () => {
    expect(create(configMaps, { metadata: { name: 'Cfg' } }).errors.map((e) => e.field)).toEqual(['metadata.name']);
  });
});

describe('ConfigMap update', () => {
  const stored = (immutable?: boolean) => {
    const c = create(configMaps, cm({ data: { k: 'v' }, binaryData: { b: 'AA==' }, ...(immutable === undefined ? {} : { immutable }) })).obj;
    c.metadata.resourceVersion = '1';
    return c;
  };

  it('lets a mutable ConfigMap change and become immutable', () => {
    const old = stored();
    const next = structuredClone(old);
    next.data = { k: 'w' };
    next.immutable = true;
    expect(update(configMaps, next, old).errors).toEqual([]);
  });

  it('keeps an immutable ConfigMap as it is', () => {
    const old = stored(true);
    const next = structuredClone(old);
    next.data = { k: 'w' };
    next.binaryData = {};
    next.immutable = false;
    expect(update(configMaps, next, old).messages).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
      'binaryData: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('still lets an immutable ConfigMap change its labels', () => {
    const old = stored(true);
    const next = structuredClone(old);
    next.metadata.labels = { a: 'b' };
    expect(update(configMaps, next, old).errors).toEqual([]);
  });
});

describe('ConfigMap table', () => {
  it('counts data and binaryData keys', () => {
    const c = { metadata: { name: 'cfg', creationTimestamp: '2026-01-01T00:00:00Z' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    expect(configMaps.table!.cells(c, new Date('2026-01-01T00:00:42Z'))).toEqual(['cfg', 3, '42s']);
    expect(configMaps.table!.columns.map((col) => col.name)).toEqual(['Name', 'Data', 'Age']);
  });
});

describe('base64Error', () => {
  it.each<[string, string | undefined]>([
    ['', undefined],
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=', undefined],
    ['aGVsbG8', 'illegal base64 data at input byte 4'],
    ['aGV$bG8=', 'illegal base64 data at input byte 3'],
  ])('%j', (value, error) => {
    expect(base64Error(value)).toBe(error);
  });
});
