// An in-memory Clientset for unit tests (client-go's kubernetes/fake): an object tracker with
// resourceVersions, generateName, uids, finalizer-aware deletion, conflicts on stale updates,
// status subresources, patches and watches; every call is recorded as an action, and reactors
// can make calls fail. Controller tests run against it exactly as against the real client.
import { randomUUID } from 'node:crypto';
// fast-json-patch is CommonJS: a default import works under Node's ESM loader, named ones do not.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { Event, ConfigMap, CronJob, Job, KubeList, Namespace, Node, PersistentVolumeClaim, Pod, Secret, Status, WatchEvent } from '../../api/index.js';
import {
  type Clock,
  errorMessage,
  OBJECT_MODIFIED,
  alreadyExists,
  badRequest,
  conflict,
  keyOf,
  notFound,
  parseFieldSelector,
  parseLabelSelector,
  realClock,
  rfc3339,
} from '../../machinery/index.js';
import { deepClone } from '../deep-readonly.js';
import {
  type Clientset,
  type DeleteCallOptions,
  type GetOptions,
  type ListOptions,
  type ObjectLike,
  type PatchOptions,
  type PatchType,
  type ResourceClient,
  type ResourceInfo,
  Resources,
  type WatchOptions,
  type WriteOptions,
  apiVersionOf,
} from '../resource-client.js';

export type FakeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** One recorded client call. */
export interface FakeAction {
  verb: FakeVerb;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The object sent (create/update). */
  object?: unknown;
  patchType?: PatchType;
  patch?: unknown;
  deleteOptions?: DeleteCallOptions;
}

/** Returns undefined to let the call through, `{ error }` to fail it, `{ object }` to answer it. */
export type Reactor = (action: FakeAction) => { error?: unknown; object?: unknown } | undefined;

/** Applies a strategic merge patch; inject the server's implementation for full fidelity. */
export type StrategicMergeFn = (original: unknown, patch: unknown, info: ResourceInfo) => unknown;

export interface FakeClientsetOptions {
  clock?: Clock;
  /** Objects to start with (need apiVersion and kind to find their resource, or use tracker.add). */
  objects?: ObjectLike[];
  strategicMerge?: StrategicMergeFn;
  /** Pods deleted with a grace period > 0 only get a deletionTimestamp (the node removes them). @defaultValue false */
  gracefulPodDeletion?: boolean;
}

const STATUS_RESOURCES = new Set(['pods', 'jobs', 'nodes', 'namespaces', 'persistentvolumeclaims', 'poddisruptionbudgets']);
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

interface LoggedEvent {
  resourceKey: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: ObjectLike;
  rv: number;
}

type Listener = (e: LoggedEvent) => void;

function resourceKey(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return `${info.group}/${info.resource}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const target: Record<string, unknown> = isPlainObject(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else target[k] = applyMergePatch(target[k], v);
  }
  return target;
}

// Merge keys of the lists the controllers and agent patch (upstream patchMergeKey tags).
const MERGE_KEYS: Record<string, string> = {
  ownerReferences: 'uid',
  conditions: 'type',
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  imagePullSecrets: 'name',
};
const SET_LISTS = new Set(['finalizers']);

/**
 * The subset of strategic merge patch the fake needs: maps merge, `null` deletes, lists with a
 * known merge key merge by it (`$patch: delete` removes an element), `finalizers` merge as a set,
 * `$deleteFromPrimitiveList/<list>` removes values, `$setElementOrder/...` is ignored, other lists
 * are replaced.
 */
export function applyFakeStrategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const target: Record<string, unknown> = isPlainObject(original) ? { ...original } : {};
  const deferredDeletes: [string, unknown[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      deferredDeletes.push([k.slice('$deleteFromPrimitiveList/'.length), Array.isArray(v) ? v : []]);
      continue;
    }
    if (v === null) {
      delete target[k];
      continue;
    }
    if (Array.isArray(v) && MERGE_KEYS[k]) {
      const mk = MERGE_KEYS[k];
      const list = Array.isArray(target[k]) ? [...(target[k] as unknown[])] : [];
      for (const el of v) {
        if (!isPlainObject(el)) continue;
        const idx = list.findIndex((x) => isPlainObject(x) && x[mk] === el[mk]);
        if (el.$patch === 'delete') {
          if (idx >= 0) list.splice(idx, 1);
          continue;
        }
        const { $patch: _ignored, ...rest } = el;
        if (idx >= 0) list[idx] = applyFakeStrategicMergePatch(list[idx], rest);
        else list.push(deepClone(rest));
      }
      target[k] = list;
      continue;
    }
    if (Array.isArray(v) && SET_LISTS.has(k)) {
      const list = Array.isArray(target[k]) ? [...(target[k] as unknown[])] : [];
      for (const el of v) if (!list.includes(el)) list.push(el);
      target[k] = list;
      continue;
    }
    target[k] = isPlainObject(v) ? applyFakeStrategicMergePatch(target[k], v) : deepClone(v);
  }
  for (const [k, values] of deferredDeletes) {
    if (Array.isArray(target[k])) {
      const left = (target[k] as unknown[]).filter((x) => !values.includes(x));
      if (left.length) target[k] = left;
      else delete target[k];
    }
  }
  return target;
}

function getPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return '';
    cur = cur[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/** The in-memory store behind FakeClientset: objects per resource, a global resourceVersion, an event log. */
export class ObjectTracker {
  private readonly objects = new Map<string, Map<string, ObjectLike>>();
  private readonly log: LoggedEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private rv = 0;
  private nameSeq = 0;
  readonly clock: Clock;

  constructor(clock: Clock = realClock) {
    this.clock = clock;
  }

  private bucket(info: ResourceInfo): Map<string, ObjectLike> {
    const k = resourceKey(info);
    let b = this.objects.get(k);
    if (!b) this.objects.set(k, (b = new Map()));
    return b;
  }

  private emit(info: ResourceInfo, type: LoggedEvent['type'], object: ObjectLike): void {
    const e: LoggedEvent = { resourceKey: resourceKey(info), type, object: deepClone(object), rv: this.rv };
    this.log.push(e);
    for (const l of [...this.listeners]) l(e);
  }

  private bump(obj: ObjectLike): void {
    this.rv++;
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(this.rv);
  }

  private typed(info: ResourceInfo, obj: ObjectLike): ObjectLike {
    const o = deepClone(obj);
    o.apiVersion ??= apiVersionOf(info);
    o.kind ??= info.kind;
    return o;
  }

  /** The current global resourceVersion. */
  resourceVersion(): string {
    return String(this.rv);
  }

  /** Adds an object as is (uid and creationTimestamp filled when missing); no action recorded. */
  add(info: ResourceInfo, obj: ObjectLike): ObjectLike {
    const o = this.typed(info, obj);
    o.metadata ??= {};
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= rfc3339(this.clock.now());
    this.bump(o);
    this.bucket(info).set(keyOf(o), o);
    this.emit(info, 'ADDED', o);
    return deepClone(o);
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): ObjectLike {
    const o = this.bucket(info).get(namespace ? `${namespace}/${name}` : name);
    if (!o) throw notFound(info.resource, info.group, name);
    return deepClone(o);
  }

  list(info: ResourceInfo, namespace: string | undefined, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> = {}): ObjectLike[] {
    const match = this.matcher(opts);
    return [...this.bucket(info).values()]
      .filter((o) => !namespace || o.metadata?.namespace === namespace)
      .filter(match)
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
      .map((o) => deepClone(o));
  }

  private matcher(opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): (o: ObjectLike) => boolean {
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : [];
    return (o) =>
      (!labels || labels.matches(o.metadata?.labels)) &&
      fields.every((r) => (r.operator === '=' ? getPath(o, r.field) === r.value : getPath(o, r.field) !== r.value));
  }

  create(info: ResourceInfo, namespace: string | undefined, obj: ObjectLike): ObjectLike {
    const o = this.typed(info, obj);
    o.metadata ??= {};
    if (info.namespaced) {
      const ns = namespace ?? o.metadata.namespace;
      if (!ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      o.metadata.namespace = ns;
    } else {
      delete o.metadata.namespace;
    }
    if (!o.metadata.name) {
      if (!o.metadata.generateName) throw badRequest('name or generateName is required');
      o.metadata.name = o.metadata.generateName + this.suffix();
    }
    const key = keyOf(o);
    const b = this.bucket(info);
    if (b.has(key)) throw alreadyExists(info.resource, info.group, o.metadata.name);
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = rfc3339(this.clock.now());
    delete o.metadata.deletionTimestamp;
    if ('spec' in (o as Record<string, unknown>)) o.metadata.generation = 1;
    this.bump(o);
    b.set(key, o);
    this.emit(info, 'ADDED', o);
    return deepClone(o);
  }

  private suffix(): string {
    let n = ++this.nameSeq * 7919 + 104729;
    let s = '';
    for (let i = 0; i < 5; i++) {
      s += NAME_CHARS[n % NAME_CHARS.length];
      n = Math.floor(n / NAME_CHARS.length) + i * 31;
    }
    return s;
  }

  /** Replaces an object (main resource: status kept; status subresource: only status taken). */
  update(info: ResourceInfo, namespace: string | undefined, obj: ObjectLike, subresource?: string): ObjectLike {
    const name = obj.metadata?.name ?? '';
    const key = info.namespaced ? `${namespace ?? obj.metadata?.namespace ?? ''}/${name}` : name;
    const b = this.bucket(info);
    const old = b.get(key);
    if (!old) throw notFound(info.resource, info.group, name);
    const sentRv = obj.metadata?.resourceVersion;
    if (sentRv && sentRv !== old.metadata?.resourceVersion) throw conflict(info.resource, info.group, name, OBJECT_MODIFIED);
    let next: ObjectLike;
    const hasStatus = STATUS_RESOURCES.has(info.resource);
    if (subresource === 'status') {
      next = deepClone(old);
      (next as Record<string, unknown>).status = deepClone((obj as Record<string, unknown>).status);
    } else {
      next = this.typed(info, obj);
      next.metadata = {
        ...next.metadata,
        uid: old.metadata?.uid,
        creationTimestamp: old.metadata?.creationTimestamp,
        namespace: old.metadata?.namespace,
        name: old.metadata?.name,
      };
      if (!next.metadata.namespace) delete next.metadata.namespace;
      if (old.metadata?.deletionTimestamp) next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      else delete next.metadata.deletionTimestamp;
      if (hasStatus) {
        const st = (old as Record<string, unknown>).status;
        if (st === undefined) delete (next as Record<string, unknown>).status;
        else (next as Record<string, unknown>).status = deepClone(st);
      }
      this.bumpGeneration(old, next);
    }
    return this.store(info, b, key, old, next);
  }

  patch(info: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource: string | undefined, strategic: StrategicMergeFn): ObjectLike {
    const key = namespace ? `${namespace}/${name}` : name;
    const b = this.bucket(info);
    const old = b.get(key);
    if (!old) throw notFound(info.resource, info.group, name);
    let next: ObjectLike;
    try {
      switch (type) {
        case 'merge':
        case 'apply':
          next = applyMergePatch(old, patch) as ObjectLike;
          break;
        case 'strategic':
          next = strategic(old, patch, info) as ObjectLike;
          break;
        case 'json':
          next = jsonpatch.applyPatch(deepClone(old), patch as Operation[], true, false).newDocument as ObjectLike;
          break;
      }
    } catch (err) {
      if (err && typeof err === 'object' && 'status' in err) throw err;
      throw badRequest(`the patch could not be applied: ${errorMessage(err)}`);
    }
    const sentRv = next.metadata?.resourceVersion;
    if (sentRv && sentRv !== old.metadata?.resourceVersion) throw conflict(info.resource, info.group, name, OBJECT_MODIFIED);
    next.metadata = { ...next.metadata, uid: old.metadata?.uid, name: old.metadata?.name, creationTimestamp: old.metadata?.creationTimestamp };
    if (old.metadata?.namespace) next.metadata.namespace = old.metadata.namespace;
    const hasStatus = STATUS_RESOURCES.has(info.resource);
    if (hasStatus && subresource !== 'status') {
      const st = (old as Record<string, unknown>).status;
      if (st === undefined) delete (next as Record<string, unknown>).status;
      else (next as Record<string, unknown>).status = deepClone(st);
      this.bumpGeneration(old, next);
    } else if (subresource === 'status') {
      const status = (next as Record<string, unknown>).status;
      next = deepClone(old);
      (next as Record<string, unknown>).status = status;
    }
    return this.store(info, b, key, old, next);
  }

  private bumpGeneration(old: ObjectLike, next: ObjectLike): void {
    const os = (old as Record<string, unknown>).spec;
    const ns = (next as Record<string, unknown>).spec;
    if (os === undefined && ns === undefined) return;
    const gen = old.metadata?.generation ?? 1;
    (next.metadata as NonNullable<ObjectLike['metadata']>).generation = JSON.stringify(os) === JSON.stringify(ns) ? gen : gen + 1;
  }

  private store(info: ResourceInfo, b: Map<string, ObjectLike>, key: string, old: ObjectLike, next: ObjectLike): ObjectLike {
    if (JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } }) === JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: '' } })) {
      // A no-op write keeps the resourceVersion, as the API server does.
      return deepClone(old);
    }
    this.bump(next);
    if (next.metadata?.deletionTimestamp && !(next.metadata.finalizers?.length)) {
      b.delete(key);
      this.emit(info, 'DELETED', next);
      return deepClone(next);
    }
    b.set(key, next);
    this.emit(info, 'MODIFIED', next);
    return deepClone(next);
  }

  delete(info: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteCallOptions, graceful: boolean): ObjectLike | Status {
    const key = namespace ? `${namespace}/${name}` : name;
    const b = this.bucket(info);
    const old = b.get(key);
    if (!old) throw notFound(info.resource, info.group, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata?.uid) {
      throw conflict(info.resource, info.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata?.resourceVersion) {
      throw conflict(info.resource, info.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata?.resourceVersion ?? ''}`);
    }
    const grace = opts.gracePeriodSeconds;
    const phase = getPath(old, 'status.phase');
    const wantsGrace = graceful && info.resource === 'pods' && grace !== 0 && phase !== 'Succeeded' && phase !== 'Failed';
    if (old.metadata?.finalizers?.length || wantsGrace) {
      if (old.metadata?.deletionTimestamp) return deepClone(old);
      const next = deepClone(old);
      (next.metadata as NonNullable<ObjectLike['metadata']>).deletionTimestamp = rfc3339(this.clock.now());
      (next.metadata as NonNullable<ObjectLike['metadata']>).deletionGracePeriodSeconds = wantsGrace ? (grace ?? 30) : 0;
      this.bump(next);
      b.set(key, next);
      this.emit(info, 'MODIFIED', next);
      return deepClone(next);
    }
    b.delete(key);
    const gone = deepClone(old);
    this.bump(gone);
    this.emit(info, 'DELETED', gone);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 200,
      details: { name, group: info.group, kind: info.resource, uid: old.metadata?.uid },
    };
  }

  /** Events after `fromRv` for a resource (used by watch to replay). */
  eventsSince(info: ResourceInfo, fromRv: number): LoggedEvent[] {
    const k = resourceKey(info);
    return this.log.filter((e) => e.resourceKey === k && e.rv > fromRv);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  watchMatcher(opts: Pick<WatchOptions, 'labelSelector' | 'fieldSelector'>): (o: ObjectLike) => boolean {
    return this.matcher(opts);
  }
}

class FakeResourceClient<T extends ObjectLike> implements ResourceClient<T> {
  readonly info: ResourceInfo;
  readonly boundNamespace: string | undefined;
  private readonly cs: FakeClientset;

  constructor(cs: FakeClientset, info: ResourceInfo, namespace?: string) {
    this.cs = cs;
    this.info = info;
    this.boundNamespace = info.namespaced ? namespace : undefined;
  }

  namespace(namespace: string): ResourceClient<T> {
    return new FakeResourceClient<T>(this.cs, this.info, namespace);
  }

  private ns(obj?: ObjectLike): string | undefined {
    if (!this.info.namespaced) return undefined;
    const ns = this.boundNamespace ?? obj?.metadata?.namespace;
    if (!ns) throw new Error(`${this.info.resource} is namespaced: call namespace(ns) first`);
    return ns;
  }

  private async run<R>(action: FakeAction, fn: () => R): Promise<R> {
    const answer = this.cs.record(action);
    if (answer?.error) throw answer.error;
    if (answer && 'object' in answer && answer.object !== undefined) return deepClone(answer.object) as R;
    // Answer on a later tick, as a network call would.
    await Promise.resolve();
    return fn();
  }

  list(opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.run({ verb: 'list', resource: this.info.resource, namespace: this.boundNamespace }, () => ({
      apiVersion: apiVersionOf(this.info),
      kind: `${this.info.kind}List`,
      metadata: { resourceVersion: this.cs.tracker.resourceVersion() },
      items: this.cs.tracker.list(this.info, this.boundNamespace, opts) as T[],
    }));
  }

  get(name: string, _opts?: GetOptions): Promise<T> {
    const namespace = this.ns();
    return this.run({ verb: 'get', resource: this.info.resource, namespace, name }, () => this.cs.tracker.get(this.info, namespace, name) as T);
  }

  create(obj: T, _opts?: WriteOptions): Promise<T> {
    const namespace = this.ns(obj);
    return this.run({ verb: 'create', resource: this.info.resource, namespace, name: obj.metadata?.name, object: deepClone(obj) }, () =>
      this.cs.tracker.create(this.info, namespace, obj) as T,
    );
  }

  update(obj: T, _opts?: WriteOptions): Promise<T> {
    const namespace = this.ns(obj);
    return this.run({ verb: 'update', resource: this.info.resource, namespace, name: obj.metadata?.name, object: deepClone(obj) }, () =>
      this.cs.tracker.update(this.info, namespace, obj) as T,
    );
  }

  updateStatus(obj: T, _opts?: WriteOptions): Promise<T> {
    const namespace = this.ns(obj);
    return this.run(
      { verb: 'update', resource: this.info.resource, subresource: 'status', namespace, name: obj.metadata?.name, object: deepClone(obj) },
      () => this.cs.tracker.update(this.info, namespace, obj, 'status') as T,
    );
  }

  patch(name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const namespace = this.ns();
    return this.run(
      { verb: 'patch', resource: this.info.resource, subresource: opts.subresource, namespace, name, patchType: type, patch: deepClone(patch) },
      () => this.cs.tracker.patch(this.info, namespace, name, type, patch, opts.subresource, this.cs.strategicMerge) as T,
    );
  }

  delete(name: string, opts: DeleteCallOptions = {}): Promise<T | Status> {
    const namespace = this.ns();
    const { signal: _s, ...recorded } = opts;
    return this.run({ verb: 'delete', resource: this.info.resource, namespace, name, deleteOptions: recorded }, () =>
      this.cs.tracker.delete(this.info, namespace, name, opts, this.cs.gracefulPodDeletion) as T | Status,
    );
  }

  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const answer = self.cs.record({ verb: 'watch', resource: self.info.resource, namespace: self.boundNamespace });
        if (answer?.error) throw answer.error;
        const tracker = self.cs.tracker;
        const match = tracker.watchMatcher(opts);
        const inScope = (o: ObjectLike) => (!self.boundNamespace || o.metadata?.namespace === self.boundNamespace) && match(o);
        const queue: WatchEvent<T>[] = [];
        let wake: (() => void) | undefined;
        const key = resourceKey(self.info);
        const unsubscribe = tracker.subscribe((e) => {
          if (e.resourceKey !== key || !inScope(e.object)) return;
          queue.push({ type: e.type, object: deepClone(e.object) as T });
          wake?.();
        });
        const onAbort = () => wake?.();
        opts.signal?.addEventListener('abort', onAbort);
        try {
          // Snapshot taken synchronously after subscribing: later changes arrive through the queue.
          const from = opts.resourceVersion && opts.resourceVersion !== '0' ? Number(opts.resourceVersion) : undefined;
          const initial: WatchEvent<T>[] =
            from === undefined
              ? tracker.list(self.info, self.boundNamespace, opts).map((o) => ({ type: 'ADDED' as const, object: o as T }))
              : tracker
                  .eventsSince(self.info, from)
                  .filter((e) => inScope(e.object))
                  .map((e) => ({ type: e.type, object: deepClone(e.object) as T }));
          for (const e of initial) yield e;
          while (!opts.signal?.aborted) {
            const next = queue.shift();
            if (next) {
              yield next;
              continue;
            }
            await new Promise<void>((r) => (wake = r));
            wake = undefined;
          }
        } finally {
          unsubscribe();
          opts.signal?.removeEventListener('abort', onAbort);
        }
      },
    };
  }
}

/** A Clientset over an in-memory ObjectTracker, recording every call in `actions`. */
export class FakeClientset implements Clientset {
  readonly tracker: ObjectTracker;
  readonly actions: FakeAction[] = [];
  readonly strategicMerge: StrategicMergeFn;
  readonly gracefulPodDeletion: boolean;
  private readonly reactors: { verb: FakeVerb | '*'; resource: string; fn: Reactor }[] = [];
  readonly pods: ResourceClient<Pod>;
  readonly jobs: ResourceClient<Job>;
  readonly cronjobs: ResourceClient<CronJob>;
  readonly nodes: ResourceClient<Node>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly events: ResourceClient<Event>;
  readonly configmaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;
  readonly persistentvolumeclaims: ResourceClient<PersistentVolumeClaim>;

  constructor(opts: FakeClientsetOptions = {}) {
    this.tracker = new ObjectTracker(opts.clock);
    this.strategicMerge = opts.strategicMerge ?? ((o, p) => applyFakeStrategicMergePatch(o, p));
    this.gracefulPodDeletion = opts.gracefulPodDeletion ?? false;
    this.pods = this.resource<Pod>(Resources.pods);
    this.jobs = this.resource<Job>(Resources.jobs);
    this.cronjobs = this.resource<CronJob>(Resources.cronjobs);
    this.nodes = this.resource<Node>(Resources.nodes);
    this.namespaces = this.resource<Namespace>(Resources.namespaces);
    this.events = this.resource<Event>(Resources.events);
    this.configmaps = this.resource<ConfigMap>(Resources.configmaps);
    this.secrets = this.resource<Secret>(Resources.secrets);
    this.persistentvolumeclaims = this.resource<PersistentVolumeClaim>(Resources.persistentvolumeclaims);
    for (const o of opts.objects ?? []) {
      const info = Object.values(Resources).find((r) => r.kind === o.kind && apiVersionOf(r) === o.apiVersion);
      if (!info) throw new Error(`FakeClientset: unknown kind ${o.apiVersion ?? ''}/${o.kind ?? ''}; use tracker.add(info, obj)`);
      this.tracker.add(info, o);
    }
  }

  resource<T extends ObjectLike>(info: ResourceInfo): ResourceClient<T> {
    return new FakeResourceClient<T>(this, info);
  }

  /** Runs reactors first-added-last (as client-go's PrependReactor) and records the action. */
  record(action: FakeAction): { error?: unknown; object?: unknown } | undefined {
    this.actions.push(action);
    for (const r of this.reactors) {
      if ((r.verb === '*' || r.verb === action.verb) && (r.resource === '*' || r.resource === action.resource)) {
        const answer = r.fn(action);
        if (answer) return answer;
      }
    }
    return undefined;
  }

  /** Adds a reactor tried before earlier ones; resource '*' matches all, e.g. ('update', 'jobs', fn). */
  prependReactor(verb: FakeVerb | '*', resource: string, fn: Reactor): void {
    this.reactors.unshift({ verb, resource, fn });
  }

  /** Recorded actions, optionally filtered by verb and resource (and subresource). */
  actionsFor(verb?: FakeVerb, resource?: string, subresource?: string): FakeAction[] {
    return this.actions.filter(
      (a) => (!verb || a.verb === verb) && (!resource || a.resource === resource) && (subresource === undefined || a.subresource === subresource),
    );
  }

  clearActions(): void {
    this.actions.length = 0;
  }
}
