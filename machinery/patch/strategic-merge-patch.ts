// Strategic merge patch, as the API server applies it for
// Content-Type: application/strategic-merge-patch+json (kubectl apply, label, annotate,
// patch, edit). Semantics follow upstream's k8s.io/apimachinery/pkg/util/strategicpatch
// (StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls):
//
// - maps merge key by key; `null` deletes a key;
// - lists whose field has patchStrategy "merge" are merged: lists of objects by their
//   mergeKey, lists of primitives as sets; other lists (and `any` subtrees) are replaced;
// - directives: `$patch: replace | delete` in a map, `{$patch: replace}` and
//   `{<mergeKey>: x, $patch: delete}` elements in a list, `$retainKeys`,
//   `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`;
// - result order: $setElementOrder first, then the order in the patch, then the live order.
//
// Fields the schema does not know (and `any` subtrees) fall back to JSON merge semantics:
// maps merge, lists are replaced. Errors are thrown as 400 BadRequest StatusErrors.
import type { Definitions, RefSchema, Schema } from '../../api/schema/index.js';
import { getOwn, hasOwn, jsonEqual, setOwn } from '../own-properties.js';
import { badRequest } from '../status-error.js';

type JsonMap = Record<string, unknown>;
type Concrete = Exclude<Schema, RefSchema>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** Upstream's mergepatch error texts. */
export const SMP_ERRORS = {
  badPatchFormatForPrimitiveList: 'invalid patch format of primitive list',
  badPatchFormatForRetainKeys: 'invalid patch format of retainKeys',
  badPatchFormatForSetElementOrderList: 'invalid patch format of setElementOrder list',
  noListOfLists: 'lists of lists are not supported',
  mergingListsNotSupported: 'merging lists cannot yet be specified in the patch',
} as const;

class PatchError extends Error {}

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** reflect.TypeOf in the decoded-JSON world. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

/**
 * Go's %v of a decoded JSON value, for error messages, with the data left out: a patch carries
 * Secret values and environment, and an error must not echo them. Keys and `$` directives show;
 * other scalars print as `…`; the whole is cut at 200 characters.
 */
function goFormat(v: unknown): string {
  const text = goFormatRedacted(v, false);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function goFormatRedacted(v: unknown, showScalar: boolean): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map((x) => goFormatRedacted(x, false)).join(' ')}]`;
  if (isMap(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormatRedacted(v[k], k.startsWith('$'))}`)
      .join(' ')}]`;
  }
  return showScalar ? String(v).slice(0, 64) : '…';
}

const noMergeKey = (m: JsonMap, key: string) => new PatchError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
const badPatchType = (t: unknown, m: JsonMap) => new PatchError(`unknown patch type: ${goFormatRedacted(t, true)} in map: ${goFormat(m)}`);
const badArgType = (expected: string, actual: unknown) => new PatchError(`expected a ${expected}, but received a ${goTypeOfValue(actual)}`);

function goTypeOfValue(v: unknown): string {
  switch (kindOf(v)) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      return '<nil>';
  }
}

/** Where the schema is while walking: a resolved concrete schema, or undefined for unknown/any. */
class SchemaCursor {
  private readonly defs: Definitions;
  readonly schema: Concrete | undefined;

  constructor(schema: Schema | undefined, defs: Definitions) {
    this.defs = defs;
    this.schema = schema ? SchemaCursor.resolve(schema, defs) : undefined;
  }

  private static resolve(schema: Schema, defs: Definitions): Concrete | undefined {
    let s: Schema = schema;
    for (let depth = 0; s.type === 'ref'; depth++) {
      const next = defs[s.ref];
      if (!next || depth > 32) throw new Error(`schema definition ${s.ref} not found`);
      s = next;
    }
    return s.type === 'any' ? undefined : s;
  }

  /** The schema of a field (objects) or of every value (maps). */
  private field(key: string): Schema | undefined {
    const s = this.schema;
    if (s?.type === 'object') return hasOwn(s.properties, key) ? s.properties[key] : undefined;
    if (s?.type === 'map') return s.values;
    return undefined;
  }

  forStruct(key: string): SchemaCursor {
    return new SchemaCursor(this.field(key), this.defs);
  }

  /** Patch metadata of a list field and a cursor on its items. */
  forSlice(key: string): { items: SchemaCursor; mergeKey: string; strategy: string; retainKeys: boolean } {
    const f = this.field(key);
    const resolved = f ? SchemaCursor.resolve(f, this.defs) : undefined;
    if (resolved?.type !== 'array') return { items: new SchemaCursor(undefined, this.defs), mergeKey: '', strategy: '', retainKeys: false };
    const strategies = resolved.patchStrategy?.split(',') ?? [];
    return {
      items: new SchemaCursor(resolved.items, this.defs),
      mergeKey: resolved.mergeKey ?? '',
      strategy: strategies.includes('merge') ? 'merge' : strategies.includes('replace') ? 'replace' : '',
      retainKeys: strategies.includes('retainKeys'),
    };
  }
}

/**
 * Applies a strategic merge patch to a copy of `original` (neither argument is modified).
 * `schema` is the object's schema (e.g. a ref to io.k8s.api.batch.v1.Job).
 */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, schema: Schema, defs: Definitions): T {
  if (!isMap(patch)) {
    throw badRequest(`json: cannot unmarshal ${kindOf(patch) === 'slice' ? 'array' : kindOf(patch)} into Go value of type map[string]interface {}`);
  }
  if (!isMap(original)) throw badRequest('the original object is not a JSON object');
  try {
    return mergeMap(structuredClone(original), structuredClone(patch), new SchemaCursor(schema, defs)) as T;
  } catch (err) {
    if (err instanceof PatchError) throw badRequest(err.message);
    throw err;
  }
}

function mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: SchemaCursor): JsonMap {
  if (DIRECTIVE in patch) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const result = original ?? {};
  applyRetainKeysDirective(result, patch);
  mergePatchIntoOriginal(result, patch, schema);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = rawKey.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete result[key];
      continue;
    }
    // Keys come from the request: own properties only ("__proto__" is data, never the prototype).
    const current = getOwn(result, key);
    if (!hasOwn(result, key) || kindOf(current) !== kindOf(patchV)) {
      // Not in the original (or of another type): take the patch value, without nulls and directives.
      if (!isDeleteList) {
        const cleaned = removeDirectives(discardNullValues(patchV));
        if (cleaned.keep) setOwn(result, key, cleaned.value);
        else delete result[key];
      }
      continue;
    }
    switch (kindOf(current)) {
      case 'map':
        setOwn(result, key, mergeMap(current as JsonMap, patchV as JsonMap, schema.forStruct(key)));
        break;
      case 'slice': {
        const meta = schema.forSlice(key);
        if (meta.strategy === 'merge') {
          setOwn(result, key, mergeSlice(current as unknown[], patchV as unknown[], meta.items, meta.mergeKey, isDeleteList));
        } else if (!isDeleteList) {
          setOwn(result, key, patchV);
        }
        break;
      }
      default:
        setOwn(result, key, patchV);
    }
  }
  return result;
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    // "$patch: replace": the map is the patch itself, without the directive.
    const { [DIRECTIVE]: _, ...rest } = patch;
    const cleaned = removeDirectives(discardNullValues(rest));
    return cleaned.value as JsonMap;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw new PatchError(SMP_ERRORS.badPatchFormatForRetainKeys);
  const keep = new Set(retain.map((k) => String(k)));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    // Every field the patch sets must be listed in $retainKeys.
    if (!keep.has(k)) throw new PatchError(SMP_ERRORS.badPatchFormatForRetainKeys);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Processes $setElementOrder/<list> with its list: merges them and enforces the order. */
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: SchemaCursor): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('[]interface {}', order);
    const listKey = key.slice(SET_ELEMENT_ORDER.length);
    const foundOriginal = hasOwn(original, listKey) && original[listKey] !== null;
    const foundPatch = hasOwn(patch, listKey) && patch[listKey] !== null;
    const originalList = foundOriginal ? original[listKey] : undefined;
    const patchList = foundPatch ? patch[listKey] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) throw badArgType('[]interface {}', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType('[]interface {}', patchList);
    const meta = schema.forSlice(listKey);
    validatePatchWithSetOrderList((patchList as unknown[] | undefined) ?? [], order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList as unknown[];
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList).value as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = meta.strategy === 'merge' ? mergeSlice(originalList as unknown[], patchList as unknown[], meta.items, meta.mergeKey, false) : (patchList as unknown[]);
    } else continue;

    const originalValues = (originalList as unknown[] | undefined) ?? [];
    const patchValues = (patchList as unknown[] | undefined) ?? [];
    const kind = elementKind(originalValues, patchValues);
    if (kind === undefined) {
      setOwn(original, listKey, merged);
    } else {
      const [patchItems, serverOnly] = meta.mergeKey ? partitionMapsByPresentInList(merged, order, meta.mergeKey) : partitionPrimitivesByPresentInList(merged, order);
      setOwn(original, listKey, normalizeElementOrder(patchItems, serverOnly, order, originalValues, meta.mergeKey, kind));
    }
    delete patch[listKey];
  }
}

/** Items of the patch list (deletions aside) must appear in $setElementOrder in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? patchList.filter((item) => !(isMap(item) && item[DIRECTIVE] === 'delete')) : patchList;
  let pi = 0;
  let oi = 0;
  while (pi < nonDelete.length && oi < order.length) {
    const item = nonDelete[pi];
    if (isMap(item) && DIRECTIVE in item) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[oi], mergeKey)) pi++;
    oi++;
  }
  if (pi < nonDelete.length && oi >= order.length) {
    throw new PatchError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return jsonEqual(left, right);
  if (!isMap(left)) throw badArgType('map[string]interface {}', left);
  if (!isMap(right)) throw badArgType('map[string]interface {}', right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return jsonEqual(left[mergeKey], right[mergeKey]);
}

/** The common kind of the elements ('map' or a primitive kind); undefined when both are empty. */
function elementKind(...lists: unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'slice') throw new PatchError(SMP_ERRORS.noListOfLists);
        kind = k;
      } else if (k !== kind) {
        throw new PatchError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind;
}

function mergeSlice(original: unknown[], patch: unknown[], items: SchemaCursor, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch) as string;
  let merged: unknown[];
  let base = original;
  let patchItems = patch;
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => d === v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new PatchError('cannot merge lists without merge key for type map');
    const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
    if (special.replaced) {
      base = special.original;
      patchItems = [];
      merged = special.original;
    } else {
      base = special.original;
      patchItems = special.patch;
      merged = mergeSliceWithoutSpecialElements([...special.original], special.patch, mergeKey, items);
    }
  }
  const [inPatch, serverOnly] = mergeKey && kind === 'map' ? partitionMapsByPresentInList(merged, patchItems, mergeKey) : partitionPrimitivesByPresentInList(merged, patchItems);
  return normalizeElementOrder(inPatch, serverOnly, patchItems, base, kind === 'map' ? mergeKey : '', kind);
}

/** Handles `$patch` elements: deletions by merge key, and `$patch: replace` of the whole list. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[]; replaced: boolean } {
  const withoutSpecial: unknown[] = [];
  let replace = false;
  const deleted = new KeyIndex();
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasOwn(m, DIRECTIVE)) {
      withoutSpecial.push(v);
      continue;
    }
    switch (m[DIRECTIVE]) {
      case 'delete':
        if (!hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
        deleted.add(m[mergeKey], 0);
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw new PatchError(SMP_ERRORS.mergingListsNotSupported);
      default:
        throw badPatchType(m[DIRECTIVE], m);
    }
  }
  if (replace) return { original: withoutSpecial.map((v) => removeDirectives(discardNullValues(v)).value), patch: [], replaced: true };
  const current = deleted.size ? original.filter((o) => !(isMap(o) && hasOwn(o, mergeKey) && deleted.has(o[mergeKey]))) : original;
  return { original: current, patch: withoutSpecial, replaced: false };
}

/**
 * First positions of values, found in constant time: lists of a few hundred thousand items
 * (a 3 MiB patch) must merge in linear time, not in the quadratic time of a scan per item.
 * Values compare as jsonEqual does (maps regardless of key order).
 */
class KeyIndex {
  private readonly map = new Map<string, number>();

  static id(v: unknown): string {
    if (v === null || typeof v !== 'object') return `${typeof v}:${String(v)}`;
    return `json:${canonicalJson(v)}`;
  }

  get size(): number {
    return this.map.size;
  }

  add(v: unknown, at: number): void {
    const id = KeyIndex.id(v);
    if (!this.map.has(id)) this.map.set(id, at);
  }

  has(v: unknown): boolean {
    return this.map.has(KeyIndex.id(v));
  }

  indexOf(v: unknown): number {
    return this.map.get(KeyIndex.id(v)) ?? -1;
  }

  /** Indexes a list of maps by their merge key (items without one are skipped). */
  static byMergeKey(list: unknown[], mergeKey: string): KeyIndex {
    const index = new KeyIndex();
    list.forEach((item, i) => {
      if (!isMap(item)) throw new PatchError(`value for key ${i} is not a map.`);
      if (hasOwn(item, mergeKey)) index.add(item[mergeKey], i);
    });
    return index;
  }

  static ofValues(list: unknown[]): KeyIndex {
    const index = new KeyIndex();
    list.forEach((v, i) => index.add(v, i));
    return index;
  }
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isMap(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, items: SchemaCursor): unknown[] {
  const index = KeyIndex.byMergeKey(original, mergeKey);
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
    const i = index.indexOf(m[mergeKey]);
    if (i >= 0) original[i] = mergeMap(original[i] as JsonMap, m, items);
    else {
      index.add(m[mergeKey], original.length);
      original.push(removeDirectives(discardNullValues(m)).value);
    }
  }
  return original;
}

function deduplicateScalars(list: unknown[]): unknown[] {
  return [...new Set(list)];
}

function partitionPrimitivesByPresentInList(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  const present = new Set(by);
  for (const v of list) (present.has(v) ? inBy : rest).push(v);
  return [inBy, rest];
}

function partitionMapsByPresentInList(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  const index = KeyIndex.byMergeKey(by, mergeKey);
  for (const v of list) {
    if (!isMap(v)) throw badArgType('map[string]interface {}', v);
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    (index.has(v[mergeKey]) ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

/** Where items are in `order`: by merge key for maps, by value for primitives. */
function orderIndex(order: unknown[], mergeKey: string, kind: string): (item: unknown) => number {
  if (kind === 'map' && mergeKey) {
    const index = new KeyIndex();
    order.forEach((o, i) => {
      if (isMap(o) && hasOwn(o, mergeKey)) index.add(o[mergeKey], i);
    });
    return (item) => index.indexOf((item as JsonMap)[mergeKey]);
  }
  const positions = new Map<unknown, number>();
  order.forEach((o, i) => {
    if (!positions.has(o)) positions.set(o, i);
  });
  return (item) => positions.get(item) ?? -1;
}

/** Sorts `toSort` by the order in `order`; items absent from it keep their relative order at the end. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  const [present, absent] = kind === 'map' && mergeKey ? partitionMapsByPresentInList(toSort, order, mergeKey) : partitionPrimitivesByPresentInList(toSort, order);
  const indexIn = orderIndex(order, mergeKey, kind);
  const sorted = present
    .map((item, i) => ({ item, i, at: indexIn(item) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.item);
  return [...sorted, ...absent];
}

/**
 * Orders patch items by `patchOrder` and server-only items by `serverOrder`, then interleaves
 * them: a server-only item goes before the first patch item that comes after it in the live list.
 */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const right = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  const indexIn = orderIndex(serverOrder, mergeKey, kind);
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(left[i]);
      const ri = indexIn(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Drops null-valued keys of maps, recursively (they only mean "delete" against an original). */
function discardNullValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(discardNullValues);
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, discardNullValues(x));
    return out;
  }
  return v;
}

/**
 * Strips directives from a value taken whole from the patch. Upstream drops any map carrying
 * `$patch`; we keep the content of a `$patch: replace` map (replacing nothing is setting it)
 * and also strip the list directives, which Go structs would otherwise refuse as unknown fields.
 */
function removeDirectives(v: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      if (isMap(item) && DIRECTIVE in item) continue;
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  if (isMap(v)) {
    if (DIRECTIVE in v && v[DIRECTIVE] !== 'replace') return { value: undefined, keep: false };
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      const r = removeDirectives(x);
      if (r.keep) setOwn(out, k, r.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}
