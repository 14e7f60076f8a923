// GenericRegistry: the fixed create / update / patch / delete / list / watch sequence of
// upstream's genericregistry.Store, run over any ResourceDefinition and an ObjectStore.
// It knows no resource: everything resource-specific comes from the definition's strategy.
// The delete sequence is in deletion.ts, list and watch helpers in list-watch.ts, what all of
// them do to stored objects in objects.ts.
import { randomUUID } from 'node:crypto';
import type { DeleteOptions, KubeObject, ObjectMeta, UserInfo, WatchEvent } from '../../api/index.js';
import {
  type Clock,
  type FieldError,
  type FieldRequirement,
  type Selector,
  StatusError,
  OBJECT_MODIFIED,
  alreadyExists,
  badRequest,
  conflict,
  failureStatus,
  fieldErrors,
  forbidden,
  gone,
  invalid,
  internal,
  matchesFields,
  notFound,
  qualifiedResource,
  rfc3339,
} from '../../machinery/index.js';
import { StorageError, type ObjectStore, type StoredEvent } from '../storage/index.js';
import { type RequestContext, type ResourceDefinition, type StorageHooks, subresourceOf } from './resource.js';
import { type Deleted, deleteObject } from './deletion.js';
import { bookmarkObject, decodeContinue, encodeContinue, parseResourceVersion, sharedWatchEvent, translateEvent } from './list-watch.js';
import { mapStorageError, sameObject, storageResource, toStorage, withTypeMeta } from './objects.js';
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from '../admission/types.js';
import { type ManagerOptions, applyConfiguration, trackUpdate, validateManagerOptions } from './field-manager.js';

export { type Deleted, deleteSuccessStatus } from './deletion.js';
export { parseResourceVersion } from './list-watch.js';
export { storageResource, withTypeMeta } from './objects.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Turns request bodies into objects and applies patches; schema-aware (see codec.ts). */
export interface Codec {
  /** Checks kind/apiVersion, unknown fields (per fieldValidation) and wire types. Throws 400. */
  decode(def: ResourceDefinition, body: unknown, fieldValidation: FieldValidation): { obj: KubeObject; warnings: string[] };
  /** Applies a patch document to a copy of `original`. Throws 400/422 for a bad patch. */
  applyPatch(def: ResourceDefinition, original: KubeObject, type: PatchType, patch: unknown): KubeObject;
}

export interface RegistryDeps {
  store: ObjectStore;
  clock: Clock;
  codec: Codec;
  /**
   * The resource namespaced objects live in: a namespaced write needs its namespace to exist, a
   * create needs it not terminating (upstream's NamespaceLifecycle admission). Absent: no check.
   */
  namespaces?: ResourceDefinition;
  /** Admission: `admit` (mutating) before the strategy, `validate` after the strategy's validation, on every create and update. */
  admission?: AdmissionPlugin;
  /** Storage hooks by storage resource ("services"): see StorageHooks. */
  storageHooks?: ReadonlyMap<string, StorageHooks>;
}

/** A hook's finish, called once: with true when the write was stored. */
type Finish = { finish?: (stored: boolean) => void };

export interface WriteOptions extends ManagerOptions {
  dryRun?: boolean;
  /** The object carries the managedFields server-side apply computed: no Update to track. */
  applied?: boolean;
  fieldValidation?: FieldValidation;
  /** The /status (or other) subresource being written. */
  subresource?: string;
}

export interface ListRequest {
  namespace?: string;
  labelSelector?: Selector;
  fieldSelector?: FieldRequirement[];
  limit?: number;
  continue?: string;
}

export interface ListResponse {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchRequest {
  namespace?: string;
  labelSelector?: Selector;
  fieldSelector?: FieldRequirement[];
  /** '' or undefined: send the current state first; '0': same; 'N': events after N. */
  resourceVersion?: string;
  sendInitialEvents?: boolean;
}

export interface Written<T = KubeObject> {
  object: T;
  warnings: string[];
}

const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATE_NAME_ATTEMPTS = 8;

export class GenericRegistry {
  private readonly deps: RegistryDeps;

  constructor(deps: RegistryDeps) {
    this.deps = deps;
  }

  get store(): ObjectStore {
    return this.deps.store;
  }

  // ---- reads -------------------------------------------------------------------------

  get(def: ResourceDefinition, namespace: string, name: string): KubeObject {
    const obj = this.deps.store.get(storageResource(def), def.names.namespaced ? namespace : '', name);
    if (!obj) throw notFound(def.names.resource, def.names.group, name);
    return withTypeMeta(def, obj);
  }

  list(def: ResourceDefinition, req: ListRequest): ListResponse {
    let startAfter: string | undefined;
    if (req.continue) {
      const token = decodeContinue(req.continue);
      if (token.rv < this.deps.store.compactedRv()) {
        throw gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to get a consistent snapshot.',
        );
      }
      startAfter = token.start;
    }
    const filter = this.matcher(def, req.labelSelector, req.fieldSelector);
    const result = this.deps.store.list(storageResource(def), {
      namespace: def.names.namespaced ? req.namespace : undefined,
      startAfter,
      limit: req.limit,
      filter: filter ?? undefined,
    });
    const out: ListResponse = {
      items: result.items.map((o) => withTypeMeta(def, o)),
      resourceVersion: String(result.rv),
    };
    if (result.continueAfter) {
      out.continue = encodeContinue(result.rv, result.continueAfter);
      if (result.remaining !== undefined) out.remainingItemCount = result.remaining;
    }
    return out;
  }

  /**
   * Streams watch events to `send` until the returned stop function is called.
   * Applies upstream's selector transitions: an object that stops matching is sent as
   * DELETED, one that starts matching as ADDED.
   */
  watch(def: ResourceDefinition, req: WatchRequest, send: (event: WatchEvent) => void): { stop: () => void; startRv: number } {
    const store = this.deps.store;
    const resource = storageResource(def);
    const namespace = def.names.namespaced ? req.namespace || undefined : undefined;
    const matcher = this.matcher(def, req.labelSelector, req.fieldSelector);
    let fromRv: number;
    const rvParam = req.resourceVersion ?? '';
    const initial = rvParam === '' || rvParam === '0' || req.sendInitialEvents === true;
    if (!initial) {
      fromRv = parseResourceVersion(rvParam);
    } else {
      const listed = store.list(resource, { namespace });
      for (const obj of listed.items) if (!matcher || matcher(obj)) send({ type: 'ADDED', object: withTypeMeta(def, obj) });
      fromRv = listed.rv;
      if (req.sendInitialEvents) {
        send({
          type: 'BOOKMARK',
          object: bookmarkObject(def, fromRv, { 'k8s.io/initial-events-end': 'true' }),
        });
      }
    }
    let stop: () => void;
    try {
      stop = store.watch(resource, namespace, fromRv, (e: StoredEvent) => {
        const event = matcher ? translateEvent(e, matcher) : e; // no selector, no transition: prev unread (unparsed)
        if (event) send(sharedWatchEvent(def, e, event.type, event.object));
      });
    } catch (err) {
      if (err instanceof StorageError && err.code === 'TooOld') throw gone(err.message);
      throw err;
    }
    return { stop, startRv: fromRv };
  }

  /** A bookmark carrying the store's current resourceVersion. */
  bookmark(def: ResourceDefinition): WatchEvent {
    return { type: 'BOOKMARK', object: bookmarkObject(def, this.deps.store.currentRv()) };
  }

  // ---- create --------------------------------------------------------------------------

  create(def: ResourceDefinition, namespace: string, body: unknown, opts: WriteOptions = {}): Written {
    const { obj, warnings } = this.deps.codec.decode(def, body, opts.fieldValidation ?? 'Warn');
    return this.createDecoded(def, namespace, obj, opts, warnings);
  }

  /** Create from an already decoded object (used by subresources and internal callers). */
  createDecoded(def: ResourceDefinition, namespace: string, obj: KubeObject, opts: WriteOptions, warnings: string[] = []): Written {
    const hook: Finish = {};
    try {
      const written = this.createWithHook(def, namespace, obj, opts, warnings, hook);
      hook.finish?.(!opts.dryRun);
      return written;
    } catch (err) {
      hook.finish?.(false);
      throw err;
    }
  }

  private createWithHook(def: ResourceDefinition, namespace: string, obj: KubeObject, opts: WriteOptions, warnings: string[], hook: Finish): Written {
    const now = this.deps.clock.now();
    const ctx: RequestContext = { now, namespace };
    const meta = (obj.metadata ??= {});
    this.checkNamespace(def, namespace, meta, true);
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName!);
    def.strategy.defaults?.(obj);
    if (!opts.applied) trackUpdate(def, undefined, obj, opts, meta.creationTimestamp);
    // Upstream admits before generating a name: a generated one is not the request's name yet.
    this.mutate(def, 'CREATE', namespace, obj, undefined, opts, generated ? '' : undefined);
    // Upstream's Store.BeginCreate: before the strategy (the Service storage allocates here).
    hook.finish = this.deps.storageHooks?.get(storageResource(def))?.beginCreate?.(obj, !!opts.dryRun);
    def.strategy.prepareForCreate(obj, ctx);
    const errs: FieldError[] = [];
    if (!meta.name) errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
    errs.push(...def.strategy.validate(obj));
    if (errs.length) throw invalid(def.names.kind, def.names.group, meta.name ?? '', errs);
    def.strategy.canonicalize?.(obj);
    warnings.push(...(def.strategy.warningsOnCreate?.(obj) ?? []));
    warnings.push(...this.admit(def, 'CREATE', namespace, withTypeMeta(def, obj), undefined, opts));
    if (opts.dryRun) {
      // A dry run answers as a real create would, without the storage-assigned version.
      if (this.deps.store.get(storageResource(def), meta.namespace ?? '', meta.name!)) {
        throw alreadyExists(def.names.resource, def.names.group, meta.name!);
      }
      return { object: withTypeMeta(def, obj), warnings };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return { object: withTypeMeta(def, this.deps.store.create(storageResource(def), toStorage(def, obj))), warnings };
      } catch (err) {
        if (err instanceof StorageError && err.code === 'AlreadyExists') {
          // A generated name collided: pick another, as upstream's RetryGenerateName does.
          if (generated && attempt < MAX_GENERATE_NAME_ATTEMPTS) {
            meta.name = generateName(meta.generateName!);
            continue;
          }
          throw alreadyExists(def.names.resource, def.names.group, meta.name!);
        }
        throw mapStorageError(def, meta.name!, err);
      }
    }
  }

  /**
   * POST to a create-only resource (def.createOnly): decode → defaults → validate → compute.
   * Nothing is stored and no system fields are set; dryRun answers the same as a real create,
   * since nothing would be stored either way. `user` is the authenticated caller.
   */
  createComputed(def: ResourceDefinition, namespace: string, body: unknown, opts: WriteOptions = {}, user?: UserInfo): Written {
    const hook = def.createOnly;
    if (!hook) throw internal(`${storageResource(def)} is not a create-only resource`);
    const { obj, warnings } = this.deps.codec.decode(def, body, opts.fieldValidation ?? 'Warn');
    // Upstream's create handler (EnsureObjectNamespaceMatchesRequestNamespace), which runs
    // for every storage: a cluster-scoped object's namespace is dropped, a namespaced one's
    // must match the URL's.
    const meta = obj.metadata;
    if (!def.names.namespaced) delete meta.namespace;
    else if (meta.namespace && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    else if (namespace) meta.namespace = namespace;
    const ctx: RequestContext = { now: this.deps.clock.now(), namespace, user };
    def.strategy.defaults?.(obj);
    const errs = def.strategy.validate(obj);
    if (errs.length) throw invalid(hook.invalidKind ?? def.names.kind, def.names.group, meta.name ?? '', errs);
    warnings.push(...(def.strategy.warningsOnCreate?.(obj) ?? []));
    return { object: withTypeMeta(def, hook.compute(obj, ctx)), warnings };
  }

  // ---- update / patch -------------------------------------------------------------------

  /** PUT: replace the object (or its status with subresource 'status'). */
  update(def: ResourceDefinition, namespace: string, name: string, body: unknown, opts: WriteOptions = {}): Written {
    const { obj, warnings } = this.deps.codec.decode(def, body, opts.fieldValidation ?? 'Warn');
    const meta = (obj.metadata ??= {});
    if (meta.name && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (def.names.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.name = name;
    const existing = this.deps.store.get(storageResource(def), def.names.namespaced ? namespace : '', name);
    if (!existing) {
      if (def.strategy.allowCreateOnUpdate && !opts.subresource) {
        delete meta.resourceVersion;
        return this.createDecoded(def, namespace, obj, opts, warnings);
      }
      throw notFound(def.names.resource, def.names.group, name);
    }
    if (!meta.resourceVersion && !def.strategy.allowUnconditionalUpdate) {
      throw invalid(def.names.kind, def.names.group, name, [
        fieldErrors.invalid('metadata.resourceVersion', 0, 'must be specified for an update'),
      ]);
    }
    if (meta.resourceVersion && meta.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(def.names.resource, def.names.group, name, OBJECT_MODIFIED);
    }
    return this.updateFrom(def, namespace, existing, obj, opts, warnings);
  }

  /** PATCH: apply a patch to the stored object and run the update sequence on the result. */
  patch(def: ResourceDefinition, namespace: string, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): Written {
    const existing = this.deps.store.get(storageResource(def), def.names.namespaced ? namespace : '', name);
    const apply = type === 'apply';
    validateManagerOptions(opts, 'PatchOptions', apply);
    if (!existing && !apply) throw notFound(def.names.resource, def.names.group, name);
    const live = existing && withTypeMeta(def, existing);
    const patched = apply
      ? applyConfiguration(def, live, patch, opts, { namespace, name }, rfc3339(this.deps.clock.now()))
      : this.deps.codec.applyPatch(def, live!, type, patch);
    const { obj, warnings } = this.deps.codec.decode(def, patched, opts.fieldValidation ?? 'Warn');
    const meta = (obj.metadata ??= {});
    // Server-side apply creates what is not there (upstream's create-on-apply).
    if (!existing) return this.createDecoded(def, namespace, Object.assign(obj, { metadata: { ...meta, name: meta.name ?? name } }), { ...opts, applied: true }, warnings);
    if (meta.name !== name) throw badRequest(`metadata.name: Invalid value: "${meta.name ?? ''}": field is immutable`);
    // A resourceVersion inside the patch is a precondition, as upstream treats it.
    if (meta.resourceVersion && meta.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(def.names.resource, def.names.group, name, OBJECT_MODIFIED);
    }
    return this.updateFrom(def, namespace, existing, obj, apply ? { ...opts, applied: true } : opts, warnings);
  }

  /**
   * A read-modify-write for internal callers (subresources with a handler of their own):
   * `mutate` edits a copy of the stored object, which then runs the update sequence.
   */
  guaranteedUpdate(def: ResourceDefinition, namespace: string, name: string, mutate: (obj: KubeObject) => void, opts: WriteOptions = {}): Written {
    const existing = this.deps.store.get(storageResource(def), def.names.namespaced ? namespace : '', name);
    if (!existing) throw notFound(def.names.resource, def.names.group, name);
    const obj = structuredClone(withTypeMeta(def, existing));
    mutate(obj);
    return this.updateFrom(def, namespace, existing, obj, opts, []);
  }

  private updateFrom(def: ResourceDefinition, namespace: string, existingRaw: KubeObject, obj: KubeObject, opts: WriteOptions, warnings: string[]): Written {
    const hook: Finish = {};
    try {
      const written = this.updateWithHook(def, namespace, existingRaw, obj, opts, warnings, hook);
      hook.finish?.(!opts.dryRun);
      return written;
    } catch (err) {
      hook.finish?.(false);
      throw err;
    }
  }

  private updateWithHook(def: ResourceDefinition, namespace: string, existingRaw: KubeObject, obj: KubeObject, opts: WriteOptions, warnings: string[], hook: Finish): Written {
    const existing = withTypeMeta(def, existingRaw);
    const now = this.deps.clock.now();
    const ctx: RequestContext = { now, namespace };
    const name = existing.metadata.name!;
    const meta = (obj.metadata ??= {});
    meta.namespace = existing.metadata.namespace;
    // System fields the client may not change; if sent different, validation reports it.
    meta.uid ??= existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    meta.deletionTimestamp = existing.metadata.deletionTimestamp;
    meta.deletionGracePeriodSeconds = existing.metadata.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    meta.generation = existing.metadata.generation;
    if (meta.generation === undefined) delete meta.generation;
    def.strategy.defaults?.(obj);
    this.mutate(def, 'UPDATE', namespace, obj, existing, opts);
    let errs: FieldError[];
    if (opts.subresource) {
      // A subresource's own strategy (status: keep all but status) instead of the resource's.
      const strategy = subresourceOf(def, opts.subresource)?.update;
      if (!strategy) throw notFound(def.names.resource, def.names.group, `${name}/${opts.subresource}`);
      const applied = meta.managedFields;
      strategy.prepareForUpdate(obj, existing, ctx);
      // The field manager sees what the strategy lets through (only status, for /status).
      if (!opts.applied) trackUpdate(def, existing, obj, opts, rfc3339(now));
      else if (applied) obj.metadata.managedFields = applied;
      errs = strategy.validateUpdate(obj, existing);
    } else {
      if (meta.deletionTimestamp && (meta.finalizers?.length ?? 0) > (existing.metadata.finalizers?.length ?? 0)) {
        const added = (meta.finalizers ?? []).filter((f) => !(existing.metadata.finalizers ?? []).includes(f));
        if (added.length) {
          errs = [fieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`)];
          throw invalid(def.names.kind, def.names.group, name, errs);
        }
      }
      // Upstream's field manager runs before the strategy: ownership is of what the client wrote.
      if (!opts.applied) trackUpdate(def, existing, obj, opts, rfc3339(now));
      // Upstream's Store.BeginUpdate, before the strategy.
      hook.finish = this.deps.storageHooks?.get(storageResource(def))?.beginUpdate?.(obj, existing, !!opts.dryRun);
      def.strategy.prepareForUpdate(obj, existing, ctx);
      errs = def.strategy.validateUpdate(obj, existing);
      warnings.push(...(def.strategy.warningsOnUpdate?.(obj, existing) ?? []));
    }
    if (meta.uid !== existing.metadata.uid) {
      errs.push(fieldErrors.invalid('metadata.uid', meta.uid, 'field is immutable'));
    }
    if (errs.length) throw invalid(def.names.kind, def.names.group, name, dedupe(errs));
    def.strategy.canonicalize?.(obj);
    const stored = withTypeMeta(def, obj);
    warnings.push(...this.admit(def, 'UPDATE', namespace, stored, existing, opts));
    stored.metadata.resourceVersion = existing.metadata.resourceVersion;
    // No-op updates write nothing and keep the resourceVersion, as upstream's storage does.
    if (sameObject(stored, existing)) return { object: existing, warnings };
    // Finalizers gone from an object whose grace period has elapsed: it goes now.
    const finalize =
      !!stored.metadata.deletionTimestamp &&
      (stored.metadata.finalizers?.length ?? 0) === 0 &&
      (stored.metadata.deletionGracePeriodSeconds ?? 0) === 0 &&
      !(def.strategy.hasPendingFinalizers?.(stored) ?? false);
    if (opts.dryRun) return { object: stored, warnings };
    try {
      if (finalize) {
        this.deps.store.update(storageResource(def), toStorage(def, stored), { resourceVersion: existing.metadata.resourceVersion });
        const removed = this.deps.store.delete(storageResource(def), stored.metadata.namespace ?? '', name);
        return { object: withTypeMeta(def, removed), warnings };
      }
      const written = this.deps.store.update(storageResource(def), toStorage(def, stored), { resourceVersion: existing.metadata.resourceVersion });
      return { object: withTypeMeta(def, written), warnings };
    } catch (err) {
      throw mapStorageError(def, name, err);
    }
  }

  // ---- delete ------------------------------------------------------------------------------

  /** DELETE: remove the object, or mark it (graceful deletion, finalizers); see deletion.ts. */
  delete(def: ResourceDefinition, namespace: string, name: string, options: DeleteOptions = {}, dryRun = false): Deleted {
    const stored = def.strategy.forbidDeletion && this.deps.store.get(storageResource(def), def.names.namespaced ? namespace : '', name);
    const refusal = stored ? def.strategy.forbidDeletion?.(stored) : undefined;
    if (refusal) throw forbiddenObject(def, name, refusal);
    return deleteObject(this.deps.store, this.deps.clock.now(), def, namespace, name, options, dryRun);
  }

  deleteCollection(def: ResourceDefinition, req: ListRequest, options: DeleteOptions = {}, dryRun = false): KubeObject[] {
    const listed = this.list(def, { ...req, limit: undefined, continue: undefined });
    const out: KubeObject[] = [];
    for (const item of listed.items) {
      try {
        out.push(this.delete(def, item.metadata.namespace ?? '', item.metadata.name!, options, dryRun).object);
      } catch (err) {
        // Objects that may not be deleted (the built-in PriorityClasses) stay; the rest go.
        if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Forbidden')) continue;
        throw err;
      }
    }
    return out;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Mutating admission (upstream runs it in the handler, before the strategy): may change obj, throws to refuse. */
  private mutate(def: ResourceDefinition, operation: AdmissionOperation, namespace: string, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions, name?: string): void {
    if (!this.deps.admission?.admit) return;
    const attrs = this.attributes(def, operation, namespace, obj, old, opts);
    this.deps.admission.admit(name === undefined ? attrs : { ...attrs, name });
  }

  /** Validating admission (upstream's createValidation / updateValidation): throws to refuse. */
  private admit(def: ResourceDefinition, operation: AdmissionOperation, namespace: string, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): string[] {
    return this.deps.admission?.validate(this.attributes(def, operation, namespace, obj, old, opts)) ?? [];
  }

  private attributes(def: ResourceDefinition, operation: AdmissionOperation, namespace: string, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): AdmissionAttributes {
    const name = obj.metadata.name ?? '';
    return {
      operation,
      group: def.names.group,
      resource: def.names.resource,
      kind: def.names.kind,
      subresource: opts.subresource ?? '',
      namespace: def.names.namespaced ? namespace : '',
      name,
      object: obj,
      oldObject: old,
      dryRun: !!opts.dryRun,
    };
  }

  private checkNamespace(def: ResourceDefinition, namespace: string, meta: ObjectMeta, creating: boolean): void {
    if (!def.names.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
    if (!namespace) throw badRequest('the server could not find the requested resource: a namespace is required');
    const nsDef = this.deps.namespaces;
    if (!nsDef) return;
    const ns = this.deps.store.get(storageResource(nsDef), '', namespace);
    if (!ns) throw notFound(nsDef.names.resource, nsDef.names.group, namespace);
    if (creating && ns.metadata.deletionTimestamp) {
      throw forbidden(
        `${def.names.resource}${def.names.group ? '.' + def.names.group : ''} "${meta.name ?? meta.generateName ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** A filter for label and field selectors, or null when there is none. */
  matcher(def: ResourceDefinition, labels?: Selector, fields?: FieldRequirement[]): ((obj: KubeObject) => boolean) | null {
    const hasLabels = labels && !labels.isEmpty();
    const hasFields = fields && fields.length > 0;
    if (!hasLabels && !hasFields) return null;
    if (hasFields) {
      for (const r of fields) {
        if (r.field === 'metadata.name' || r.field === 'metadata.namespace') continue;
        const sample = def.selectableFields?.({ metadata: {} } as KubeObject) ?? {};
        if (!Object.hasOwn(sample, r.field)) {
          throw badRequest(`field label not supported: ${r.field}`);
        }
      }
    }
    return (obj) => {
      if (hasLabels && !labels.matches(obj.metadata.labels)) return false;
      if (hasFields) {
        const attrs: Record<string, string> = {
          'metadata.name': obj.metadata.name ?? '',
          'metadata.namespace': obj.metadata.namespace ?? '',
          ...(def.selectableFields?.(obj) ?? {}),
        };
        if (!matchesFields(fields, attrs)) return false;
      }
      return true;
    };
  }
}

/** apierrors.NewForbidden(qualifiedResource, name, err): `<resource>.<group> "<name>" is forbidden: <why>`. */
function forbiddenObject(def: ResourceDefinition, name: string, why: string): StatusError {
  const { resource, group } = def.names;
  return new StatusError(failureStatus(403, 'Forbidden', `${qualifiedResource(resource, group)} ${JSON.stringify(name)} is forbidden: ${why}`, { name, group, kind: resource }));
}

function generateName(prefix: string): string {
  // Upstream cuts the prefix so the whole name fits in 63 characters.
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_CHARS[Math.floor(Math.random() * GENERATE_NAME_CHARS.length)];
  return base + suffix;
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}|${JSON.stringify(e.value ?? null)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
