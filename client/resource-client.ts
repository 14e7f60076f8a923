// Typed access to one resource (client-go's typed clients): list, get, create, update,
// updateStatus, patch, delete and watch, namespaced by `.namespace(ns)`; and a Clientset
// with the resources jobyard's parts use, plus `resource(info)` for any other.
import type {
  ConfigMap,
  CronJob,
  DeleteOptions,
  Event,
  Job,
  KubeList,
  Namespace,
  Node,
  ObjectMeta,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Status,
  WatchEvent,
} from '../api/index.js';
import { StatusError } from '../machinery/index.js';
import { type ClientConfig, type QueryValue, RequestError, RestClient } from './rest-client.js';

/** Any object the API serves. */
export interface ObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** What a client needs to know about a resource to build its URLs. */
export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: "jobs". */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** "batch/v1" or "v1". */
export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** The resources jobyard's parts use. */
export const Resources = {
  pods: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  nodes: { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  namespaces: { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  events: { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
  configmaps: { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  persistentvolumeclaims: {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
  },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true },
} as const satisfies Record<string, ResourceInfo>;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; '' or unset starts with synthetic ADDED events for the current state. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Asks the server to end the watch after this long. */
  timeoutSeconds?: number;
  /** Closes the stream with an error when no byte arrives for this long. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface GetOptions {
  resourceVersion?: string;
  signal?: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  signal?: AbortSignal;
}

/** merge: RFC 7386; strategic: Kubernetes strategic merge; json: RFC 6902; apply: server-side apply (YAML or JSON body). */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** e.g. "status". */
  subresource?: string;
  /** Server-side apply only. */
  force?: boolean;
}

export interface DeleteCallOptions extends Omit<DeleteOptions, 'apiVersion' | 'kind' | 'dryRun'> {
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Typed operations on one resource; `namespace(ns)` gives the view bound to a namespace. */
export interface ResourceClient<T extends ObjectLike> {
  readonly info: ResourceInfo;
  /** The bound namespace, if any (unbound: all namespaces for list/watch). */
  readonly boundNamespace: string | undefined;
  namespace(namespace: string): ResourceClient<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  get(name: string, opts?: GetOptions): Promise<T>;
  /** Namespace: the bound one, else the object's. */
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT to the /status subresource. */
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T>;
  /** Resolves to the object (graceful deletion, finalizers) or a Success Status. */
  delete(name: string, opts?: DeleteCallOptions): Promise<T | Status>;
  /**
   * Watches the resource. Yields ADDED/MODIFIED/DELETED/BOOKMARK events; an ERROR event is
   * thrown as the StatusError it carries (e.g. 410 Expired), which ends the iteration. The
   * iteration ends normally when the server closes the stream or `signal` aborts.
   */
  watch(opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
}

function isStatus(obj: unknown): obj is Status {
  return !!obj && typeof obj === 'object' && (obj as { kind?: unknown }).kind === 'Status';
}

/** The ResourceClient over a RestClient. */
export class RestResourceClient<T extends ObjectLike> implements ResourceClient<T> {
  readonly info: ResourceInfo;
  readonly boundNamespace: string | undefined;
  private readonly rest: RestClient;

  constructor(rest: RestClient, info: ResourceInfo, namespace?: string) {
    this.rest = rest;
    this.info = info;
    this.boundNamespace = info.namespaced ? namespace : undefined;
  }

  namespace(namespace: string): ResourceClient<T> {
    return new RestResourceClient<T>(this.rest, this.info, namespace);
  }

  /** The collection path, or an object path when `name` is given. */
  path(namespace: string | undefined, name?: string, subresource?: string): string {
    const { group, version, resource } = this.info;
    let p = group ? `/apis/${group}/${version}` : `/api/${version}`;
    if (this.info.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${resource}`;
    if (name !== undefined) {
      if (!name) throw new Error(`${resource}: resource name may not be empty`);
      p += `/${encodeURIComponent(name)}`;
      if (subresource) p += `/${subresource}`;
    }
    return p;
  }

  private objectNamespace(obj?: ObjectLike): string | undefined {
    if (!this.info.namespaced) return undefined;
    const ns = this.boundNamespace ?? obj?.metadata?.namespace;
    if (!ns) throw new Error(`${this.info.resource} is namespaced: call namespace(ns) or set metadata.namespace`);
    return ns;
  }

  private namedNamespace(): string | undefined {
    if (!this.info.namespaced) return undefined;
    if (!this.boundNamespace) throw new Error(`${this.info.resource} is namespaced: call namespace(ns) first`);
    return this.boundNamespace;
  }

  private withTypeMeta(obj: T): T {
    if (obj && typeof obj === 'object') {
      if (!obj.apiVersion) obj.apiVersion = apiVersionOf(this.info);
      if (!obj.kind) obj.kind = this.info.kind;
    }
    return obj;
  }

  private writeQuery(opts?: WriteOptions): Record<string, QueryValue> {
    return {
      dryRun: opts?.dryRun ? 'All' : undefined,
      fieldManager: opts?.fieldManager,
      fieldValidation: opts?.fieldValidation,
    };
  }

  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const res = await this.rest.request<KubeList<T>>({
      method: 'GET',
      path: this.path(this.boundNamespace),
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
        limit: opts.limit,
        continue: opts.continue,
        timeoutSeconds: opts.timeoutSeconds,
      },
      signal: opts.signal,
    });
    const list = res.body;
    list.items = (list.items ?? []).map((i) => this.withTypeMeta(i));
    list.metadata ??= {};
    return list;
  }

  async get(name: string, opts: GetOptions = {}): Promise<T> {
    const res = await this.rest.request<T>({
      method: 'GET',
      path: this.path(this.namedNamespace(), name),
      query: { resourceVersion: opts.resourceVersion },
      signal: opts.signal,
    });
    return this.withTypeMeta(res.body);
  }

  async create(obj: T, opts?: WriteOptions): Promise<T> {
    const res = await this.rest.request<T>({
      method: 'POST',
      path: this.path(this.objectNamespace(obj)),
      query: this.writeQuery(opts),
      body: this.withTypeMeta({ ...obj }),
      signal: opts?.signal,
    });
    return this.withTypeMeta(res.body);
  }

  async update(obj: T, opts?: WriteOptions): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  async updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.put(obj, 'status', opts);
  }

  private async put(obj: T, subresource: string | undefined, opts?: WriteOptions): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`${this.info.resource}: metadata.name is required to update`);
    const res = await this.rest.request<T>({
      method: 'PUT',
      path: this.path(this.objectNamespace(obj), name, subresource),
      query: this.writeQuery(opts),
      body: this.withTypeMeta({ ...obj }),
      signal: opts?.signal,
    });
    return this.withTypeMeta(res.body);
  }

  async patch(name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const res = await this.rest.request<T>({
      method: 'PATCH',
      path: this.path(this.namedNamespace(), name, opts.subresource),
      query: { ...this.writeQuery(opts), force: type === 'apply' && opts.force ? true : undefined },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      signal: opts.signal,
    });
    return this.withTypeMeta(res.body);
  }

  async delete(name: string, opts: DeleteCallOptions = {}): Promise<T | Status> {
    const { signal, dryRun, ...rest } = opts;
    const body: DeleteOptions = { apiVersion: 'v1', kind: 'DeleteOptions', ...rest };
    if (dryRun) body.dryRun = ['All'];
    const res = await this.rest.request<T | Status>({
      method: 'DELETE',
      path: this.path(this.namedNamespace(), name),
      body,
      signal,
    });
    return isStatus(res.body) ? res.body : this.withTypeMeta(res.body);
  }

  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const stream = await self.rest.stream({
          method: 'GET',
          path: self.path(self.boundNamespace),
          query: {
            watch: true,
            labelSelector: opts.labelSelector,
            fieldSelector: opts.fieldSelector,
            resourceVersion: opts.resourceVersion,
            allowWatchBookmarks: opts.allowWatchBookmarks ? true : undefined,
            timeoutSeconds: opts.timeoutSeconds,
          },
          idleTimeoutMs: opts.idleTimeoutMs,
          signal: opts.signal,
        });
        try {
          for await (const line of stream.lines()) {
            let event: WatchEvent<T | Status>;
            try {
              event = JSON.parse(line) as WatchEvent<T | Status>;
            } catch (err) {
              throw new RequestError(`watch ${self.info.resource}: invalid JSON line`, { cause: err });
            }
            if (event.type === 'ERROR') {
              const status = event.object as Status;
              throw new StatusError({
                kind: 'Status',
                apiVersion: 'v1',
                metadata: status?.metadata ?? {},
                status: 'Failure',
                code: status?.code ?? 500,
                reason: status?.reason,
                message: status?.message ?? 'watch error',
                ...(status?.details ? { details: status.details } : {}),
              });
            }
            if (!event.object || typeof event.object !== 'object') continue;
            const object = event.type === 'BOOKMARK' ? (event.object as T) : self.withTypeMeta(event.object as T);
            yield { type: event.type, object };
          }
        } finally {
          stream.close();
        }
      },
    };
  }
}

/** Typed clients for the resources jobyard's parts use, plus any other by `resource(info)`. */
export interface Clientset {
  readonly pods: ResourceClient<Pod>;
  readonly jobs: ResourceClient<Job>;
  readonly cronjobs: ResourceClient<CronJob>;
  readonly nodes: ResourceClient<Node>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly events: ResourceClient<Event>;
  readonly configmaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;
  readonly persistentvolumeclaims: ResourceClient<PersistentVolumeClaim>;
  resource<T extends ObjectLike>(info: ResourceInfo): ResourceClient<T>;
}

/** A Clientset talking HTTP(S) through one RestClient. */
export class RestClientset implements Clientset {
  readonly rest: RestClient;
  readonly pods: ResourceClient<Pod>;
  readonly jobs: ResourceClient<Job>;
  readonly cronjobs: ResourceClient<CronJob>;
  readonly nodes: ResourceClient<Node>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly events: ResourceClient<Event>;
  readonly configmaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;
  readonly persistentvolumeclaims: ResourceClient<PersistentVolumeClaim>;

  constructor(restOrConfig: RestClient | ClientConfig) {
    this.rest = restOrConfig instanceof RestClient ? restOrConfig : new RestClient(restOrConfig);
    this.pods = this.resource<Pod>(Resources.pods);
    this.jobs = this.resource<Job>(Resources.jobs);
    this.cronjobs = this.resource<CronJob>(Resources.cronjobs);
    this.nodes = this.resource<Node>(Resources.nodes);
    this.namespaces = this.resource<Namespace>(Resources.namespaces);
    this.events = this.resource<Event>(Resources.events);
    this.configmaps = this.resource<ConfigMap>(Resources.configmaps);
    this.secrets = this.resource<Secret>(Resources.secrets);
    this.persistentvolumeclaims = this.resource<PersistentVolumeClaim>(Resources.persistentvolumeclaims);
  }

  resource<T extends ObjectLike>(info: ResourceInfo): ResourceClient<T> {
    return new RestResourceClient<T>(this.rest, info);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.rest.close();
  }
}
