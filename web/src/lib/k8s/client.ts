// The console's only way to a cluster: typed calls on its Kubernetes API, same-origin with the
// session cookie. The base URL is the cluster's API root ('' for `local`; '/clusters/<name>' for an
// added cluster, which the server proxies with the cluster's own credentials).
import type { DeleteOptions, KubeList, WatchEvent } from '../../../../api/meta.js';
import { ApiError, apiErrorFrom, isStatus } from './api-error.js';
import { readLines } from './line-splitter.js';
import { resourcePath, resources, type K8sObject, type ResourceDescriptor } from './resources.js';
import { errorMessage } from '../../../../machinery/error-message.js';

export type PatchType = 'merge' | 'strategic' | 'json';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface KubeClientOptions {
  /** The cluster's API root, without a trailing slash: '' for the same origin. */
  baseUrl: string;
  /** The CSRF token of the session, sent on every non-GET request. */
  csrfToken?: () => string | undefined;
  /** Called when the server answers 401 (the session ended). */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
}

export interface WatchOptions extends ListOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface CreateOptions {
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  signal?: AbortSignal;
}

export interface LogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  previous?: boolean;
  signal?: AbortSignal;
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Typed requests against one cluster's Kubernetes API. */
export class KubeClient {
  readonly baseUrl: string;
  private readonly opts: KubeClientOptions;

  constructor(opts: KubeClientOptions) {
    this.opts = opts;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  /** Sends a request; a non-2xx answer is thrown as ApiError. */
  async request(method: string, path: string, ro: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET' && method !== 'HEAD') {
      const csrf = this.opts.csrfToken?.();
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    let body: string | undefined;
    if (ro.body !== undefined) {
      headers['Content-Type'] = ro.contentType ?? 'application/json';
      body = JSON.stringify(ro.body);
    }
    const doFetch = this.opts.fetch ?? globalThis.fetch.bind(globalThis);
    let res: Response;
    try {
      res = await doFetch(`${this.baseUrl}${path}${queryString(ro.query)}`, { method, headers, body, signal: ro.signal, credentials: 'same-origin' });
    } catch (err) {
      if (ro.signal?.aborted) throw err;
      throw new ApiError(0, `cannot reach the API server: ${errorMessage(err)}`, undefined, { cause: err });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      const e = apiErrorFrom(res.status, text, res.statusText);
      if (res.status === 401) this.opts.onUnauthorized?.();
      throw e;
    }
    return res;
  }

  async requestJSON<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, ro);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  list<T extends K8sObject>(r: ResourceDescriptor<T>, o: ListOptions = {}): Promise<KubeList<T>> {
    return this.requestJSON<KubeList<T>>('GET', resourcePath(r, { namespace: o.namespace }), {
      query: { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector },
      signal: o.signal,
    });
  }

  get<T extends K8sObject>(r: ResourceDescriptor<T>, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.requestJSON<T>('GET', resourcePath(r, { namespace, name }), { signal });
  }

  create<T extends K8sObject>(r: ResourceDescriptor<T>, obj: T, o: CreateOptions = {}): Promise<T> {
    return this.requestJSON<T>('POST', resourcePath(r, { namespace: obj.metadata.namespace }), {
      query: { dryRun: o.dryRun ? 'All' : undefined, fieldValidation: o.fieldValidation },
      body: obj,
      signal: o.signal,
    });
  }

  patch<T extends K8sObject>(r: ResourceDescriptor<T>, namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', subresource?: string): Promise<T> {
    return this.requestJSON<T>('PATCH', resourcePath(r, { namespace, name, subresource }), { body: patch, contentType: PATCH_CONTENT_TYPE[type] });
  }

  delete<T extends K8sObject>(r: ResourceDescriptor<T>, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<unknown> {
    return this.requestJSON('DELETE', resourcePath(r, { namespace, name }), { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...options } });
  }

  /**
   * Opens a watch and calls `onEvent` for each event until the server ends the stream
   * (resolves) or the request fails (rejects with ApiError). ERROR events are passed on:
   * the caller decides (a Status with code 410 means relist).
   */
  async watch<T extends K8sObject>(r: ResourceDescriptor<T>, o: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    const res = await this.request('GET', resourcePath(r, { namespace: o.namespace }), {
      query: {
        watch: 1,
        resourceVersion: o.resourceVersion,
        allowWatchBookmarks: o.allowWatchBookmarks ?? true,
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        timeoutSeconds: o.timeoutSeconds,
      },
      signal: o.signal,
    });
    if (!res.body) return;
    for await (const line of readLines(res.body, o.signal)) {
      if (line.trim() === '') continue;
      let ev: WatchEvent<T>;
      try {
        ev = JSON.parse(line) as WatchEvent<T>;
      } catch (err) {
        throw new ApiError(0, `malformed watch event: ${line.slice(0, 200)}`, undefined, { cause: err });
      }
      onEvent(ev);
    }
  }

  /** Streams a container's log as lines (`follow` keeps the stream open while the container runs). */
  async *logs(namespace: string, pod: string, o: LogOptions = {}): AsyncGenerator<string> {
    const res = await this.request('GET', resourcePath(resources.pods, { namespace, name: pod, subresource: 'log' }), {
      query: { container: o.container, follow: o.follow ? 'true' : undefined, tailLines: o.tailLines, timestamps: o.timestamps ? 'true' : undefined, previous: o.previous ? 'true' : undefined },
      signal: o.signal,
    });
    if (!res.body) return;
    yield* readLines(res.body, o.signal);
  }
}

/** The Status carried by a watch ERROR event, as an ApiError. */
export function watchErrorToApiError(object: unknown): ApiError {
  if (isStatus(object)) return new ApiError(object.code, object.message ?? 'watch error', object);
  return new ApiError(500, 'watch error without a Status');
}
