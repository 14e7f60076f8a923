// A reader for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
// tags, varints, fixed 32/64-bit values and length-delimited fields. It knows nothing of
// messages; decode.ts drives it with the schema. Every malformed input is a WireFormatError.

/** Wire types this reader accepts; 3 and 4 (groups) are proto1 leftovers Kubernetes never emits. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Malformed protobuf input: truncated, overlong, or of a shape the reader cannot skip. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface Tag {
  field: number;
  wireType: number;
}

const utf8 = new TextDecoder('utf-8');

/** Reads one message's bytes front to back; sub-messages get their own reader over a subarray. */
export class WireReader {
  private readonly buf: Uint8Array;
  private pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** The next field's tag. Field 0 is invalid, as upstream's decoder says. */
  tag(): Tag {
    const key = this.varint();
    if (key > 0xffffffffn) throw new WireFormatError('proto: integer overflow in field tag');
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field <= 0) throw new WireFormatError(`proto: illegal tag ${field} (wire type ${wireType})`);
    return { field, wireType };
  }

  /** A base-128 varint of at most 10 bytes, as an unsigned 64-bit value. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new WireFormatError('unexpected EOF');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        // The tenth byte may only carry the 64th bit.
        if (i === 9 && b > 1) throw new WireFormatError('proto: integer overflow');
        return result;
      }
      shift += 7n;
    }
    throw new WireFormatError('proto: integer overflow');
  }

  /** int32: negative values arrive sign-extended to 64 bits (10 bytes); keep the low 32. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  /** int64 as a JS number (exact up to 2^53, as JSON.parse of the same value would be). */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed64(): DataView {
    return this.view(8);
  }

  fixed32(): DataView {
    return this.view(4);
  }

  /** A length-delimited field's bytes (a view into the buffer, not a copy). */
  bytes(): Uint8Array {
    const n = this.varint();
    if (n > BigInt(this.buf.length - this.pos)) throw new WireFormatError('unexpected EOF');
    const start = this.pos;
    this.pos += Number(n);
    return this.buf.subarray(start, this.pos);
  }

  /** A string field; like Go's proto2 decoder, bytes that are not UTF-8 are not an error. */
  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips a field of an unknown number, as protobuf decoders must. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.view(8);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.view(4);
        return;
      default:
        throw new WireFormatError(`proto: illegal wireType ${wireType}`);
    }
  }

  private view(n: number): DataView {
    if (this.buf.length - this.pos < n) throw new WireFormatError('unexpected EOF');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }
}
