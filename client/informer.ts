// Informers, as client-go's tools/cache: a Reflector (list, then watch from that
// resourceVersion with bookmarks; relist on 410 Expired; reconnect with capped backoff) feeds an
// Indexer (objects keyed "namespace/name", plus named indexes) and calls event handlers
// (add / update(old, cur) / delete(obj or tombstone)). A Lister is the read-only view; objects
// in the cache are frozen and typed DeepReadonly, so callers clone before editing.
// An InformerFactory shares one informer (one list+watch) per resource.
import type { KubeList, WatchEvent } from '../api/index.js';
import { errorMessage, type Selector, isGone, keyOf } from '../machinery/index.js';
import { type DeepReadonly, deepFreeze } from './deep-readonly.js';
import { type Logger, noopLogger } from './logger.js';
import type { Clientset, ListOptions, ObjectLike, ResourceClient, ResourceInfo, WatchOptions } from './resource-client.js';
import { type Scheduler, realScheduler } from './scheduler.js';

/** What a reflector needs from the API: ResourceClient satisfies it. */
export interface ListerWatcher<T extends ObjectLike> {
  list(opts: ListOptions): Promise<KubeList<T>>;
  watch(opts: WatchOptions): AsyncIterable<WatchEvent<T>>;
}

/** A delete whose final state was missed (found missing on relist): `obj` is the last known state. */
export class DeletedFinalStateUnknown<T> {
  readonly key: string;
  readonly obj: T;

  constructor(key: string, obj: T) {
    this.key = key;
    this.obj = obj;
  }
}

export function isTombstone<T>(x: T | DeletedFinalStateUnknown<T>): x is DeletedFinalStateUnknown<T> {
  return x instanceof DeletedFinalStateUnknown;
}

/** Event handlers; each is optional and must not throw (errors are logged and dropped). */
export interface ResourceEventHandler<T> {
  add?(obj: DeepReadonly<T>): void;
  update?(oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>): void;
  delete?(obj: DeepReadonly<T> | DeletedFinalStateUnknown<DeepReadonly<T>>): void;
}

export type IndexFunc<T> = (obj: DeepReadonly<T>) => string[];

/** Index of objects by namespace (client-go's NamespaceIndex). */
export const NAMESPACE_INDEX = 'namespace';

/** Objects by key "namespace/name", with named secondary indexes. Stored objects are frozen. */
export class Indexer<T extends ObjectLike> {
  private readonly items = new Map<string, DeepReadonly<T>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = { [NAMESPACE_INDEX]: (o) => [o.metadata?.namespace ?? ''] }) {
    this.addIndexers(indexers);
  }

  /** Adds indexes; existing objects are indexed at once. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
    }
  }

  /** Adds or replaces an object (frozen in place; pass a copy if you keep editing yours). */
  add(obj: T | DeepReadonly<T>): DeepReadonly<T> {
    const frozen = deepFreeze(obj as T);
    const key = keyOf(frozen as ObjectLike);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, frozen);
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, frozen);
    return frozen;
  }

  update(obj: T | DeepReadonly<T>): DeepReadonly<T> {
    return this.add(obj);
  }

  /** Removes by object or key; returns what was stored. */
  delete(objOrKey: T | DeepReadonly<T> | string): DeepReadonly<T> | undefined {
    const key = typeof objOrKey === 'string' ? objOrKey : keyOf(objOrKey as ObjectLike);
    const old = this.items.get(key);
    if (old) {
      this.unindex(key, old);
      this.items.delete(key);
    }
    return old;
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.items.get(key);
  }

  list(): DeepReadonly<T>[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  hasIndexer(indexName: string): boolean {
    return this.indexers.has(indexName);
  }

  /** Objects whose index `indexName` contains `value`. */
  byIndex(indexName: string, value: string): DeepReadonly<T>[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index ${indexName} does not exist`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: DeepReadonly<T>[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** Replaces the whole content (a relist); returns nothing, callers diff beforehand. */
  replace(objs: (T | DeepReadonly<T>)[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const o of objs) this.add(o);
  }

  get size(): number {
    return this.items.size;
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: DeepReadonly<T>): void {
    const index = this.indices.get(name) as Map<string, Set<string>>;
    for (const v of fn(obj)) {
      let keys = index.get(v);
      if (!keys) index.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: DeepReadonly<T>): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }
}

/** Read-only view of one namespace in a Lister. */
export interface NamespaceLister<T> {
  list(selector?: Selector): DeepReadonly<T>[];
  get(name: string): DeepReadonly<T> | undefined;
}

/** Read-only queries over an informer's cache. Objects are shared and frozen: clone before editing. */
export class Lister<T extends ObjectLike> {
  private readonly indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.indexer = indexer;
  }

  /** Every object (all namespaces) matching the label selector. */
  list(selector?: Selector): DeepReadonly<T>[] {
    const all = this.indexer.list();
    return selector ? all.filter((o) => selector.matches(o.metadata?.labels as Record<string, string> | undefined)) : all;
  }

  /** A cluster-scoped object by name, or a namespaced one by key "ns/name". */
  get(nameOrKey: string): DeepReadonly<T> | undefined {
    return this.indexer.getByKey(nameOrKey);
  }

  /** The objects an index (added to the informer's indexer) files under `value`; undefined without that index. */
  byIndex(indexName: string, value: string): DeepReadonly<T>[] | undefined {
    return this.indexer.hasIndexer(indexName) ? this.indexer.byIndex(indexName, value) : undefined;
  }

  namespace(namespace: string): NamespaceLister<T> {
    const indexer = this.indexer;
    return {
      list(selector?: Selector): DeepReadonly<T>[] {
        const objs = indexer.byIndex(NAMESPACE_INDEX, namespace);
        return selector ? objs.filter((o) => selector.matches(o.metadata?.labels as Record<string, string> | undefined)) : objs;
      },
      get(name: string): DeepReadonly<T> | undefined {
        return indexer.getByKey(namespace ? `${namespace}/${name}` : name);
      },
    };
  }
}

/** Where a reflector puts what it sees. */
export interface ReflectorStore<T> {
  /** A full list: replace everything, with the list's resourceVersion. */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** A bookmark or any event moved the known resourceVersion. */
  resourceVersionSeen?(resourceVersion: string): void;
}

export interface ReflectorOptions {
  /** For logs. */
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of the initial list (0: no paging). @defaultValue 500 */
  pageSize?: number;
  /** Backoff after a failed list or watch: initial, doubling to max; reset by a good list or event. @defaultValue 800 ms → 30 s */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Server-side watch timeout in seconds, chosen per watch. @defaultValue random 300–600 */
  watchTimeoutSeconds?: () => number;
  scheduler?: Scheduler;
  logger?: Logger;
}

/**
 * Keeps a store in step with the API: list, then watch from the list's resourceVersion (with
 * bookmarks); on a normal end of the watch, watch again from the last seen version; on 410
 * Expired/Gone, relist; on other errors, wait a capped exponential backoff and retry the same step.
 */
export class Reflector<T extends ObjectLike> {
  private readonly lw: ListerWatcher<T>;
  private readonly store: ReflectorStore<T>;
  private readonly opts: ReflectorOptions;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private lastResourceVersion = '';
  private backoffMs = 0;

  constructor(lw: ListerWatcher<T>, store: ReflectorStore<T>, opts: ReflectorOptions = {}) {
    this.lw = lw;
    this.store = store;
    this.opts = opts;
    this.scheduler = opts.scheduler ?? realScheduler;
    this.logger = opts.logger ?? noopLogger;
  }

  /** The resourceVersion of the last list or event seen. */
  lastSyncResourceVersion(): string {
    return this.lastResourceVersion;
  }

  /** Runs until `signal` aborts. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.listOnce(signal);
          needList = false;
          this.backoffMs = 0;
        }
        const { events, durationMs } = await this.watchOnce(signal);
        if (signal.aborted) break;
        if (events > 0) this.backoffMs = 0;
        else if (durationMs < 1_000) await this.backoff(signal); // a watch that ends at once: don't spin
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.logger.info('watch expired, relisting', { reflector: this.opts.name, resourceVersion: this.lastResourceVersion });
          needList = true;
          continue;
        }
        this.logger.warn('list/watch failed, retrying', { reflector: this.opts.name, error: errorMessage(err) });
        await this.backoff(signal);
      }
    }
  }

  private async listOnce(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let rv = '';
    const limit = this.opts.pageSize ?? 500;
    do {
      const page = await this.lw.list({
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        limit: limit > 0 ? limit : undefined,
        continue: continueToken,
        signal,
      });
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    this.store.replace(items, rv);
    this.lastResourceVersion = rv;
  }

  /** Watches from the last seen version until the stream ends normally. */
  private async watchOnce(signal: AbortSignal): Promise<{ events: number; durationMs: number }> {
    const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    let events = 0;
    const startedAt = this.scheduler.now().getTime();
    const stream = this.lw.watch({
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      idleTimeoutMs: (timeoutSeconds + 60) * 1000,
      signal,
    });
    for await (const event of stream) {
      events++;
      const rv = event.object?.metadata?.resourceVersion;
      switch (event.type) {
        case 'ADDED':
          this.store.add(event.object);
          break;
        case 'MODIFIED':
          this.store.update(event.object);
          break;
        case 'DELETED':
          this.store.delete(event.object);
          break;
        case 'BOOKMARK':
          break;
        default:
          this.logger.warn('unexpected watch event', { reflector: this.opts.name, type: event.type });
          continue;
      }
      if (rv) {
        this.lastResourceVersion = rv;
        this.store.resourceVersionSeen?.(rv);
      }
      if (events === 1) this.backoffMs = 0;
    }
    return { events, durationMs: this.scheduler.now().getTime() - startedAt };
  }

  private async backoff(signal: AbortSignal): Promise<void> {
    const initial = this.opts.backoff?.initialMs ?? 800;
    const max = this.opts.backoff?.maxMs ?? 30_000;
    this.backoffMs = this.backoffMs === 0 ? initial : Math.min(this.backoffMs * 2, max);
    try {
      await this.scheduler.sleep(this.backoffMs, signal);
    } catch {
      // aborted
    }
  }

  /** The delay the last failure waited (0 after a healthy list or event). */
  currentBackoffMs(): number {
    return this.backoffMs;
  }
}

export type SharedInformerOptions = ReflectorOptions;

/** One resource's cache plus handlers, fed by a reflector. */
export class SharedInformer<T extends ObjectLike> {
  readonly indexer: Indexer<T>;
  private readonly lw: ListerWatcher<T>;
  private readonly opts: SharedInformerOptions;
  private readonly logger: Logger;
  private readonly handlers: ResourceEventHandler<T>[] = [];
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private reflector: Reflector<T> | undefined;

  constructor(lw: ListerWatcher<T>, opts: SharedInformerOptions = {}) {
    this.lw = lw;
    this.opts = opts;
    this.logger = opts.logger ?? noopLogger;
    this.indexer = new Indexer<T>();
  }

  /** Registers handlers; if the cache already holds objects they are replayed as adds. */
  addEventHandler(handler: ResourceEventHandler<T>): void {
    this.handlers.push(handler);
    if (handler.add) for (const o of this.indexer.list()) this.call(() => handler.add?.(o));
  }

  lister(): Lister<T> {
    return new Lister<T>(this.indexer);
  }

  /** True once the first full list is in the cache and its events delivered. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Marks the cache synced without a list (tests that fill the indexer directly). */
  markSynced(): void {
    this.synced = true;
    const ws = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of ws) w();
  }

  /** Resolves true when synced, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Starts the reflector (once); the promise settles when `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    if (this.running) return this.running;
    this.reflector = new Reflector<T>(this.lw, this.storeAdapter(), this.opts);
    this.running = this.reflector.run(signal);
    return this.running;
  }

  lastSyncResourceVersion(): string {
    return this.reflector?.lastSyncResourceVersion() ?? '';
  }

  private storeAdapter(): ReflectorStore<T> {
    return {
      replace: (items) => this.onReplace(items),
      add: (obj) => this.onAddOrUpdate(obj),
      update: (obj) => this.onAddOrUpdate(obj),
      delete: (obj) => this.onDelete(obj),
    };
  }

  /**
   * A relist: new objects are added, changed ones (another resourceVersion) updated, and missing
   * ones deleted as DeletedFinalStateUnknown tombstones. Unchanged objects are not re-delivered
   * (client-go sends them as resync updates; handlers here would ignore them anyway).
   */
  private onReplace(items: T[]): void {
    const old = new Map(this.indexer.listKeys().map((k) => [k, this.indexer.getByKey(k) as DeepReadonly<T>]));
    this.indexer.replace(items);
    const seen = new Set<string>();
    for (const cur of this.indexer.list()) {
      const key = keyOf(cur as ObjectLike);
      seen.add(key);
      const prev = old.get(key);
      if (!prev) this.dispatch('add', cur);
      else if (prev.metadata?.resourceVersion !== cur.metadata?.resourceVersion) this.dispatch('update', cur, prev);
    }
    for (const [key, prev] of old) {
      if (!seen.has(key)) this.dispatchDelete(new DeletedFinalStateUnknown(key, prev));
    }
    if (!this.synced) this.markSynced();
  }

  private onAddOrUpdate(obj: T): void {
    const key = keyOf(obj);
    const prev = this.indexer.getByKey(key);
    const cur = this.indexer.add(obj);
    if (prev) this.dispatch('update', cur, prev);
    else this.dispatch('add', cur);
  }

  private onDelete(obj: T): void {
    const key = keyOf(obj);
    this.indexer.delete(key);
    this.dispatchDelete(deepFreeze(obj));
  }

  private dispatch(kind: 'add' | 'update', cur: DeepReadonly<T>, prev?: DeepReadonly<T>): void {
    for (const h of this.handlers) {
      if (kind === 'add') this.call(() => h.add?.(cur));
      else this.call(() => h.update?.(prev as DeepReadonly<T>, cur));
    }
  }

  private dispatchDelete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<DeepReadonly<T>>): void {
    for (const h of this.handlers) this.call(() => h.delete?.(obj));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error('event handler failed', { informer: this.opts.name, error: errorMessage(err) });
    }
  }
}

/** Shares one informer per resource among every part of a process. */
export class InformerFactory {
  private readonly clientset: Pick<Clientset, 'resource'>;
  private readonly options: SharedInformerOptions & { namespace?: string };
  private readonly informers = new Map<string, SharedInformer<ObjectLike>>();
  private signal: AbortSignal | undefined;

  /** `namespace` restricts every informer to one namespace; options apply to every reflector. */
  constructor(clientset: Pick<Clientset, 'resource'>, options: SharedInformerOptions & { namespace?: string } = {}) {
    this.clientset = clientset;
    this.options = options;
  }

  /** The shared informer for a resource (created on first use; started at once if the factory runs). */
  forResource<T extends ObjectLike>(info: ResourceInfo): SharedInformer<T> {
    const key = `${info.group}/${info.version}/${info.resource}`;
    let inf = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!inf) {
      let client: ResourceClient<T> = this.clientset.resource<T>(info);
      if (this.options.namespace && info.namespaced) client = client.namespace(this.options.namespace);
      inf = new SharedInformer<T>(client, { ...this.options, name: this.options.name ?? info.resource });
      this.informers.set(key, inf as unknown as SharedInformer<ObjectLike>);
      if (this.signal) void inf.run(this.signal);
    }
    return inf;
  }

  /** Starts every informer created so far, and later ones as they are created. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) void inf.run(signal);
  }

  /** Resolves true once every informer created so far has synced; false if `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }
}

