// Query parameters as upstream's apiserver reads them (apimachinery's runtime/conversion.go,
// behind every ParameterCodec.DecodeParameters): of a repeated parameter the first value counts
// (Convert_Slice_string_To_string and friends read (*in)[0]); a boolean is false only for "0" or
// "false" in any case, anything else is true, the empty value included (Python's client sends
// `True`, kubectl and client-node `true`); an integer is Go's strconv.ParseInt(s, 10, 64), and a bad
// one is a 400 carrying strconv's own error. Every route reads its parameters through these.
import { badRequest } from './status-error.js';

/** A parsed query string: one value, or several for a repeated parameter (Fastify's form). */
export type QueryValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value of a parameter, in order (url.Values[name]). */
export function queryValues(query: QueryValues, name: string): string[] {
  const v = query[name];
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

/** Convert_Slice_string_To_string: the first value; undefined when the parameter is absent. */
export function queryString(query: QueryValues, name: string): string | undefined {
  const v = query[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v[0];
}

/** Go's strings.EqualFold(s, "false"): the long s (U+017F) folds to "s" as well. */
function isFalse(value: string): boolean {
  return value.length === 5 && value.toLowerCase().replace(/\u017f/g, 's') === 'false';
}

/** Convert_Slice_string_To_bool on one value: false only for "0" and "false" (any case). */
export function parseBool(value: string): boolean {
  return !(value === '0' || isFalse(value));
}

/** Convert_Slice_string_To_bool: absent is false. */
export function queryBool(query: QueryValues, name: string): boolean {
  const v = queryString(query, name);
  return v !== undefined && parseBool(v);
}

/** Convert_Slice_string_To_Pointer_bool, as the generated conversions call it: absent is undefined. */
export function queryOptionalBool(query: QueryValues, name: string): boolean | undefined {
  const v = queryString(query, name);
  return v === undefined ? undefined : parseBool(v);
}

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/** A value strconv.ParseInt refused, with the message Go gives it. */
export class ParseIntError extends Error {
  readonly value: string;
  readonly reason: 'invalid syntax' | 'value out of range';

  constructor(value: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.ParseInt: parsing ${goQuote(value)}: ${reason}`);
    this.name = 'ParseIntError';
    this.value = value;
    this.reason = reason;
  }
}

/**
 * strconv.ParseInt(value, 10, 64): an optional sign, then decimal digits only (no spaces, no
 * underscores); beyond int64 is "value out of range". As a JavaScript number, so values past
 * 2^53 lose precision (for a limit or a number of seconds they mean "no bound" either way).
 */
export function parseInt64(value: string): number {
  let digits = value;
  let negative = false;
  if (digits[0] === '+' || digits[0] === '-') {
    negative = digits[0] === '-';
    digits = digits.slice(1);
  }
  if (digits === '') throw new ParseIntError(value, 'invalid syntax');
  // ParseUint's order: a bad character is a syntax error, unless the digits before it overflowed.
  let n = 0n;
  for (const c of digits) {
    if (c < '0' || c > '9') throw new ParseIntError(value, 'invalid syntax');
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > MAX_UINT64) throw new ParseIntError(value, 'value out of range');
  }
  if (negative ? n > MAX_INT64 + 1n : n > MAX_INT64) throw new ParseIntError(value, 'value out of range');
  return Number(negative ? -n : n);
}

/**
 * Convert_Slice_string_To_int64 / Convert_Slice_string_To_Pointer_int64: the first value as an
 * int64; undefined when absent (an empty value is invalid syntax, as upstream's). A bad value is
 * the 400 BadRequest the apiserver answers, its message strconv's error.
 */
export function queryInt64(query: QueryValues, name: string): number | undefined {
  const v = queryString(query, name);
  if (v === undefined) return undefined;
  try {
    return parseInt64(v);
  } catch (err) {
    if (err instanceof ParseIntError) throw badRequest(err.message);
    throw err;
  }
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote, for the messages that carry a client's value. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escape = GO_ESCAPES[ch];
    if (escape) {
      out += escape;
      continue;
    }
    if (PRINTABLE.test(ch)) {
      out += ch;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}
