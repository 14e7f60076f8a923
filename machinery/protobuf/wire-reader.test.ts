import { describe, expect, it } from 'vitest';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireFormatError, WireReader } from './wire-reader.js';
import { WireWriter } from './testing/index.js';

const reader = (...bytes: number[]) => new WireReader(Uint8Array.from(bytes));

describe('WireReader', () => {
  it('reads one-byte and multi-byte varints', () => {
    expect(reader(0x00).varint()).toBe(0n);
    expect(reader(0x7f).varint()).toBe(127n);
    // 300 = 0b1_0010_1100: the protobuf documentation's own example.
    expect(reader(0xac, 0x02).varint()).toBe(300n);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).varint()).toBe(0xffffffffn);
  });

  it('reads negative int32 and int64 from their 10-byte two\'s complement varints', () => {
    const w = new WireWriter().rawVarint(BigInt.asUintN(64, -1n)).rawVarint(BigInt.asUintN(64, -2147483648n)).rawVarint(BigInt.asUintN(64, -5n));
    const bytes = w.finish();
    expect(bytes.length).toBe(30);
    const r = new WireReader(bytes);
    expect(r.int32()).toBe(-1);
    expect(r.int32()).toBe(-2147483648);
    expect(r.int64()).toBe(-5);
    expect(r.done).toBe(true);
  });

  it('keeps the low 32 bits of an int32 and the signed 64 of an int64', () => {
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x07).int32()).toBe(2147483647);
    expect(new WireReader(new WireWriter().rawVarint(2n ** 40n + 7n).finish()).int64()).toBe(2 ** 40 + 7);
    expect(new WireReader(new WireWriter().rawVarint(2n ** 40n + 7n).finish()).int32()).toBe(7);
  });

  it('refuses varints longer than 10 bytes or wider than 64 bits', () => {
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).varint()).toThrow('integer overflow');
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).varint()).toThrow('integer overflow');
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).varint()).toBe(2n ** 64n - 1n);
  });

  it('reports a truncated varint as unexpected EOF', () => {
    expect(() => reader(0x80, 0x80).varint()).toThrow(WireFormatError);
    expect(() => reader(0x80).varint()).toThrow('unexpected EOF');
  });

  it('splits tags into field number and wire type, and refuses field 0', () => {
    expect(reader(0x0a).tag()).toEqual({ field: 1, wireType: WIRE_LENGTH_DELIMITED });
    expect(reader(0x80, 0x01).tag()).toEqual({ field: 16, wireType: WIRE_VARINT });
    expect(reader(0xa2, 0x01).tag()).toEqual({ field: 20, wireType: WIRE_LENGTH_DELIMITED });
    expect(() => reader(0x02).tag()).toThrow('illegal tag 0');
  });

  it('reads little-endian doubles and floats', () => {
    const bytes = new WireWriter().double(1, 1.5).float(2, -0.25).finish();
    const r = new WireReader(bytes);
    expect(r.tag()).toEqual({ field: 1, wireType: WIRE_FIXED64 });
    expect(r.fixed64().getFloat64(0, true)).toBe(1.5);
    expect(r.tag()).toEqual({ field: 2, wireType: WIRE_FIXED32 });
    expect(r.fixed32().getFloat32(0, true)).toBe(-0.25);
  });

  it('reads length-delimited strings and bytes, and refuses a length past the end', () => {
    const r = new WireReader(new WireWriter().string(1, 'héllo').bytes(2, Uint8Array.of(0, 255)).finish());
    r.tag();
    expect(r.string()).toBe('héllo');
    r.tag();
    expect([...r.bytes()]).toEqual([0, 255]);
    expect(() => reader(0x05, 0x61).bytes()).toThrow('unexpected EOF');
    expect(() => reader(0x01).fixed64()).toThrow('unexpected EOF');
  });

  it('skips every wire type it knows and refuses groups', () => {
    const bytes = new WireWriter().varint(1, 300).double(2, 2.5).string(3, 'skip me').float(4, 1).varint(5, 9).finish();
    const r = new WireReader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.tag().wireType);
    expect(r.tag().field).toBe(5);
    expect(r.int32()).toBe(9);
    expect(() => reader(0x00).skip(3)).toThrow('illegal wireType 3');
    expect(() => reader(0x00).skip(4)).toThrow('illegal wireType 4');
  });
});
