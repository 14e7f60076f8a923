// Decodes Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf)
// into the JSON object a JSON client would have sent, using the field numbers in the wire
// schema (ObjectSchema.proto). Upstream: k8s.io/apimachinery/pkg/runtime/serializer/protobuf
// (the "k8s\0" prefix and runtime.Unknown envelope) and the gogo-generated Unmarshal code.
//
// The JSON it produces follows Go's encoding of the decoded struct, so the server sees the
// same object on both paths: zero scalars are dropped unless the field keeps zeros (Go
// pointers, fields without omitempty), empty metav1.Time is null, Quantity and IntOrString
// become their JSON forms, []byte becomes base64. Unknown field numbers are skipped, as
// protobuf decoders do. Malformed input is a 400 BadRequest, never a crash.
import type { Definitions, ObjectSchema, ProtoFieldSpec, Schema } from '../../api/schema/index.js';
import { definitions as servedDefinitions, resolve } from '../../api/schema/index.js';
import { MAX_JSON_NODES, checkJson } from '../body-scan.js';
import { setOwn } from '../own-properties.js';
import { goZeroValue } from '../schema-check.js';
import { StatusError, badRequest, failureStatus, tooLarge } from '../status-error.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireFormatError, WireReader } from './wire-reader.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** "k8s" and an encoding byte (0: a runtime.Unknown follows), before every protobuf body. */
export const PROTOBUF_PREFIX: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

/** A decoded body: the envelope's type and the object as JSON (kind and apiVersion included when sent). */
export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** Nested messages deeper than this are refused (the served schemas nest about 15 deep). */
const MAX_DEPTH = 100;

interface FieldEntry {
  name: string;
  spec: ProtoFieldSpec;
  schema: Schema;
}

interface FieldIndex {
  /** Fields of this message by number. */
  direct: Map<number, FieldEntry>;
  /** Fields of inlined Go structs, by the field number of the embedded message. */
  inline: Map<number, Map<number, FieldEntry>>;
}

interface Ctx {
  defs: Definitions;
  depth: number;
  /** Fields and list items decoded so far, shared by the whole body (see MAX_JSON_NODES). */
  count: { values: number };
}

/** Counts one decoded value; a body of more values than a JSON body may hold is refused (413). */
function countValue(ctx: Ctx): void {
  if (++ctx.count.values > MAX_JSON_NODES) throw tooLarge(`the protobuf body is too large to decode: more than ${MAX_JSON_NODES} values`);
}

/** The wire schema lacks what protobuf needs: the honest answer is "not this media type". */
function unsupported(message: string): StatusError {
  return new StatusError(failureStatus(415, 'UnsupportedMediaType', message));
}

/**
 * Decodes a whole protobuf body: the "k8s\0" prefix, the runtime.Unknown envelope
 * (typeMeta, raw, contentEncoding, contentType), then `raw` as the message `schema` describes.
 * Throws a 400 StatusError for malformed input, 415 when the schema has no field numbers.
 */
export function decodeKubernetesProtobuf(bytes: Uint8Array, schema: Schema, defs: Definitions = servedDefinitions): DecodedProtobuf {
  if (bytes.length === 0) throw badRequest('empty data');
  if (bytes.length < PROTOBUF_PREFIX.length || PROTOBUF_PREFIX.some((b, i) => bytes[i] !== b)) {
    throw badRequest(`provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_PREFIX.join(' ')}]`);
  }
  if (bytes.length === PROTOBUF_PREFIX.length) throw badRequest('empty body');
  const root = resolve(schema, defs);
  if (root.type !== 'object') throw unsupported(`protobuf bodies are not supported for a ${root.type}`);
  return withBadRequest(() => {
    const envelope = decodeUnknown(bytes.subarray(PROTOBUF_PREFIX.length));
    if (envelope.contentEncoding) throw badRequest(`unsupported protobuf content encoding "${envelope.contentEncoding}"`);
    const object: Record<string, unknown> = {};
    if (envelope.kind) object.kind = envelope.kind;
    if (envelope.apiVersion) object.apiVersion = envelope.apiVersion;
    decodeMessageInto(object, envelope.raw, root, { defs, depth: 0, count: { values: 0 } }, '');
    return { apiVersion: envelope.apiVersion, kind: envelope.kind, object };
  });
}

/** Decodes one message without the envelope (a runtime.Unknown's raw bytes, or a test fixture). */
export function decodeProtobufMessage(bytes: Uint8Array, schema: Schema, defs: Definitions = servedDefinitions): Record<string, unknown> {
  const root = resolve(schema, defs);
  if (root.type !== 'object') throw unsupported(`protobuf bodies are not supported for a ${root.type}`);
  return withBadRequest(() => {
    const object: Record<string, unknown> = {};
    decodeMessageInto(object, bytes, root, { defs, depth: 0, count: { values: 0 } }, '');
    return object;
  });
}

function withBadRequest<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof WireFormatError) throw badRequest(`the body could not be decoded as protobuf: ${err.message}`);
    if (err instanceof RangeError) throw badRequest(`the body could not be decoded as protobuf: ${err.message}`);
    throw err;
  }
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** runtime.Unknown: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4. */
function decodeUnknown(bytes: Uint8Array): Envelope {
  const out: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field >= 1 && field <= 4) expectWire(wireType, WIRE_LENGTH_DELIMITED, `runtime.Unknown field ${field}`);
    switch (field) {
      case 1: {
        const t = new WireReader(r.bytes());
        while (!t.done) {
          const tag = t.tag();
          if (tag.field === 1 || tag.field === 2) expectWire(tag.wireType, WIRE_LENGTH_DELIMITED, tag.field === 1 ? 'typeMeta.apiVersion' : 'typeMeta.kind');
          if (tag.field === 1) out.apiVersion = t.string();
          else if (tag.field === 2) out.kind = t.string();
          else t.skip(tag.wireType);
        }
        break;
      }
      case 2:
        out.raw = r.bytes();
        break;
      case 3:
        out.contentEncoding = r.string();
        break;
      case 4:
        out.contentType = r.string();
        break;
      default:
        r.skip(wireType);
    }
  }
  return out;
}

const indexCache = new WeakMap<ObjectSchema, FieldIndex>();

function fieldIndex(schema: ObjectSchema, path: string): FieldIndex {
  const cached = indexCache.get(schema);
  if (cached) return cached;
  if (!schema.proto) throw unsupported(`protobuf is not supported for ${path || 'this resource'}: its schema has no protobuf field numbers`);
  const index: FieldIndex = { direct: new Map(), inline: new Map() };
  for (const [name, f] of Object.entries(schema.proto)) {
    const spec: ProtoFieldSpec = typeof f === 'number' ? { field: f } : f;
    const prop = schema.properties[name];
    if (!prop) throw new Error(`protobuf field table names ${name}, which the schema does not have`);
    const entry: FieldEntry = { name, spec, schema: prop };
    let table = index.direct;
    if (spec.inline !== undefined) {
      table = index.inline.get(spec.inline) ?? new Map();
      index.inline.set(spec.inline, table);
    }
    table.set(spec.field, entry);
  }
  indexCache.set(schema, index);
  return index;
}

function expectWire(got: number, want: number, path: string): void {
  // gogo's wording: "proto: wrong wireType = 0 for field Name".
  if (got !== want) throw new WireFormatError(`proto: wrong wireType = ${got} for field ${path}`);
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

function decodeMessageInto(out: Record<string, unknown>, bytes: Uint8Array, schema: ObjectSchema, ctx: Ctx, path: string): void {
  if (ctx.depth > MAX_DEPTH) throw new WireFormatError(`proto: messages nested more than ${MAX_DEPTH} deep at ${path}`);
  const index = fieldIndex(schema, path);
  decodeFields(out, bytes, index.direct, index.inline, ctx, path);
}

function decodeFields(
  out: Record<string, unknown>,
  bytes: Uint8Array,
  table: Map<number, FieldEntry>,
  inline: Map<number, Map<number, FieldEntry>> | undefined,
  ctx: Ctx,
  path: string,
): void {
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    const entry = table.get(field);
    if (entry) {
      decodeField(out, r, wireType, entry, ctx, path);
      continue;
    }
    const inlined = inline?.get(field);
    if (inlined) {
      // An inlined Go struct: its own message on the wire, its fields beside ours in JSON.
      expectWire(wireType, WIRE_LENGTH_DELIMITED, join(path, `<inline ${field}>`));
      decodeFields(out, r.bytes(), inlined, undefined, ctx, path);
      continue;
    }
    r.skip(wireType);
  }
}

function isZeroScalar(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function decodeField(out: Record<string, unknown>, r: WireReader, wireType: number, entry: FieldEntry, ctx: Ctx, path: string): void {
  const { name, spec } = entry;
  countValue(ctx);
  const p = join(path, name);
  const s = resolve(entry.schema, ctx.defs);
  if (s.type === 'array') {
    decodeRepeated(out, r, wireType, entry, resolve(s.items, ctx.defs), ctx, p);
    return;
  }
  if (s.type === 'map') {
    expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
    const existing = out[name];
    const map: Record<string, unknown> = isPlainObject(existing) ? existing : {};
    out[name] = map;
    const [key, value] = decodeMapEntry(r.bytes(), resolve(s.values, ctx.defs), ctx, p);
    // Keys are data: "__proto__" is an own key, as JSON.parse makes it.
    setOwn(map, key, value);
    return;
  }
  const value = decodeSingular(r, wireType, s, spec, ctx, p, out[name]);
  // Go writes non-pointer scalars even when zero; its JSON omitempty drops them again.
  const scalar = s.type === 'string' || s.type === 'integer' || s.type === 'boolean' || s.type === 'number';
  if (scalar && isZeroScalar(value) && !spec.keepZero) delete out[name];
  else out[name] = value;
}

function decodeRepeated(out: Record<string, unknown>, r: WireReader, wireType: number, entry: FieldEntry, items: Schema, ctx: Ctx, p: string): void {
  const { name, spec } = entry;
  if (spec.message === 'Verbs') {
    // metav1.Verbs: a message wrapping `repeated string items = 1`.
    expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
    out[name] = decodeStringList(r.bytes(), p);
    return;
  }
  const list = (Array.isArray(out[name]) ? out[name] : (out[name] = [])) as unknown[];
  const packable = items.type === 'integer' || items.type === 'boolean' || items.type === 'number';
  if (packable && wireType === WIRE_LENGTH_DELIMITED) {
    // Packed encoding: one length-delimited run of values (accepted for any repeated scalar).
    const packed = new WireReader(r.bytes());
    while (!packed.done) {
      countValue(ctx);
      list.push(decodeSingular(packed, packedWireType(items), items, { field: spec.field }, ctx, `${p}[${list.length}]`, undefined));
    }
    return;
  }
  list.push(decodeSingular(r, wireType, items, { field: spec.field }, ctx, `${p}[${list.length}]`, undefined));
}

function packedWireType(items: Schema): number {
  return items.type === 'number' ? WIRE_FIXED64 : WIRE_VARINT;
}

/** A map entry message: key = 1, value = 2; missing parts are zero values, as in Go. */
function decodeMapEntry(bytes: Uint8Array, values: Schema, ctx: Ctx, p: string): [string, unknown] {
  let key = '';
  let value: unknown;
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, `${p} key`);
      key = r.string();
    } else if (field === 2) {
      value = decodeSingular(r, wireType, resolve(values, ctx.defs), { field: 2 }, ctx, `${p}[${key}]`, value);
    } else {
      r.skip(wireType);
    }
  }
  return [key, value === undefined ? goZeroValue(resolve(values, ctx.defs)) : value];
}

function decodeSingular(r: WireReader, wireType: number, s: Schema, spec: ProtoFieldSpec, ctx: Ctx, p: string, existing: unknown): unknown {
  switch (s.type) {
    case 'string':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
      if (s.format === 'date-time') return decodeTime(r.bytes(), spec.message === 'MicroTime', p);
      if (s.format === 'byte') return Buffer.from(r.bytes()).toString('base64');
      return r.string();
    case 'integer':
      expectWire(wireType, WIRE_VARINT, p);
      return s.format === 'int32' ? r.int32() : r.int64();
    case 'boolean':
      expectWire(wireType, WIRE_VARINT, p);
      return r.bool();
    case 'number':
      if (wireType === WIRE_FIXED64) return r.fixed64().getFloat64(0, true);
      if (wireType === WIRE_FIXED32) return r.fixed32().getFloat32(0, true);
      throw new WireFormatError(`proto: wrong wireType = ${wireType} for field ${p}`);
    case 'quantity':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
      return decodeQuantity(r.bytes(), p);
    case 'int-or-string':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
      return decodeIntOrString(r.bytes(), p);
    case 'any':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
      if (spec.message === 'FieldsV1' || spec.message === 'RawExtension') return decodeRawJson(r.bytes(), p);
      throw unsupported(`protobuf is not supported for ${p}: no message type is known for it`);
    case 'object': {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, p);
      // A repeated occurrence of a singular message merges into the first, as protobuf specifies.
      const target = isPlainObject(existing) ? existing : {};
      decodeMessageInto(target, r.bytes(), s, { ...ctx, depth: ctx.depth + 1 }, p);
      return target;
    }
    default:
      throw unsupported(`protobuf is not supported for ${p}: a ${s.type} inside a list or map`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * metav1.Time / MicroTime: {seconds = 1, nanos = 2}. An empty message is the zero time,
 * which Go writes to JSON as null. Time keeps whole seconds only (upstream's Unmarshal drops
 * nanos, as its JSON form has none); MicroTime keeps microseconds (RFC3339Micro).
 */
function decodeTime(bytes: Uint8Array, micro: boolean, p: string): string | null {
  if (bytes.length === 0) return null;
  let seconds = 0n;
  let nanos = 0;
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_VARINT, `${p}.seconds`);
      seconds = BigInt.asIntN(64, r.varint());
    } else if (field === 2) {
      expectWire(wireType, WIRE_VARINT, `${p}.nanos`);
      nanos = r.int32();
    } else {
      r.skip(wireType);
    }
  }
  return formatTime(seconds, micro ? nanos : 0, micro, p);
}

/** RFC 3339 in UTC, seconds precision or (MicroTime) six fractional digits, as Go formats them. */
export function formatTime(seconds: bigint, nanos: number, micro: boolean, p = 'time'): string {
  // time.Unix normalises nanos outside [0, 1e9) into the seconds.
  const total = seconds * 1_000_000_000n + BigInt(nanos);
  let sec = total / 1_000_000_000n;
  let frac = total % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const ms = Number(sec) * 1000;
  const iso = Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : '';
  // Go's Time.MarshalJSON refuses years outside [0, 9999].
  if (!/^\d{4}-/.test(iso)) throw new WireFormatError(`${p}: Time.MarshalJSON: year outside of range [0,9999]`);
  const base = iso.slice(0, 19);
  if (!micro) return `${base}Z`;
  return `${base}.${String(frac / 1000n).padStart(6, '0')}Z`;
}

/** resource.Quantity: {string = 1}; an empty message is the zero quantity, "0" in JSON. */
function decodeQuantity(bytes: Uint8Array, p: string): string {
  let value = '0';
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, `${p}.string`);
      value = r.string();
    } else {
      r.skip(wireType);
    }
  }
  return value;
}

/** intstr.IntOrString: {type = 1 (0 Int, 1 String), intVal = 2, strVal = 3}. */
function decodeIntOrString(bytes: Uint8Array, p: string): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_VARINT, `${p}.type`);
      type = r.int64();
    } else if (field === 2) {
      expectWire(wireType, WIRE_VARINT, `${p}.intVal`);
      intVal = r.int32();
    } else if (field === 3) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, `${p}.strVal`);
      strVal = r.string();
    } else {
      r.skip(wireType);
    }
  }
  return type === 1 ? strVal : intVal;
}

/** FieldsV1 {Raw = 1} and runtime.RawExtension {raw = 1}: JSON bytes; empty is null. */
function decodeRawJson(bytes: Uint8Array, p: string): unknown {
  let raw: Uint8Array = new Uint8Array(0);
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, `${p}.raw`);
      raw = r.bytes();
    } else {
      r.skip(wireType);
    }
  }
  if (raw.length === 0) return null;
  if (PROTOBUF_PREFIX.every((b, i) => raw[i] === b)) throw unsupported(`protobuf is not supported for ${p}: it holds a nested protobuf object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new WireFormatError(`${p}: the raw bytes are not UTF-8`);
  }
  // Depth and syntax checked before parsing, and reported by position only (no content echoed).
  const problem = checkJson(text);
  if (problem) throw new WireFormatError(`${p}: the raw bytes are not JSON: line ${problem.line}, column ${problem.column}: ${problem.reason}`);
  return JSON.parse(text);
}

function decodeStringList(bytes: Uint8Array, p: string): string[] {
  const items: string[] = [];
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, `${p}[${items.length}]`);
      items.push(r.string());
    } else {
      r.skip(wireType);
    }
  }
  return items;
}
