// Strict decoding against the wire schema, as upstream's JSON decoder into Go structs does it:
// which fields are unknown (fieldValidation=Strict refuses them, Warn reports them, Ignore drops
// them), which values have the wrong JSON type (always refused), and dropping unknown fields.
//
// Paths of unknown fields are printed as sigs.k8s.io/json prints them in
// `strict decoding error: unknown field "spec.template.spec.containers[0].foo"`.
// Type errors read like encoding/json's UnmarshalTypeError, whose field path carries no
// list indices: `json: cannot unmarshal string into Go struct field JobSpec.spec.parallelism of type int32`.
import type { Definitions, RefSchema, Schema } from '../api/schema/index.js';
import { hasOwn, setOwn } from './own-properties.js';
import { QUANTITY_FORMAT_ERROR, parseQuantity } from './quantity.js';

export interface SchemaCheckResult {
  /** JSON paths of fields the schema does not know, in document order. */
  unknownFields: string[];
  /**
   * Decoding errors, in document order. Upstream's decoder stops at the first one, so a
   * caller answering like upstream reports `typeErrors[0]`.
   */
  typeErrors: string[];
}

type Concrete = Exclude<Schema, RefSchema>;

interface Resolved {
  schema: Concrete;
  /** The Go struct name when the schema is a named object definition ("JobSpec"). */
  structName?: string;
}

function resolveNamed(schema: Schema, defs: Definitions): Resolved {
  let current = schema;
  let name: string | undefined;
  for (let depth = 0; current.type === 'ref'; depth++) {
    const next = defs[current.ref];
    if (!next || depth > 32) throw new Error(`schema definition ${current.ref} not found`);
    name = current.ref.slice(current.ref.lastIndexOf('.') + 1);
    current = next;
  }
  return { schema: current, structName: current.type === 'object' ? name : undefined };
}

/** The Go type upstream would name in a decoding error ("int32", "[]v1.Container", "map[string]string"). */
export function goTypeName(schema: Schema, defs: Definitions): string {
  const { schema: s, structName } = resolveNamed(schema, defs);
  switch (s.type) {
    case 'object':
      return structName ? `v1.${structName}` : 'struct';
    case 'string':
      return s.format === 'byte' ? '[]uint8' : s.format === 'date-time' ? 'v1.Time' : 'string';
    case 'integer':
      return s.format ?? 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${goTypeName(s.items, defs)}`;
    case 'map': {
      const v = resolveNamed(s.values, defs).schema;
      if (v.type === 'quantity') return 'v1.ResourceList';
      return `map[string]${goTypeName(s.values, defs)}`;
    }
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'any':
      return 'interface {}';
  }
}

/** How encoding/json names the JSON value it could not store. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string' | 'number' | 'object'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024],
  int: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024],
};

/** Where decoding is: the printed JSON path, and encoding/json's error context. */
interface Position {
  /** "spec.template.spec.containers[0].image" */
  path: string;
  /** Field names only, as encoding/json tracks them: "spec.template.spec.containers.image". */
  fieldStack: string;
  /** The Go struct holding the current field ("Container"); undefined at the root. */
  structName?: string;
}

function typeError(kind: string, pos: Position, goType: string): string {
  if (pos.structName && pos.fieldStack) {
    return `json: cannot unmarshal ${kind} into Go struct field ${pos.structName}.${pos.fieldStack} of type ${goType}`;
  }
  return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
}

function numberKind(value: number): string {
  return `number ${String(value)}`;
}

/** Go's base64.StdEncoding: the offset of the first illegal byte, or undefined when valid. */
export function base64ErrorOffset(text: string): number | undefined {
  const n = text.length;
  let si = 0;
  const isNewline = (c: string) => c === '\n' || c === '\r';
  const isAlphabet = (c: string) => /[A-Za-z0-9+/]/.test(c);
  for (;;) {
    let j = 0;
    while (j < 4) {
      if (si === n) return j === 0 ? undefined : si - j;
      const c = text[si++];
      if (isNewline(c)) continue;
      if (isAlphabet(c)) {
        j++;
        continue;
      }
      if (c !== '=') return si - 1;
      // Padding: only after two or three symbols of a quantum, and nothing but newlines after it.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < n && isNewline(text[si])) si++;
        if (si === n) return n;
        if (text[si] !== '=') return si - 1;
        si++;
      }
      while (si < n && isNewline(text[si])) si++;
      return si < n ? si : undefined;
    }
  }
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** Go's time.Parse(time.RFC3339, s) error text, or undefined when s parses. */
export function rfc3339Error(s: string): string | undefined {
  const quoted = JSON.stringify(s);
  const fail = (rest: string, elem: string) => `parsing time ${quoted} as "${RFC3339}": cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`;
  const steps: [string, RegExp, [number, number, string]?][] = [
    ['2006', /^\d{4}/],
    ['-', /^-/],
    ['01', /^\d{2}/, [1, 12, 'month']],
    ['-', /^-/],
    ['02', /^\d{2}/, [1, 31, 'day']],
    ['T', /^T/],
    ['15', /^\d{2}/, [0, 23, 'hour']],
    [':', /^:/],
    ['04', /^\d{2}/, [0, 59, 'minute']],
    [':', /^:/],
    ['05', /^\d{2}/, [0, 59, 'second']],
  ];
  let rest = s;
  for (const [elem, re, range] of steps) {
    const m = re.exec(rest);
    if (!m) return fail(rest, elem);
    if (range) {
      const v = Number(m[0]);
      if (v < range[0] || v > range[1]) return `parsing time ${quoted}: ${range[2]} out of range`;
    }
    rest = rest.slice(m[0].length);
  }
  const frac = /^\.\d+/.exec(rest);
  if (frac) rest = rest.slice(frac[0].length);
  const zone = /^(Z|[+-]\d{2}:\d{2})/.exec(rest);
  if (!zone) return fail(rest, 'Z07:00');
  rest = rest.slice(zone[0].length);
  if (rest) return `parsing time ${quoted}: extra text: ${JSON.stringify(rest)}`;
  return undefined;
}

/** The error upstream's custom unmarshaller gives for a scalar, or undefined when the value decodes. */
function scalarError(value: unknown, s: Concrete, pos: Position, defs: Definitions): string | undefined {
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time') {
        // metav1.Time decodes a JSON string itself: errors carry no field context.
        if (typeof value !== 'string') return `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`;
        return rfc3339Error(value);
      }
      if (typeof value !== 'string') return typeError(jsonKind(value), pos, goTypeName(s, defs));
      if (s.format === 'byte') {
        const at = base64ErrorOffset(value);
        if (at !== undefined) return `illegal base64 data at input byte ${at}`;
      }
      return undefined;
    case 'integer': {
      if (typeof value !== 'number') return typeError(jsonKind(value), pos, goTypeName(s, defs));
      const [min, max] = INT_RANGES[s.format ?? 'int'];
      if (!Number.isInteger(value) || value < min || value > max) return typeError(numberKind(value), pos, goTypeName(s, defs));
      return undefined;
    }
    case 'number':
      return typeof value === 'number' ? undefined : typeError(jsonKind(value), pos, 'float64');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : typeError(jsonKind(value), pos, 'bool');
    case 'quantity':
      // resource.Quantity accepts a JSON string or a bare number; anything else fails its grammar.
      if (typeof value !== 'string' && typeof value !== 'number') return QUANTITY_FORMAT_ERROR;
      try {
        parseQuantity(String(value));
        return undefined;
      } catch (err) {
        return (err as Error).message || QUANTITY_FORMAT_ERROR;
      }
    case 'int-or-string':
      // intstr.IntOrString: a JSON string is a string, anything else must decode as int32.
      if (typeof value === 'string') return undefined;
      if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= INT_RANGES.int32[0] && value <= INT_RANGES.int32[1]) return undefined;
        return `json: cannot unmarshal ${numberKind(value)} into Go value of type int32`;
      }
      return `json: cannot unmarshal ${jsonKind(value)} into Go value of type int32`;
    default:
      return undefined;
  }
}

function childPosition(pos: Position, field: string, structName: string | undefined): Position {
  return {
    path: pos.path ? `${pos.path}.${field}` : field,
    fieldStack: pos.fieldStack ? `${pos.fieldStack}.${field}` : field,
    structName: structName ?? pos.structName,
  };
}

function walkCheck(value: unknown, schema: Schema, pos: Position, defs: Definitions, out: SchemaCheckResult, isRoot: boolean): void {
  // null decodes into anything as the zero value.
  if (value === null || value === undefined) return;
  const { schema: s, structName } = resolveNamed(schema, defs);
  switch (s.type) {
    case 'any':
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        out.typeErrors.push(typeError(jsonKind(value), pos, goTypeName(schema, defs)));
        return;
      }
      for (const [key, child] of Object.entries(value)) {
        // Own properties only: "__proto__" or "constructor" is an unknown field like any other.
        const prop = hasOwn(s.properties, key) ? s.properties[key] : undefined;
        const childPos = childPosition(pos, key, structName);
        if (!prop) {
          if (isRoot && (key === 'apiVersion' || key === 'kind')) continue;
          out.unknownFields.push(childPos.path);
          continue;
        }
        walkCheck(child, prop, childPos, defs, out, false);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        out.typeErrors.push(typeError(jsonKind(value), pos, goTypeName(schema, defs)));
        return;
      }
      value.forEach((item, i) => walkCheck(item, s.items, { ...pos, path: `${pos.path}[${i}]` }, defs, out, false));
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) {
        out.typeErrors.push(typeError(jsonKind(value), pos, goTypeName(schema, defs)));
        return;
      }
      // map[string]string (labels, data): a string or null needs no position built for it.
      const values = resolveNamed(s.values, defs).schema;
      const plainString = values.type === 'string' && !values.format;
      for (const [key, child] of Object.entries(value)) {
        if (plainString && (typeof child === 'string' || child === null)) continue;
        walkCheck(child, s.values, { ...pos, path: `${pos.path}[${JSON.stringify(key)}]` }, defs, out, false);
      }
      return;
    }
    default: {
      const err = scalarError(value, s, pos, defs);
      if (err) out.typeErrors.push(err);
    }
  }
}

/**
 * Checks a decoded JSON object against a schema: unknown fields (apiVersion and kind at the
 * root are always known; `any` subtrees are never inspected) and values of the wrong type.
 */
export function checkAgainstSchema(obj: unknown, schema: Schema, defs: Definitions): SchemaCheckResult {
  const out: SchemaCheckResult = { unknownFields: [], typeErrors: [] };
  walkCheck(obj, schema, { path: '', fieldStack: '' }, defs, out, true);
  return out;
}

/** What Go's decoder leaves where JSON has null in a list or map: the element type's zero value. */
function zeroValue(schema: Schema, defs: Definitions): unknown {
  return goZeroValue(resolveNamed(schema, defs).schema);
}

/** The value Go's decoder leaves for a JSON null of this (resolved) schema's type. */
export function goZeroValue(s: Schema): unknown {
  switch (s.type) {
    case 'object':
    case 'map':
      return {};
    case 'string':
      // A null metav1.Time stays null (its zero value marshals as null).
      return s.format === 'date-time' ? null : '';
    case 'integer':
    case 'number':
    case 'int-or-string':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    default:
      // Slices and interfaces: nil.
      return null;
  }
}

function isTime(schema: Schema, defs: Definitions): boolean {
  const { schema: s } = resolveNamed(schema, defs);
  return s.type === 'string' && s.format === 'date-time';
}

function walkDecode(value: unknown, schema: Schema, defs: Definitions, isRoot: boolean): unknown {
  if (value === null || value === undefined) return value;
  const { schema: s } = resolveNamed(schema, defs);
  switch (s.type) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        if (hasOwn(s.properties, key)) {
          // A null field decodes as the zero value, which JSON leaves out (omitempty or a nil
          // pointer), except a metav1.Time, whose zero value marshals as null.
          if (child !== null) out[key] = walkDecode(child, s.properties[key], defs, false);
          else if (isTime(s.properties[key], defs)) out[key] = null;
        } else if (isRoot && (key === 'apiVersion' || key === 'kind')) {
          out[key] = child;
        }
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) return value;
      return value.map((item) => (item === null ? zeroValue(s.items, defs) : walkDecode(item, s.items, defs, false)));
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      const values = resolveNamed(s.values, defs).schema;
      const plainString = values.type === 'string' && !values.format;
      for (const [key, child] of Object.entries(value)) {
        // Map keys are data: "__proto__" is kept as an own key, as JSON.parse made it.
        if (plainString && typeof child === 'string') setOwn(out, key, child);
        else setOwn(out, key, child === null ? zeroValue(s.values, defs) : walkDecode(child, s.values, defs, false));
      }
      return out;
    }
    default:
      // Scalars are immutable; only `any` subtrees (and values of the wrong type) need a copy.
      return typeof value === 'object' ? structuredClone(value) : value;
  }
}

/**
 * A copy of obj as upstream's decoder into Go structs leaves it: fields the schema does not know
 * dropped (fieldValidation Ignore or Warn; Strict refused them before), null fields left out, and
 * a null list element or map value turned into its type's zero value (`containers: [null]` is
 * one empty Container, which validation then refuses field by field, never a crash). `any`
 * subtrees are kept whole; values of the wrong type are kept as they are (decoding refuses them).
 */
export function decodeLikeGo<T>(obj: T, schema: Schema, defs: Definitions): T {
  return walkDecode(obj, schema, defs, true) as T;
}

/** Drops unknown fields (see decodeLikeGo, which this is). */
export function pruneUnknownFields<T>(obj: T, schema: Schema, defs: Definitions): T {
  return decodeLikeGo(obj, schema, defs);
}

/**
 * The message upstream gives when fieldValidation=Strict meets unknown fields:
 * `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`.
 * (With fieldValidation=Warn each `unknown field "spec.foo"` becomes one warning.)
 */
export function strictDecodingMessage(unknownFields: string[]): string {
  return `strict decoding error: ${unknownFields.map(unknownFieldWarning).join(', ')}`;
}

/** One unknown field as upstream words it in a warning: `unknown field "spec.foo"`. */
export function unknownFieldWarning(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/**
 * The 400 message upstream wraps decoding failures of a request body in:
 * `Job in version "v1" cannot be handled as a Job: <detail>`.
 */
export function cannotBeHandledMessage(kind: string, version: string, detail: string): string {
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${detail}`;
}

/**
 * Paths of keys that appear twice in one JSON object of `text` (JSON.parse keeps the last one
 * silently; upstream's strict decoding reports `duplicate field "spec.parallelism"`). Returns []
 * for text that is not valid JSON: the caller's parse reports that.
 */
export function findDuplicateFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new SyntaxError('expected a key');
        const key = readString();
        const childPath = path ? `${path}.${key}` : key;
        if (seen.has(key)) out.push(childPath);
        seen.add(key);
        ws();
        if (text[i++] !== ':') throw new SyntaxError('expected ":"');
        value(childPath);
        ws();
        const sep = text[i++];
        if (sep === '}') return;
        if (sep !== ',') throw new SyntaxError('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        const sep = text[i++];
        if (sep === ']') return;
        if (sep !== ',') throw new SyntaxError('expected "," or "]"');
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new SyntaxError('unexpected token');
    i += m[0].length;
  };
  try {
    value('');
    return out;
  } catch {
    return [];
  }
}

/** One duplicate field as upstream words it: `duplicate field "spec.parallelism"`. */
export function duplicateFieldWarning(path: string): string {
  return `duplicate field ${JSON.stringify(path)}`;
}
