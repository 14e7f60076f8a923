// resource.Quantity: parsing and comparing "500m", "64Mi", "1.5", "2e3".
// Values are kept as exact rationals in milli-units where needed (bigint) to avoid float drift.

export const QUANTITY_REGEXP_TEXT = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${QUANTITY_REGEXP_TEXT}'`;

const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export class QuantityError extends Error {
  constructor(message = QUANTITY_FORMAT_ERROR) {
    super(message);
    this.name = 'QuantityError';
  }
}

/** A parsed quantity as numerator/denominator (exact). */
export interface Quantity {
  num: bigint;
  den: bigint;
  text: string;
}

const NUMBER_PART_RE = /^[+-]?[0-9.]+/;
const SUFFIX_PART_RE = /^[eEinumkKMGTP]*[-+]?[0-9]*$/;

/**
 * QUANTITY_REGEXP_TEXT's groups, found in linear time: the regular expression backtracks between its
 * number and its suffix digits, quadratic in the length (20 KB of digits and an `x` took
 * 160 ms, a 2 MB field would hold the server for hours). The longest number part is the only
 * split that can match (a shorter one moves digits in front of the same failing suffix).
 */
export function matchQuantity(t: string): [string, string, string] | undefined {
  const n = NUMBER_PART_RE.exec(t);
  if (!n) return undefined;
  const suffix = t.slice(n[0].length);
  return SUFFIX_PART_RE.test(suffix) ? [t, n[0], suffix] : undefined;
}

export function parseQuantity(text: string): Quantity {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') throw new QuantityError();
  const t = text.trim();
  const m = matchQuantity(t);
  if (!m || m[1] === '' || m[1] === '.' || (m[1].match(/\./g)?.length ?? 0) > 1) throw new QuantityError();
  const numberPart = m[1];
  const suffix = m[2];
  let neg = false;
  let digits = numberPart;
  if (digits.startsWith('+') || digits.startsWith('-')) {
    neg = digits.startsWith('-');
    digits = digits.slice(1);
  }
  const [intPart, fracPart = ''] = digits.split('.');
  let num = BigInt((intPart || '0') + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else if (suffix in DECIMAL_EXP) {
    const e = DECIMAL_EXP[suffix];
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  } else {
    throw new QuantityError('unable to parse quantity\'s suffix');
  }
  if (neg) num = -num;
  return { num, den, text: t };
}

export function isValidQuantity(text: unknown): boolean {
  if (typeof text !== 'string' && typeof text !== 'number') return false;
  try {
    parseQuantity(String(text));
    return true;
  } catch {
    return false;
  }
}

/** Value rounded up to an integer (Quantity.Value()). */
export function quantityValue(q: Quantity | string): bigint {
  const x = typeof q === 'string' ? parseQuantity(q) : q;
  const r = x.num / x.den;
  return x.num % x.den !== 0n && x.num > 0n ? r + 1n : r;
}

/** Value in milli-units rounded up (Quantity.MilliValue()): "500m" → 500, "1" → 1000. */
export function quantityMilliValue(q: Quantity | string): bigint {
  const x = typeof q === 'string' ? parseQuantity(q) : q;
  const n = x.num * 1000n;
  const r = n / x.den;
  return n % x.den !== 0n && n > 0n ? r + 1n : r;
}

export function quantitySign(q: Quantity | string): number {
  const x = typeof q === 'string' ? parseQuantity(q) : q;
  return x.num === 0n ? 0 : x.num > 0n ? 1 : -1;
}

/** -1, 0, 1 like Quantity.Cmp. */
export function compareQuantities(a: Quantity | string, b: Quantity | string): number {
  const x = typeof a === 'string' ? parseQuantity(a) : a;
  const y = typeof b === 'string' ? parseQuantity(b) : b;
  const l = x.num * y.den;
  const r = y.num * x.den;
  return l === r ? 0 : l < r ? -1 : 1;
}

/** Formats a byte count the way people read memory: "64Mi", "1Gi", or plain bytes. */
export function formatBinaryBytes(bytes: bigint | number): string {
  const b = BigInt(bytes);
  for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (b !== 0n && b % BINARY[s] === 0n) return `${b / BINARY[s]}${s}`;
  }
  return String(b);
}

/** Formats millicores: 1500 → "1500m", 2000 → "2". */
export function formatMilli(milli: bigint | number): string {
  const m = BigInt(milli);
  return m % 1000n === 0n ? String(m / 1000n) : `${m}m`;
}
