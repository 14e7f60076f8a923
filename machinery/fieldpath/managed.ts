// managedFields: who owns which fields, and how a write moves ownership. The rules are
// upstream's field manager (k8s.io/apimachinery/pkg/util/managedfields and
// structured-merge-diff's merge.Updater): an Update gives its manager the fields it added or
// changed and takes them from everyone else; an Apply sets the applied configuration over the
// live object, owns exactly what it applied, removes what it applied last time and no longer
// applies unless someone else owns it, and fails on a field another manager owns with another
// value unless forced. One API version per resource here, so no conversion between versions.
import type { ManagedFieldsEntry } from '../../api/index.js';
import type { Schema } from '../../api/schema/index.js';
import { PathSet, type FieldPath, fieldElement, pathString } from './set.js';
import { jsonEqual } from '../own-properties.js';
import { type Comparison, type TypedSchema } from './typed.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time?: string;
  set: PathSet;
}

/** The managers of one object, by upstream's manager identifier. */
export type Managers = Map<string, ManagerEntry>;

/** Upstream's BuildManagerIdentifier: an applier is the same manager whatever apiVersion it applies with. */
export function managerIdentifier(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** A client resets managedFields with `[]` or `[{}]` (upstream's isResetManagedFields). */
export function isResetManagedFields(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  if (list.length === 0) return true;
  return list.length === 1 && typeof list[0] === 'object' && list[0] !== null && Object.keys(list[0] as object).length === 0;
}

/** DecodeManagedFields; throws on an entry upstream would refuse. */
export function decodeManagedFields(list: readonly ManagedFieldsEntry[] | undefined): Managers {
  const out: Managers = new Map();
  (list ?? []).forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType !== 'FieldsV1') throw new Error(e.fieldsType ? `invalid fieldsType "${e.fieldsType}" in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: e.subresource ?? '',
      set: PathSet.fromFieldsV1(e.fieldsV1 ?? {}),
    };
    if (e.time) entry.time = e.time;
    out.set(managerIdentifier(entry), entry);
  });
  return out;
}

/** The wire form, in upstream's order: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()].filter((e) => !e.set.isEmpty());
  return sortEntries(
    entries.map((e) => {
      const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
      if (e.time) out.time = e.time;
      out.fieldsType = 'FieldsV1';
      out.fieldsV1 = e.set.toFieldsV1();
      if (e.subresource) out.subresource = e.subresource;
      return out;
    }),
  );
}

// Fields no manager owns (upstream's stripMetaManager).
const STRIP = PathSet.fromPaths(
  [['apiVersion'], ['kind'], ['metadata'], ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['metadata', f])].map(
    (p) => p.map(fieldElement),
  ),
);

/** Paths as PathSet members, from dotted field names ("status", "spec"). */
export function fieldPaths(...paths: string[][]): PathSet {
  return PathSet.fromPaths(paths.map((p) => p.map(fieldElement)));
}

/** What an Update or Apply works on: one resource's schema and version, fields its strategy resets. */
export interface FieldManagerScope {
  typed: TypedSchema;
  schema: Schema;
  /** group/version of the resource. */
  apiVersion: string;
  /** '' for the resource itself, 'status' ... */
  subresource: string;
  /** Paths (with all below them) a write here cannot change: upstream's ResetFields. */
  ignored: PathSet;
  /** RFC 3339 time of this write. */
  now: string;
}

/** One field another manager owns that this apply would change. */
export interface ApplyConflict {
  manager: ManagerEntry;
  path: FieldPath;
}

export class ApplyConflictError extends Error {
  readonly conflicts: ApplyConflict[];

  constructor(conflicts: ApplyConflict[]) {
    super(conflictMessage(conflicts));
    this.conflicts = conflicts;
  }
}

/** Upstream's printManager: `"kubectl" with subresource "status" using v1`. */
export function printManager(e: ManagerEntry): string {
  let out = JSON.stringify(e.manager);
  if (e.subresource) out += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') out += ` using ${e.apiVersion}`;
  return out;
}

function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) {
    const id = managerIdentifier(c.manager);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const list = byManager.get(id)!;
    lines.push(`conflicts with ${printManager(list[0].manager)}:`);
    for (const c of list) lines.push(`- ${pathString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function changes(scope: FieldManagerScope, live: unknown, next: unknown): Comparison {
  const c = scope.typed.compare(live, next, scope.schema);
  if (scope.ignored.isEmpty()) return c;
  return { added: c.added.recursiveDifference(scope.ignored), modified: c.modified.recursiveDifference(scope.ignored), removed: c.removed.recursiveDifference(scope.ignored) };
}

/**
 * merge.Updater.update: takes what changed from every manager but `self`; without `force`, a
 * field another manager owns that was added or changed is a conflict.
 */
function takeChanged(managers: Managers, c: Comparison, self: string | undefined, force: boolean): void {
  const changed = c.modified.union(c.added);
  const conflicts: ApplyConflict[] = [];
  for (const [id, e] of managers) {
    if (id === self) continue;
    const conflict = e.set.intersection(changed);
    if (!conflict.isEmpty()) for (const path of conflict.paths()) conflicts.push({ manager: e, path });
  }
  if (!force && conflicts.length) {
    conflicts.sort((a, b) => (managerIdentifier(a.manager) < managerIdentifier(b.manager) ? -1 : managerIdentifier(a.manager) > managerIdentifier(b.manager) ? 1 : 0));
    throw new ApplyConflictError(conflicts);
  }
  const taken = changed.union(c.removed);
  for (const [id, e] of managers) {
    if (id === self) continue;
    e.set = e.set.difference(taken);
    if (e.set.isEmpty()) managers.delete(id);
  }
}

const isEmptyComparison = (c: Comparison) => c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();

/**
 * An Update by `manager` from `live` (undefined: a create) to `next`, both without
 * managedFields, over the wire entries `entries` (valid ones: live's, or decoded and
 * re-encoded). Returns the new entries, or undefined when nothing changed. Entries that own
 * none of the changed fields are kept as they are, not decoded: a status write by one
 * manager costs the compare and its own entry, whatever else the object records.
 */
export function updateEntries(scope: FieldManagerScope, entries: readonly ManagedFieldsEntry[], live: unknown, next: unknown, manager: string): ManagedFieldsEntry[] | undefined {
  const c = changes(scope, live ?? scope.typed.zeroObject(scope.schema), next);
  if (isEmptyComparison(c)) return undefined;
  const taken = c.modified.union(c.added).union(c.removed);
  const own = c.added.union(c.modified).difference(STRIP);
  const key = { manager, operation: 'Update' as const, apiVersion: scope.apiVersion, subresource: scope.subresource };
  const id = managerIdentifier(key);
  const out: ManagedFieldsEntry[] = [];
  let mine: PathSet | undefined;
  for (const e of entries) {
    const isMine = managerIdentifier({ manager: e.manager ?? '', operation: e.operation as Operation, apiVersion: e.apiVersion ?? '', subresource: e.subresource ?? '' }) === id;
    if (!isMine && !intersects(e.fieldsV1, taken)) {
      out.push(e);
      continue;
    }
    const left = PathSet.fromFieldsV1(e.fieldsV1 ?? {}).difference(taken);
    if (isMine) mine = left;
    else if (!left.isEmpty()) out.push({ ...e, fieldsV1: left.toFieldsV1() });
  }
  if (!own.isEmpty()) {
    const set = mine ? mine.union(own) : own;
    const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: scope.apiVersion, time: scope.now, fieldsType: 'FieldsV1', fieldsV1: set.toFieldsV1() };
    if (scope.subresource) entry.subresource = scope.subresource;
    out.push(entry);
  } else if (mine && !mine.isEmpty()) {
    const prev = entries.find((e) => e.manager === manager && e.operation === 'Update' && (e.apiVersion ?? '') === scope.apiVersion && (e.subresource ?? '') === scope.subresource)!;
    out.push({ ...prev, fieldsV1: mine.toFieldsV1() });
  }
  return sortEntries(out);
}

/** Whether FieldsV1 `json` has a member of `set` (read off the JSON, nothing decoded). */
function intersects(json: unknown, set: PathSet): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const j = json as Record<string, unknown>;
  for (const [pe, child] of set.children) {
    const sub = j[pe];
    if (typeof sub !== 'object' || sub === null) continue;
    if (child.member) {
      const keys = Object.keys(sub);
      if (keys.length === 0 || Object.hasOwn(sub, '.')) return true;
    }
    if (child.children.size && intersects(sub, child)) return true;
  }
  return false;
}

const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
const cmpStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortEntries(list: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return list.sort(
    (p, q) =>
      cmpStrings(p.operation ?? '', q.operation ?? '') ||
      seconds(p.time) - seconds(q.time) ||
      cmpStrings(p.manager ?? '', q.manager ?? '') ||
      cmpStrings(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmpStrings(p.subresource ?? '', q.subresource ?? ''),
  );
}

/**
 * An Apply of `config` by `manager` over `live` (undefined: create-on-apply), without
 * managedFields. Returns the merged object; throws ApplyConflictError unless `force`.
 */
export function applyManagers(scope: FieldManagerScope, managers: Managers, live: unknown, config: unknown, manager: string, force: boolean): unknown {
  const { typed, schema } = scope;
  const base = live ?? typed.zeroObject(scope.schema);
  let merged = typed.merge(base, config, schema);
  const id = managerIdentifier({ manager, operation: 'Apply', apiVersion: scope.apiVersion, subresource: scope.subresource });
  const last = managers.get(id);
  const applied: ManagerEntry = { manager, operation: 'Apply', apiVersion: scope.apiVersion, subresource: scope.subresource, set: typed.fieldSet(config, schema).recursiveDifference(scope.ignored) };
  if (last?.time) applied.time = last.time;
  managers.set(id, applied);
  if (last && !last.set.isEmpty()) merged = prune(scope, merged, managers, last.set);
  takeChanged(managers, changes(scope, base, merged), id, force);
  applied.set = applied.set.difference(STRIP);
  if (applied.set.isEmpty()) managers.delete(id);
  if (live === undefined || !jsonEqual(live, merged)) applied.time = scope.now;
  return merged;
}

// merge.Updater.prune: what the applier applied last time and no longer does goes, unless a
// manager (the applier's new configuration included) owns it.
function prune(scope: FieldManagerScope, merged: unknown, managers: Managers, last: PathSet): unknown {
  const { typed, schema } = scope;
  const ensure = (s: PathSet) => typed.ensureNamedFieldsAreMembers(s, schema);
  const lastE = ensure(last);
  let pruned = typed.removeItems(merged, lastE, schema);
  const owned = new PathSet();
  for (const e of managers.values()) owned.addAll(e.set);
  const mergedSet = ensure(typed.fieldSet(merged, schema));
  pruned = typed.removeItems(merged, mergedSet.difference(ensure(typed.fieldSet(pruned, schema)).union(ensure(owned))), schema);
  const dangling = mergedSet.difference(ensure(typed.fieldSet(pruned, schema))).intersection(lastE);
  return typed.removeItems(merged, dangling, schema);
}
