// A minimal protobuf writer, used by tests to build wire-format fixtures field by field
// (the server itself only decodes: it answers JSON). Fields are written in call order.
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from '../wire-reader.js';

const utf8 = new TextEncoder();

/** Appends protobuf fields; `finish()` returns the bytes. */
export class WireWriter {
  private readonly chunks: number[] = [];

  /** A raw tag (field number and wire type), for writing deliberately odd input. */
  tag(field: number, wireType: number): this {
    return this.rawVarint((BigInt(field) << 3n) | BigInt(wireType));
  }

  /** A varint field; negative numbers are written as 64-bit two's complement (10 bytes), as Go does for int32/int64. */
  varint(field: number, value: number | bigint | boolean): this {
    const v = typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value);
    return this.tag(field, WIRE_VARINT).rawVarint(BigInt.asUintN(64, v));
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).rawVarint(BigInt(value.length));
    for (const b of value) this.chunks.push(b);
    return this;
  }

  /** An embedded message written by `build`. */
  message(field: number, build: (w: WireWriter) => void): this {
    const inner = new WireWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated varint field (one length-delimited run). */
  packed(field: number, values: (number | bigint)[]): this {
    const inner = new WireWriter();
    for (const v of values) inner.rawVarint(BigInt.asUintN(64, BigInt(v)));
    return this.bytes(field, inner.finish());
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.tag(field, WIRE_FIXED64);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.tag(field, WIRE_FIXED32);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  /** Raw bytes, no tag (for truncated or garbage input). */
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.chunks.push(bytes[i]);
    return this;
  }

  rawVarint(value: bigint): this {
    let v = value;
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
