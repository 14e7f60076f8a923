// A set of field paths, as structured-merge-diff's fieldpath.Set: a trie whose edges are
// path elements in their FieldsV1 spelling (`f:<name>` a field, `k:{"name":"x"}` an item of a
// listType=map list, `v:<json>` an item of a listType=set list, `i:<n>` an index) and whose
// nodes say whether the path ending there is itself a member (FieldsV1's `.`).
// FieldsV1 is the JSON form managedFields carry: a member without children is `{}`, a member
// with children has `".": {}` among them, and keys are written in upstream's element order.

export type FieldsV1 = { [key: string]: FieldsV1 };

/** FieldsV1 that does not decode. */
export class FieldsV1Error extends Error {}

/** One path: its elements in FieldsV1 spelling, outermost first. */
export type FieldPath = readonly string[];

// Leaves (most nodes) share one empty map until a child is added.
const NO_CHILDREN: ReadonlyMap<string, PathSet> = new Map();

/**
 * Set operations return new sets that may share unchanged subtrees with their operands:
 * a set handed out by an operation is not changed in place afterwards (only built ones are).
 */
export class PathSet {
  member = false;
  private kids: Map<string, PathSet> | undefined;

  get children(): ReadonlyMap<string, PathSet> {
    return this.kids ?? NO_CHILDREN;
  }

  static fromPaths(paths: Iterable<FieldPath>): PathSet {
    const s = new PathSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Decodes FieldsV1; throws on a key that is no path element or a value that is no object. */
  static fromFieldsV1(json: unknown): PathSet {
    const s = new PathSet();
    decodeInto(s, json, '');
    return s;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    if (this.kids) for (const c of this.kids.values()) if (!c.isEmpty()) return false;
    return true;
  }

  insert(path: FieldPath): void {
    this.nodeAt(path).member = true;
  }

  /** The node at `path`, created (not a member) when absent. */
  nodeAt(path: FieldPath): PathSet {
    let node: PathSet = this;
    for (const pe of path) node = node.child(pe);
    return node;
  }

  /** The node under `pe`, created when absent. */
  child(pe: string): PathSet {
    let c = this.kids?.get(pe);
    if (!c) this.setChild(pe, (c = new PathSet()));
    return c;
  }

  setChild(pe: string, node: PathSet): void {
    (this.kids ??= new Map()).set(pe, node);
  }

  deleteChild(pe: string): void {
    this.kids?.delete(pe);
  }

  has(path: FieldPath): boolean {
    let node: PathSet | undefined = this;
    for (const pe of path) if (!(node = node.children.get(pe))) return false;
    return node.member;
  }

  union(other: PathSet): PathSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new PathSet();
    out.member = this.member || other.member;
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      out.setChild(pe, o ? c.union(o) : c);
    }
    for (const [pe, o] of other.children) if (!this.children.has(pe)) out.setChild(pe, o);
    return out;
  }

  /** Adds every member of `other` to this (built) set, in place. */
  addAll(other: PathSet): void {
    if (other.member) this.member = true;
    for (const [pe, c] of other.children) this.child(pe).addAll(c);
  }

  /** Members of this set that are not members of `other` (upstream's Difference: exact paths). */
  difference(other: PathSet): PathSet {
    if (!other.member && other.children.size === 0) return this;
    let out: PathSet | undefined;
    const edit = () => (out ??= this.shallowCopy());
    if (this.member && other.member) edit().member = false;
    for (const [pe, o] of other.children) {
      const c = this.children.get(pe);
      if (!c) continue;
      const d = c.difference(o);
      if (d === c) continue;
      if (d.isEmpty()) edit().deleteChild(pe);
      else edit().setChild(pe, d);
    }
    return out ?? this;
  }

  intersection(other: PathSet): PathSet {
    const out = new PathSet();
    out.member = this.member && other.member;
    const [small, large] = this.children.size <= other.children.size ? [this, other] : [other, this];
    for (const [pe, c] of small.children) {
      const o = large.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.isEmpty()) out.setChild(pe, i);
    }
    return out;
  }

  /** Members of this set with no member of `other` as a prefix (upstream's RecursiveDifference). */
  recursiveDifference(other: PathSet): PathSet {
    if (other.children.size === 0) return this;
    let out: PathSet | undefined;
    for (const [pe, o] of other.children) {
      const c = this.children.get(pe);
      if (!c) continue;
      if (o.member) {
        (out ??= this.shallowCopy()).deleteChild(pe);
        continue;
      }
      const d = c.recursiveDifference(o);
      if (d === c) continue;
      if (d.isEmpty()) (out ??= this.shallowCopy()).deleteChild(pe);
      else (out ??= this.shallowCopy()).setChild(pe, d);
    }
    return out ?? this;
  }

  private shallowCopy(): PathSet {
    const out = new PathSet();
    out.member = this.member;
    if (this.kids) out.kids = new Map(this.kids);
    return out;
  }

  /** Every member path, in upstream's order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: PathSet, prefix: string[]) => {
      if (node.member && prefix.length) out.push([...prefix]);
      for (const pe of sortedElements(node.children.keys())) walk(node.children.get(pe)!, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  equals(other: PathSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(other.toFieldsV1());
  }

  /** FieldsV1, keys in upstream's order (the node's own `.` first). */
  toFieldsV1(): FieldsV1 {
    return encode(this, false);
  }
}

function encode(node: PathSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (node.children.size === 0) return out;
  const keys = sortedElements([...node.children.keys()].filter((pe) => !node.children.get(pe)!.isEmpty()));
  if (includeSelf && node.member && keys.length) out['.'] = {};
  for (const pe of keys) out[pe] = encode(node.children.get(pe)!, true);
  return out;
}

function decodeInto(node: PathSet, json: unknown, at: string): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FieldsV1Error(`FieldsV1 ${at || 'root'}: expected an object`);
  const keys = Object.keys(json);
  if (at && keys.length === 0) node.member = true;
  for (const key of keys) {
    const value = (json as Record<string, unknown>)[key];
    if (key === '.') {
      if (!at) throw new FieldsV1Error('FieldsV1: "." at the root');
      node.member = true;
      continue;
    }
    checkElement(key);
    decodeInto(node.child(key), value, `${at}${elementString(key)}`);
  }
}

function checkElement(pe: string): void {
  const kind = pe.slice(0, 2);
  if (kind === 'f:') return;
  if (kind === 'i:' && /^i:(0|[1-9][0-9]*)$/.test(pe)) return;
  if (kind === 'k:' || kind === 'v:') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(pe.slice(2));
    } catch {
      throw new FieldsV1Error(`FieldsV1: bad path element ${JSON.stringify(pe)}`);
    }
    if (kind === 'k:' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) throw new FieldsV1Error(`FieldsV1: bad key ${JSON.stringify(pe)}`);
    return;
  }
  throw new FieldsV1Error(`FieldsV1: unknown path element ${JSON.stringify(pe)}`);
}

// ---- path elements -------------------------------------------------------------------------

/** `f:<name>`. */
export const fieldElement = (name: string): string => `f:${name}`;

/** `k:{...}`: the key fields of a listType=map item, sorted by name (upstream's FieldList). */
export function keyElement(key: Record<string, unknown>): string {
  const names = Object.keys(key).sort(compareStrings);
  return `k:{${names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(key[n])}`).join(',')}}`;
}

/** `v:<json>`: an item of a listType=set list. */
export const valueElement = (v: unknown): string => `v:${JSON.stringify(v)}`;

/** A path element as upstream prints it in messages: `.name`, `[name="x"]`, `[="v"]`, `[3]`. */
export function elementString(pe: string): string {
  const rest = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${rest}`;
    case 'k:': {
      const key = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.keys(key)
        .map((n) => `${n}=${JSON.stringify(key[n])}`)
        .join(',')}]`;
    }
    case 'v:':
      return `[=${rest}]`;
    default:
      return `[${rest}]`;
  }
}

/** A whole path as upstream prints it (`.spec.containers[name="app"].image`). */
export const pathString = (path: FieldPath): string => path.map(elementString).join('');

// Upstream orders path elements by kind (field names, then keys, then values, then indexes),
// then within a kind: names as bytes, keys field by field, values by value.
const KIND_ORDER: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

function sortedElements(keys: Iterable<string>): string[] {
  const list = [...keys];
  // Field names only, without astral characters: plain code-unit order is upstream's.
  if (list.every((k) => k.charCodeAt(0) === 102 && !NEEDS_BYTES.test(k))) return list.sort();
  // Keys and values are parsed once, not at every comparison.
  const parsed = new Map<string, unknown>();
  for (const k of list) if (k.startsWith('k:') || k.startsWith('v:')) parsed.set(k, JSON.parse(k.slice(2)));
  return list.sort((a, b) => compareParsed(a, b, parsed));
}

function compareParsed(a: string, b: string, parsed: Map<string, unknown>): number {
  const ka = KIND_ORDER[a.slice(0, 2)] ?? 4;
  const kb = KIND_ORDER[b.slice(0, 2)] ?? 4;
  if (ka !== kb) return ka - kb;
  if (ka === 1) return compareKeys(parsed.get(a) as Record<string, unknown>, parsed.get(b) as Record<string, unknown>);
  if (ka === 2) return compareValues(parsed.get(a), parsed.get(b));
  return compareElements(a, b);
}

export function compareElements(a: string, b: string): number {
  const ka = KIND_ORDER[a.slice(0, 2)] ?? 4;
  const kb = KIND_ORDER[b.slice(0, 2)] ?? 4;
  if (ka !== kb) return ka - kb;
  switch (ka) {
    case 0:
      return compareStrings(a, b);
    case 1:
      return compareKeys(JSON.parse(a.slice(2)) as Record<string, unknown>, JSON.parse(b.slice(2)) as Record<string, unknown>);
    case 2:
      return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
    default:
      return Number(a.slice(2)) - Number(b.slice(2));
  }
}

// Go compares strings as UTF-8 bytes; UTF-16 code units agree but where a surrogate pair
// meets U+E000..U+FFFF.
const NEEDS_BYTES = /[\uD800-\uFFFF]/;

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (NEEDS_BYTES.test(a) || NEEDS_BYTES.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const na = Object.keys(a).sort(compareStrings);
  const nb = Object.keys(b).sort(compareStrings);
  for (let i = 0; ; i++) {
    if (i >= na.length || i >= nb.length) return na.length - nb.length;
    const c = compareStrings(na[i], nb[i]) || compareValues(a[na[i]], b[nb[i]]);
    if (c) return c;
  }
}

// value.Compare: numbers < strings < booleans < lists < maps < null.
function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c) return c;
      }
      return la.length - lb.length;
    }
    case 4:
      return compareKeys(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return 0;
  }
}
