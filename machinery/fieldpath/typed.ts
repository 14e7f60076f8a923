// Structured merge over the wire schema: what structured-merge-diff's typed package does to a
// value of a known type (ToFieldSet, Compare, Merge, RemoveItems, EnsureNamedFieldsAreMembers).
// Upstream derives each list's and map's semantics from the OpenAPI extensions; so do we:
// x-kubernetes-list-type (atomic | set | map with its keys), else a patchStrategy "merge" list
// is a map by its patchMergeKey (a set without one), else atomic; objects are granular unless
// upstream marks the Go struct +structType=atomic (ATOMIC_STRUCTS below).
import { BATCH, CORE, META, type Definitions, type Schema } from '../../api/schema/index.js';
import { getOwn, hasOwn, jsonEqual, setOwn } from '../own-properties.js';
import { PathSet, fieldElement, keyElement, valueElement } from './set.js';

type JsonMap = Record<string, unknown>;

type Shape =
  | { kind: 'leaf' }
  | { kind: 'struct'; fields: Record<string, Schema>; name?: string }
  | { kind: 'map'; values: Schema }
  | { kind: 'listMap'; items: Schema; keys: string[] }
  | { kind: 'listSet'; items: Schema }
  | { kind: 'any' };

/** Go structs upstream marks +structType=atomic: owned and replaced as a whole. */
export const ATOMIC_STRUCTS: ReadonlySet<string> = new Set([
  META + 'LabelSelector',
  META + 'OwnerReference',
  CORE + 'NodeSelector',
  CORE + 'NodeSelectorTerm',
  CORE + 'ConfigMapKeySelector',
  CORE + 'SecretKeySelector',
  CORE + 'FileKeySelector',
  CORE + 'ObjectFieldSelector',
  CORE + 'ResourceFieldSelector',
  CORE + 'ConfigMapEnvSource',
  CORE + 'SecretEnvSource',
  CORE + 'LocalObjectReference',
  CORE + 'ObjectReference',
  CORE + 'TypedLocalObjectReference',
]);

/** Map fields upstream marks +mapType=atomic: owned and replaced as a whole. */
export const ATOMIC_MAP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [CORE + 'PodSpec']: ['nodeSelector'],
  [CORE + 'ServiceSpec']: ['selector'],
  [CORE + 'ReplicationControllerSpec']: ['selector'],
};

/**
 * Struct fields that are Go values, not pointers, below the top level (where metadata, spec and
 * status are): a new Go object already holds them, empty, so creating one does not add them.
 */
const VALUE_STRUCT_FIELDS: Record<string, string[]> = {
  [BATCH + 'JobSpec']: ['template'],
  [BATCH + 'CronJobSpec']: ['jobTemplate'],
  [BATCH + 'JobTemplateSpec']: ['metadata', 'spec'],
  [CORE + 'PodTemplateSpec']: ['metadata', 'spec'],
};

/** Fields without omitempty a new Go struct holds as null (a list not yet made). */
const NULL_FIELDS: Record<string, string[]> = {
  [CORE + 'PodSpec']: ['containers'],
};

/** Schema defaults of list-map key fields (a port without protocol is TCP's). */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** What Compare finds between two values: paths added, changed and removed. */
export interface Comparison {
  added: PathSet;
  modified: PathSet;
  removed: PathSet;
}

export class StructuredMergeError extends Error {}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyMap = (v: unknown) => v === undefined || v === null || (isMap(v) && Object.keys(v).length === 0);

/** The typed operations over one Definitions table; shapes are worked out once per schema node. */
export class TypedSchema {
  private readonly defs: Definitions;
  private readonly shapes = new WeakMap<Schema, Shape>();
  private readonly atomicMaps = new WeakSet<Schema>();

  constructor(defs: Definitions) {
    this.defs = defs;
    for (const [name, fields] of Object.entries(ATOMIC_MAP_FIELDS)) {
      const def = defs[name];
      if (def?.type !== 'object') continue;
      for (const f of fields) if (hasOwn(def.properties, f)) this.atomicMaps.add(def.properties[f]);
    }
  }

  shape(schema: Schema | undefined): Shape {
    if (!schema) return { kind: 'leaf' };
    let out = this.shapes.get(schema);
    if (!out) this.shapes.set(schema, (out = this.computeShape(schema)));
    return out;
  }

  private computeShape(schema: Schema): Shape {
    if (this.atomicMaps.has(schema)) return { kind: 'leaf' };
    let s: Schema = schema;
    let name: string | undefined;
    for (let depth = 0; s.type === 'ref'; depth++) {
      name = s.ref;
      const next = this.defs[s.ref];
      if (!next || depth > 32) throw new Error(`schema definition ${s.ref} not found`);
      s = next;
    }
    switch (s.type) {
      case 'object':
        return name && ATOMIC_STRUCTS.has(name) ? { kind: 'leaf' } : { kind: 'struct', fields: s.properties, name };
      case 'map':
        return { kind: 'map', values: s.values };
      case 'any':
        return { kind: 'any' };
      case 'array': {
        const merge = s.patchStrategy?.split(',').includes('merge');
        if (s.listType === 'map' || (!s.listType && merge && s.mergeKey)) {
          return { kind: 'listMap', items: s.items, keys: s.listMapKeys ?? [s.mergeKey!] };
        }
        if (s.listType === 'set' || (!s.listType && merge)) return { kind: 'listSet', items: s.items };
        return { kind: 'leaf' };
      }
      default:
        return { kind: 'leaf' };
    }
  }

  /** The schema of a child of a struct, map or untyped value; undefined: not declared. */
  private childSchema(shape: Shape, key: string): Schema | undefined {
    if (shape.kind === 'struct') return getOwn(shape.fields, key) as Schema | undefined;
    if (shape.kind === 'map') return shape.values;
    return ANY;
  }

  /** The path element of a list item: `k:{...}` by its key fields, or `v:<json>`. */
  itemElement(shape: Shape, item: unknown): string {
    if (shape.kind === 'listSet') return valueElement(item);
    if (shape.kind !== 'listMap') throw new StructuredMergeError('not an associative list');
    if (!isMap(item)) throw new StructuredMergeError('associative list with keys has an element that is not a map');
    const key: JsonMap = {};
    for (const k of shape.keys) {
      const v = hasOwn(item, k) && item[k] !== null ? item[k] : KEY_DEFAULTS[k];
      if (v === undefined) throw new StructuredMergeError(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
      key[k] = v;
    }
    return keyElement(key);
  }

  private isLeaf(shape: Shape, v: unknown): boolean {
    switch (shape.kind) {
      case 'leaf':
        return true;
      case 'struct':
      case 'map':
        return !isMap(v);
      case 'any':
        return !isMap(v);
      default:
        return !Array.isArray(v);
    }
  }

  /** ToFieldSet: every leaf, list item and map entry of `v`, and fields set to null or {}. */
  fieldSet(v: unknown, schema: Schema): PathSet {
    const out = new PathSet();
    this.collect(v, this.shape(schema), out);
    return out;
  }

  private collect(v: unknown, shape: Shape, into: PathSet): void {
    if (this.isLeaf(shape, v)) return;
    if (shape.kind === 'listMap' || shape.kind === 'listSet') {
      const itemShape = this.shape(shape.items);
      for (const item of v as unknown[]) {
        const node = into.child(this.itemElement(shape, item));
        node.member = true;
        this.collect(item, itemShape, node);
      }
      return;
    }
    const m = v as JsonMap;
    for (const key of Object.keys(m)) {
      const val = m[key];
      const fieldSchema = this.childSchema(shape, key);
      const childShape = this.shape(fieldSchema);
      const node = into.child(fieldElement(key));
      this.collect(val, childShape, node);
      // A struct's own fields are members only as leaves or when null or empty; a map's entries always.
      if (shape.kind !== 'struct' || !fieldSchema || this.isLeaf(childShape, val) || isEmptyMap(val)) node.member = true;
    }
  }

  /** Compare: what changed from `lhs` to `rhs` (undefined: absent). */
  compare(lhs: unknown, rhs: unknown, schema: Schema): Comparison {
    const out: Comparison = { added: new PathSet(), modified: new PathSet(), removed: new PathSet() };
    this.cmp(lhs, rhs, this.shape(schema), [], out);
    return out;
  }

  private cmp(l: unknown, r: unknown, shape: Shape, path: string[], out: Comparison): void {
    // Most of an object is the same on both sides: equal values have nothing to say.
    if (l !== undefined && r !== undefined && jsonEqual(l, r)) return;
    // A subtree only on one side: every node of it is added (or removed), built in one walk.
    if (path.length && (l === undefined) !== (r === undefined)) return this.fill(l ?? r, shape, (l === undefined ? out.added : out.removed).nodeAt(path));
    const leaf = () => {
      if (l === undefined) {
        if (r !== undefined) out.added.insert(path);
      } else if (r === undefined) out.removed.insert(path);
      else if (!jsonEqual(l, r)) out.modified.insert(path);
    };
    if (shape.kind === 'listMap' || shape.kind === 'listSet') {
      const la = Array.isArray(l) ? l : undefined;
      const ra = Array.isArray(r) ? r : undefined;
      if ((l != null && !la) || (r != null && !ra) || (!la?.length && !ra?.length)) return leaf();
      const lItems = this.index(shape, la);
      const rItems = this.index(shape, ra);
      const itemShape = this.shape(shape.items);
      for (const [pe, li] of lItems) {
        path.push(pe);
        this.cmp(li, rItems.get(pe), itemShape, path, out);
        path.pop();
      }
      for (const [pe, ri] of rItems) {
        if (lItems.has(pe)) continue;
        path.push(pe);
        this.cmp(undefined, ri, itemShape, path, out);
        path.pop();
      }
    } else if (shape.kind === 'leaf' || (l != null && !isMap(l)) || (r != null && !isMap(r)) || (isEmptyMap(l) && isEmptyMap(r))) {
      return leaf();
    } else {
      const lm = isMap(l) ? l : undefined;
      const rm = isMap(r) ? r : undefined;
      if (lm) {
        for (const key of Object.keys(lm)) {
          path.push(fieldElement(key));
          this.cmp(lm[key], rm && hasOwn(rm, key) ? rm[key] : undefined, this.shape(this.childSchema(shape, key)), path, out);
          path.pop();
        }
      }
      if (rm) {
        for (const key of Object.keys(rm)) {
          if (lm && hasOwn(lm, key)) continue;
          path.push(fieldElement(key));
          this.cmp(undefined, rm[key], this.shape(this.childSchema(shape, key)), path, out);
          path.pop();
        }
      }
    }
    if (!path.length) return;
    if (l === undefined) out.added.insert(path);
    else if (r === undefined) out.removed.insert(path);
  }

  private fill(v: unknown, shape: Shape, node: PathSet): void {
    node.member = true;
    if (this.isLeaf(shape, v)) return;
    if (shape.kind === 'listMap' || shape.kind === 'listSet') {
      const itemShape = this.shape(shape.items);
      for (const item of v as unknown[]) this.fill(item, itemShape, node.child(this.itemElement(shape, item)));
      return;
    }
    const m = v as JsonMap;
    for (const key of Object.keys(m)) this.fill(m[key], this.shape(this.childSchema(shape, key)), node.child(fieldElement(key)));
  }

  private index(shape: Shape, items: unknown[] | undefined): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const item of items ?? []) {
      const pe = this.itemElement(shape, item);
      if (!out.has(pe)) out.set(pe, item);
    }
    return out;
  }

  /** Merge: `config` set over `live`; lists merged per their type (upstream's ordering rules). */
  merge(live: unknown, config: unknown, schema: Schema): unknown {
    return this.mergeValue(live, config, this.shape(schema));
  }

  private mergeValue(l: unknown, c: unknown, shape: Shape): unknown {
    if (c === undefined) return l;
    if (l === undefined || l === null || c === null) return c;
    if (shape.kind === 'listMap' || shape.kind === 'listSet') {
      if (!Array.isArray(l) || !Array.isArray(c)) return c;
      return this.mergeList(l, c, shape);
    }
    if (shape.kind === 'leaf' || !isMap(l) || !isMap(c)) return c;
    const out: JsonMap = { ...l };
    for (const key of Object.keys(c)) {
      setOwn(out, key, this.mergeValue(getOwn(l, key), c[key], this.shape(this.childSchema(shape, key))));
    }
    return out;
  }

  // The applied order wins for the items both lists hold; live-only items keep their place
  // relative to them (structured-merge-diff's mergingWalker.visitListItems).
  private mergeList(l: unknown[], c: unknown[], shape: Shape): unknown[] {
    const itemShape = this.shape((shape as { items: Schema }).items);
    const lPEs = l.map((item) => this.itemElement(shape, item));
    const cPEs = c.map((item) => this.itemElement(shape, item));
    const lByPE = new Map<string, unknown>();
    lPEs.forEach((pe, i) => lByPE.has(pe) || lByPE.set(pe, l[i]));
    const cByPE = new Map<string, unknown>();
    cPEs.forEach((pe, i) => cByPE.has(pe) || cByPE.set(pe, c[i]));
    const shared = cPEs.filter((pe) => lByPE.has(pe));
    let next = 0;
    const merged = new Set<string>();
    const out: unknown[] = [];
    const take = (pe: string) => {
      merged.add(pe);
      out.push(this.mergeValue(lByPE.get(pe), cByPE.get(pe), itemShape));
      if (shared[next] === pe) next++;
    };
    let li = 0;
    let ci = 0;
    while (li < l.length || ci < c.length) {
      if (li < l.length && ci < c.length) {
        const pe = lPEs[li];
        if (pe === cPEs[ci]) {
          if (!merged.has(pe)) take(pe);
          li++;
          ci++;
          continue;
        }
        if (cByPE.has(pe) && next < shared.length && shared[next] !== pe) {
          li++;
          continue;
        }
      }
      if (li < l.length) {
        const pe = lPEs[li];
        if (!cByPE.has(pe)) {
          out.push(l[li]);
          li++;
          continue;
        }
        if (merged.has(pe)) {
          li++;
          continue;
        }
      }
      if (ci < c.length) {
        if (!merged.has(cPEs[ci])) take(cPEs[ci]);
        ci++;
      }
    }
    return out;
  }

  /** RemoveItems: `v` without the fields, list items and map entries that are members of `set`. */
  removeItems(v: unknown, set: PathSet, schema: Schema): unknown {
    return this.remove(v, set, this.shape(schema));
  }

  private remove(v: unknown, set: PathSet, shape: Shape): unknown {
    if (set.children.size === 0) return v;
    if ((shape.kind === 'listMap' || shape.kind === 'listSet') && Array.isArray(v)) {
      const itemShape = this.shape(shape.items);
      const out: unknown[] = [];
      for (const item of v) {
        const node = set.children.get(this.itemElement(shape, item));
        if (node?.member) continue;
        out.push(node ? this.remove(item, node, itemShape) : item);
      }
      return out;
    }
    if (shape.kind === 'leaf' || !isMap(v)) return v;
    const out: JsonMap = {};
    for (const key of Object.keys(v)) {
      const node = set.children.get(fieldElement(key));
      if (node?.member) continue;
      setOwn(out, key, node ? this.remove(v[key], node, this.shape(this.childSchema(shape, key))) : v[key]);
    }
    return out;
  }

  /** A copy of `set` where every declared struct field on a path is itself a member. */
  ensureNamedFieldsAreMembers(set: PathSet, schema: Schema): PathSet {
    return this.ensure(set, this.shape(schema));
  }

  private ensure(set: PathSet, shape: Shape): PathSet {
    const out = new PathSet();
    out.member = set.member;
    for (const [pe, child] of set.children) {
      let childShape: Shape;
      if (shape.kind === 'listMap' || shape.kind === 'listSet') childShape = this.shape(shape.items);
      else if (pe.startsWith('f:')) childShape = this.shape(this.childSchema(shape, pe.slice(2)));
      else childShape = { kind: 'leaf' };
      const node = this.ensure(child, childShape);
      if (shape.kind === 'struct' && pe.startsWith('f:') && hasOwn(shape.fields, pe.slice(2))) node.member = true;
      out.setChild(pe, node);
    }
    return out;
  }

  /** A new Go object's JSON: the value structs it holds before anything is set. */
  zeroObject(schema: Schema): JsonMap {
    const shape = this.shape(schema);
    if (shape.kind !== 'struct') return {};
    const out: JsonMap = {};
    for (const field of ['metadata', 'spec', 'status']) {
      if (hasOwn(shape.fields, field)) out[field] = this.zeroStruct(shape.fields[field]);
    }
    return out;
  }

  private zeroStruct(schema: Schema): JsonMap {
    const shape = this.shape(schema);
    const out: JsonMap = {};
    if (shape.kind !== 'struct' || !shape.name) return out;
    for (const field of VALUE_STRUCT_FIELDS[shape.name] ?? []) out[field] = this.zeroStruct(shape.fields[field]);
    for (const field of NULL_FIELDS[shape.name] ?? []) out[field] = null;
    return out;
  }
}

const ANY: Schema = { type: 'any' };
