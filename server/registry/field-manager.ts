// The field manager of every write (upstream's k8s.io/apiserver/pkg/endpoints/handlers/
// fieldmanager): metadata.managedFields kept per manager on create, update and every patch,
// and server-side apply. The rules are machinery/fieldpath's; this file picks the manager,
// the resource's version and reset fields, and turns failures into upstream's Status answers.
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { definitions } from '../../api/schema/index.js';
import { badRequest, fieldErrors, invalid, StatusError, failureStatus } from '../../machinery/index.js';
import { checkAgainstSchema } from '../../machinery/schema-check.js';
import {
  ApplyConflictError,
  type FieldManagerScope,
  FieldsV1Error,
  type Managers,
  PathSet,
  StructuredMergeError,
  TypedSchema,
  applyManagers,
  capUpdateManagers,
  DEFAULT_MAX_UPDATE_MANAGERS,
  decodeManagedFields,
  encodeManagedFields,
  fieldPaths,
  isResetManagedFields,
  pathString,
  printManager,
  updateEntries,
} from '../../machinery/fieldpath/index.js';
import { type ResourceDefinition, subresourceOf } from './resource.js';
import { CLIENT_SIDE_UPGRADE_MANAGER, allowedConflictsFromLastApplied, conflictsNotAllowed, updateLastApplied } from './field-manager/last-applied.js';

const typed = new TypedSchema(definitions);
const NOTHING = new PathSet();
const STATUS = fieldPaths(['status']);
const SPEC = fieldPaths(['spec']);

/** upstream's validation.FieldManagerMaxLength. */
const FIELD_MANAGER_MAX_LENGTH = 128;

/** Who writes: the fieldManager parameter, else the User-Agent (upstream's managerOrUserAgent). */
export interface ManagerOptions {
  /** The fieldManager query parameter. */
  fieldManager?: string;
  /** The request's User-Agent, for the default manager name. */
  userAgent?: string;
  /** Apply only: take the fields of other managers instead of a 409. */
  force?: boolean;
}

/** upstream's prefixFromUserAgent: what comes before the first '/', printable, ≤ 128 bytes. */
export function prefixFromUserAgent(userAgent: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of userAgent.split('/')[0]) {
    if (/\p{C}/u.test(ch)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** The manager of a write, or undefined for the server's own writes (no request behind them). */
export function managerOf(opts: ManagerOptions): string | undefined {
  if (opts.fieldManager) return opts.fieldManager;
  if (opts.userAgent === undefined) return undefined;
  return prefixFromUserAgent(opts.userAgent);
}

/** ValidatePatchOptions / ValidateFieldManager: 422 on PatchOptions (or Create/UpdateOptions). */
export function validateManagerOptions(opts: ManagerOptions, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', apply: boolean): void {
  const errs = [];
  if (apply && !opts.fieldManager) errs.push(fieldErrors.required('fieldManager', 'is required for apply patch'));
  if (!apply && opts.force !== undefined && kind === 'PatchOptions') errs.push(fieldErrors.forbidden('force', 'may not be specified for non-apply patch'));
  const m = opts.fieldManager ?? '';
  if (Buffer.byteLength(m) > FIELD_MANAGER_MAX_LENGTH) errs.push(fieldErrors.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  else if (/\p{C}/u.test(m)) errs.push(fieldErrors.invalid('fieldManager', m, 'must be a printable string'));
  if (errs.length) throw invalid(kind, 'meta.k8s.io', '', errs);
}

function scopeOf(def: ResourceDefinition, subresource: string | undefined, now: string): FieldManagerScope {
  const { group, version } = def.names;
  // ResetFields: the resource itself cannot change status when it has a /status, nor /status the spec.
  let ignored = NOTHING;
  if (subresource === 'status') ignored = SPEC;
  else if (!subresource && subresourceOf(def, 'status')?.update) ignored = STATUS;
  return { typed, schema: def.schema, apiVersion: group ? `${group}/${version}` : version, subresource: subresource ?? '', ignored, now };
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function decodeOrEmpty(list: ManagedFieldsEntry[] | undefined): Managers {
  try {
    return decodeManagedFields(list);
  } catch {
    return new Map();
  }
}

function setManagedFields(obj: KubeObject, managers: Managers): void {
  const list = encodeManagedFields(managers);
  if (list.length) obj.metadata.managedFields = list;
  else delete obj.metadata.managedFields;
}

/**
 * An Update (create, update, any non-apply patch): sets next's managedFields from live's (or
 * from the ones the client sent, when valid; `[]` or `[{}]` clears them) with the fields this
 * write added or changed moved to its manager. Without a manager, live's are kept.
 */
export function trackUpdate(def: ResourceDefinition, live: KubeObject | undefined, next: KubeObject, opts: ManagerOptions & { subresource?: string }, now: string): void {
  const meta = next.metadata;
  const sent = meta.managedFields;
  delete meta.managedFields;
  const keep = () => {
    if (live?.metadata.managedFields) meta.managedFields = live.metadata.managedFields;
  };
  const manager = managerOf(opts);
  if (manager === undefined) return keep();
  // upstream's decodeLiveOrNew: a subresource never sets them; a reset clears them; valid ones sent are taken.
  let base: ManagedFieldsEntry[] | undefined;
  if (!opts.subresource) {
    if (isResetManagedFields(sent)) base = [];
    else if (sent?.length) {
      const decoded = decodeOrEmpty(sent);
      if (decoded.size) base = encodeManagedFields(decoded);
    }
  }
  const fromLive = base === undefined;
  if (fromLive) base = liveEntries(live);
  // upstream's skipNonAppliedManager: an object that has no managedFields (never had, or a
  // client reset them) gets none from updates; its first apply starts them (before-first-apply).
  if (live && base!.length === 0) return;
  try {
    const updated = updateEntries(scopeOf(def, opts.subresource, now), base!, live && withoutManagedFields(live), next, manager);
    const list = updated ?? base!;
    const capped = capEntries(list);
    if (!updated && fromLive && capped === list) return keep();
    if (capped.length) meta.managedFields = capped;
  } catch (err) {
    // upstream's UpdateNoErrors: an object the field manager cannot walk (a list-map item
    // without its key) keeps live's managedFields; validation answers for the object.
    if (!(err instanceof StructuredMergeError) && !(err instanceof FieldsV1Error)) throw err;
    delete meta.managedFields;
    keep();
  }
}

/** upstream's capManagersManager after every Update: at most 10 Update entries, the oldest merged into ancient-changes. */
function capEntries(list: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  if (list.filter((e) => e.operation === 'Update').length <= DEFAULT_MAX_UPDATE_MANAGERS) return list;
  let managers: Managers;
  try {
    managers = decodeManagedFields(list);
  } catch {
    return list;
  }
  capUpdateManagers(managers);
  return encodeManagedFields(managers);
}

/** Live's entries: the server wrote them (client ones only once they decode), so they are not decoded here. */
function liveEntries(live: KubeObject | undefined): ManagedFieldsEntry[] {
  return live?.metadata.managedFields ?? [];
}

/** upstream's skipNonAppliedManager names the owner of what was there before the first apply. */
const BEFORE_FIRST_APPLY = 'before-first-apply';

/** upstream's versionCheckManager: `invalid object type: group/version, Kind=kind` (GroupVersionKind.String). */
function checkObjectType(def: ResourceDefinition, c: Record<string, unknown>): void {
  const { group, version, kind } = def.names;
  const apiVersion = typeof c.apiVersion === 'string' ? c.apiVersion : '';
  const parts = apiVersion === '' ? ['', ''] : apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  // ParseGroupVersion fails on a second '/', and the unstructured object then has no kind at all.
  const [g, v, k] = parts.length > 2 ? ['', '', ''] : [parts[0], parts[1], typeof c.kind === 'string' ? c.kind : ''];
  if (g !== group || v !== version || k !== kind) throw badRequest(`invalid object type: ${g}/${v}, Kind=${k}`);
}

/**
 * Server-side apply of `config` over `live` (undefined: create-on-apply): the merged object
 * with its managedFields. 400 for a configuration upstream refuses, 409 for conflicts.
 */
export function applyConfiguration(def: ResourceDefinition, live: KubeObject | undefined, config: unknown, opts: ManagerOptions & { subresource?: string }, names: { namespace: string; name: string }, now: string): KubeObject {
  const { group, version, kind } = def.names;
  const gv = group ? `${group}/${version}` : version;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  const c = config as Record<string, unknown>;
  checkObjectType(def, c);
  const what = `${names.namespace ? `${names.namespace}/` : ''}${names.name}; ${gv}, Kind=${kind}`;
  const meta = c.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object' && meta.managedFields != null) throw badRequest('metadata.managedFields must be nil');
  const { unknownFields, typeErrors } = checkAgainstSchema(config, def.schema, definitions);
  if (typeErrors.length) throw badRequest(`failed to create typed patch object (${what}): ${typeErrors[0]}`);
  if (unknownFields.length) throw badRequest(`failed to create typed patch object (${what}): .${unknownFields[0]}: field not declared in schema`);
  const scope = scopeOf(def, opts.subresource, now);
  const manager = opts.fieldManager!;
  let result: { merged: KubeObject; managers: Managers };
  try {
    try {
      result = applyOver(scope, live, config, manager, opts.force ?? false);
    } catch (err) {
      // upstream's lastAppliedManager: kubectl may take over what its client-side apply set.
      if (!(err instanceof ApplyConflictError) || manager !== CLIENT_SIDE_UPGRADE_MANAGER) throw err;
      const allowed = allowedConflictsFromLastApplied(scope, live);
      if (!allowed) throw err;
      const left = conflictsNotAllowed(err.conflicts, allowed);
      if (left.length) throw new ApplyConflictError(left);
      result = applyOver(scope, live, config, manager, true);
    }
  } catch (err) {
    if (err instanceof ApplyConflictError) throw conflictStatus(err);
    if (err instanceof StructuredMergeError) throw badRequest(`failed to create typed patch object (${what}): ${err.message}`);
    throw err;
  }
  const { merged, managers } = result;
  merged.metadata ??= {};
  setManagedFields(merged, managers);
  // upstream's lastAppliedUpdater: a later client-side apply diffs against this configuration.
  if (manager === CLIENT_SIDE_UPGRADE_MANAGER) updateLastApplied(merged, config);
  return merged;
}

/** One apply over live's managedFields (decoded afresh: an apply that fails leaves them changed). */
function applyOver(scope: FieldManagerScope, live: KubeObject | undefined, config: unknown, manager: string, force: boolean): { merged: KubeObject; managers: Managers } {
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata.managedFields);
  } catch (err) {
    throw new StatusError(failureStatus(500, 'InternalError', `failed to decode managed fields: ${(err as Error).message}`));
  }
  const base = live && withoutManagedFields(live);
  // upstream's skipNonAppliedManager: what an object without managedFields holds is before-first-apply's.
  if (base && managers.size === 0) managers = decodeManagedFields(updateEntries(scope, [], undefined, base, BEFORE_FIRST_APPLY) ?? []);
  const merged = applyManagers(scope, managers, base, config, manager, force) as KubeObject;
  return { merged, managers };
}

/** upstream's NewApplyConflict: 409 Conflict, a FieldManagerConflict cause per field. */
function conflictStatus(err: ApplyConflictError): StatusError {
  const causes = err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  return new StatusError(failureStatus(409, 'Conflict', err.message, { causes }));
}
