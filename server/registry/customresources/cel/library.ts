// The CEL environment custom resource validation rules compile in: CEL's standard library and
// macros as @marcbachmann/cel-js gives them (size, has, all, exists, exists_one, map, filter,
// the strings extension, timestamps, durations, optionals), plus the Kubernetes libraries that
// CRDs use (k8s.io/apiserver/pkg/cel/library): lists (isSorted, sum, min, max, indexOf,
// lastIndexOf), regex (find, findAll), url, quantity, the strings extension's format, charAt,
// replace, reverse, and sets (sets.contains, sets.equivalent, sets.intersects).
// Regular expressions are JavaScript's, not RE2: the patterns CRDs use mean the same in both.
import { Environment } from '@marcbachmann/cel-js';
import { type Quantity, compareQuantities, parseQuantity, quantityMilliValue, quantitySign } from '../../../../machinery/index.js';

/** A rule's runtime error, reported as upstream reports cel-go's ("... evaluating rule: ..."). */
export class CelRuntimeError extends Error {}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new CelRuntimeError('no such overload');
}

export function celEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Heterogeneous numbers compare by value, as cel-go's equality does (1 == 1.0).
  if ((typeof a === 'bigint' && typeof b === 'number') || (typeof a === 'number' && typeof b === 'bigint')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => celEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** url(): the parts Kubernetes' URL type answers (getScheme, getHost, ...). */
export class CelURL {
  readonly url: URL;
  constructor(url: URL) {
    this.url = url;
  }
}

/** quantity(): resource.Quantity as Kubernetes' quantity library sees it. */
export class CelQuantity {
  readonly q: Quantity;
  constructor(q: Quantity) {
    this.q = q;
  }
}

function toQuantity(s: string): CelQuantity {
  try {
    return new CelQuantity(parseQuantity(s));
  } catch {
    throw new CelRuntimeError('quantities must match the regular expression');
  }
}

function parseURL(s: string): URL | undefined {
  // Kubernetes' url() takes absolute URIs and absolute paths (url.ParseRequestURI).
  try {
    return s.startsWith('/') ? new URL(s, 'relative:///') : new URL(s);
  } catch {
    return undefined;
  }
}

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    throw new CelRuntimeError(`error parsing regexp: ${(err as Error).message}`);
  }
}

/** The strings extension's format: %s %d %f %e %x %X %o %b and %%, as cel-go's. */
export function formatString(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%(\.(\d+))?([sdfeExXob%])/g, (_m, _p, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new CelRuntimeError(`index ${i} out of range`);
    const arg = args[i++];
    const n = typeof arg === 'bigint' ? arg : typeof arg === 'number' ? arg : undefined;
    switch (verb) {
      case 's':
        return typeof arg === 'string' ? arg : formatForS(arg);
      case 'd':
        if (typeof n !== 'bigint' && !(typeof n === 'number' && Number.isInteger(n))) throw new CelRuntimeError('error during formatting: decimal clause can only be used on integers');
        return String(n);
      case 'f':
      case 'e':
      case 'E': {
        if (n === undefined) throw new CelRuntimeError('error during formatting: fixed-point clause can only be used on doubles');
        const p = precision === undefined ? 6 : Number(precision);
        const s = verb === 'f' ? Number(n).toFixed(p) : Number(n).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
        return verb === 'E' ? s.toUpperCase() : s;
      }
      default: {
        if (typeof arg === 'string' && (verb === 'x' || verb === 'X')) {
          const hex = Buffer.from(arg, 'utf8').toString('hex');
          return verb === 'X' ? hex.toUpperCase() : hex;
        }
        if (typeof n !== 'bigint' && !(typeof n === 'number' && Number.isInteger(n))) throw new CelRuntimeError(`error during formatting: only integers can be formatted with %${verb}`);
        const s = BigInt(n).toString(verb === 'o' ? 8 : verb === 'b' ? 2 : 16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
    }
  });
}

function formatForS(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatForS).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${k}:${formatForS(x)}`).join(', ')}}`;
  return String(v);
}

function reduceList<T>(list: T[], pick: (a: T, b: T) => T, name: string): T {
  if (!list.length) throw new CelRuntimeError(`${name} called on empty list`);
  return list.reduce(pick);
}

class SetsNamespace {}

let base: Environment | undefined;

/** The environment with every library registered; callers clone it to declare self and oldSelf. */
export function baseEnvironment(): Environment {
  if (base) return base;
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, limits: { maxAstNodes: 10_000, maxDepth: 100 } });
  // Kubernetes' lists library.
  for (const t of ['int', 'double', 'string', 'bool']) env.registerFunction(`list<${t}>.isSorted(): bool`, (l: unknown[]) => l.every((x, i) => i === 0 || compare(l[i - 1], x) <= 0));
  env.registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n));
  env.registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
  for (const t of ['int', 'double', 'string', 'bool']) {
    env.registerFunction(`list<${t}>.min(): ${t}`, (l: unknown[]) => reduceList(l, (a, b) => (compare(a, b) <= 0 ? a : b), 'min'));
    env.registerFunction(`list<${t}>.max(): ${t}`, (l: unknown[]) => reduceList(l, (a, b) => (compare(a, b) >= 0 ? a : b), 'max'));
  }
  env.registerFunction('list<A>.indexOf(A): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEqual(x, v))));
  env.registerFunction('list<A>.lastIndexOf(A): int', (l: unknown[], v: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEqual(l[i], v)) return BigInt(i);
    return -1n;
  });
  // Kubernetes' regex library.
  env.registerFunction('string.find(string): string', (s: string, p: string) => regex(p).exec(s)?.[0] ?? '');
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => [...s.matchAll(new RegExp(regex(p).source, 'gu'))].map((m) => m[0]));
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
    const all = [...s.matchAll(new RegExp(regex(p).source, 'gu'))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  });
  // The strings extension beyond what cel-js has.
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = [...s];
    if (i < 0n || i > BigInt(cps.length)) throw new CelRuntimeError(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    let out = s;
    let from = 0;
    for (let k = 0n; k < n; k++) {
      const at = out.indexOf(a, from);
      if (at < 0) break;
      out = out.slice(0, at) + b + out.slice(at + a.length);
      from = at + b.length;
    }
    return out;
  });
  env.registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  env.registerFunction('string.format(list<dyn>): string', (s: string, args: unknown[]) => formatString(s, args));
  // Kubernetes' sets library: `sets` is a constant whose methods are the functions.
  env.registerType('SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  env.registerFunction('SetsNamespace.contains(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y))));
  env.registerFunction('SetsNamespace.equivalent(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y))) && a.every((x) => b.some((y) => celEqual(x, y))));
  env.registerFunction('SetsNamespace.intersects(list<A>, list<A>): bool', (_n: unknown, a: unknown[], b: unknown[]) => a.some((x) => b.some((y) => celEqual(x, y))));
  // Kubernetes' URLs library.
  env.registerType('URL', CelURL);
  env.registerFunction('url(string): URL', (s: string) => {
    const u = parseURL(s);
    if (!u) throw new CelRuntimeError(`URL parse error during conversion from string: ${s}`);
    return new CelURL(u);
  });
  env.registerFunction('isURL(string): bool', (s: string) => parseURL(s) !== undefined);
  env.registerFunction('URL.getScheme(): string', (u: CelURL) => (u.url.protocol === 'relative:' ? '' : u.url.protocol.slice(0, -1)));
  env.registerFunction('URL.getHost(): string', (u: CelURL) => u.url.host);
  env.registerFunction('URL.getHostname(): string', (u: CelURL) => u.url.hostname.replace(/^\[(.*)\]$/, '$1'));
  env.registerFunction('URL.getPort(): string', (u: CelURL) => u.url.port);
  env.registerFunction('URL.getEscapedPath(): string', (u: CelURL) => u.url.pathname);
  env.registerFunction('URL.getQuery(): map<string, list<string>>', (u: CelURL) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) (out[k] ??= []).push(v);
    return out;
  });
  // Kubernetes' quantity library.
  env.registerType('Quantity', CelQuantity);
  env.registerFunction('quantity(string): Quantity', toQuantity);
  env.registerFunction('isQuantity(string): bool', (s: string) => {
    try {
      parseQuantity(s);
      return true;
    } catch {
      return false;
    }
  });
  env.registerFunction('Quantity.sign(): int', (q: CelQuantity) => BigInt(quantitySign(q.q)));
  env.registerFunction('Quantity.isInteger(): bool', (q: CelQuantity) => quantityMilliValue(q.q) % 1000n === 0n);
  env.registerFunction('Quantity.asInteger(): int', (q: CelQuantity) => {
    const milli = quantityMilliValue(q.q);
    if (milli % 1000n !== 0n) throw new CelRuntimeError('cannot convert value to integer');
    return milli / 1000n;
  });
  env.registerFunction('Quantity.asApproximateFloat(): double', (q: CelQuantity) => Number(q.q.num) / Number(q.q.den));
  env.registerFunction('Quantity.compareTo(Quantity): int', (a: CelQuantity, b: CelQuantity) => BigInt(compareQuantities(a.q, b.q)));
  env.registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: CelQuantity, b: CelQuantity) => compareQuantities(a.q, b.q) > 0);
  env.registerFunction('Quantity.isLessThan(Quantity): bool', (a: CelQuantity, b: CelQuantity) => compareQuantities(a.q, b.q) < 0);
  env.registerFunction('Quantity.add(Quantity): Quantity', (a: CelQuantity, b: CelQuantity) => addQuantities(a.q, b.q, 1n));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (a: CelQuantity, b: CelQuantity) => addQuantities(a.q, b.q, -1n));
  base = env;
  return env;
}

function addQuantities(a: Quantity, b: Quantity, sign: bigint): CelQuantity {
  const num = a.num * b.den + sign * b.num * a.den;
  const den = a.den * b.den;
  return new CelQuantity({ num, den, text: '' });
}
