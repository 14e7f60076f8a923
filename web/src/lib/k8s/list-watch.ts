// A small reflector for the browser: list, watch from the list's resourceVersion, apply events,
// relist on 410 Gone, reconnect with capped exponential backoff. Time is injected (sleep).
import type { WatchEvent } from '../../../../api/meta.js';
import { ApiError, isGone, isUnauthorized } from './api-error.js';
import { applyWatchEvent, type ObjectList } from './apply-watch-event.js';
import { watchErrorToApiError, type KubeClient } from './client.js';
import type { K8sObject, ResourceDescriptor } from './resources.js';

export interface ListWatchState<T extends K8sObject> {
  /** The current list, once the first list call answered. */
  list?: ObjectList<T>;
  /** The last error; cleared by the next successful list or event. */
  error?: Error;
}

export interface ListWatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Waits before a reconnect; resolves early (or rejects) when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export const BASE_RECONNECT_DELAY_MS = 500;
export const MAX_RECONNECT_DELAY_MS = 30_000;

/** The delay before reconnect attempt `attempt` (0-based): base·2^attempt, capped. */
export function reconnectDelayMs(attempt: number, baseMs = BASE_RECONNECT_DELAY_MS, maxMs = MAX_RECONNECT_DELAY_MS): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

class WatchGone extends Error {
  constructor() {
    super('resourceVersion too old');
    this.name = 'WatchGone';
  }
}

/**
 * Keeps `onChange` fed with the live list of a resource until the returned stop function runs.
 * A 401 stops the loop (the session is gone); other failures keep the last list and retry.
 */
export function startListWatch<T extends K8sObject>(
  client: KubeClient,
  resource: ResourceDescriptor<T>,
  opts: ListWatchOptions,
  onChange: (state: ListWatchState<T>) => void,
): () => void {
  const abort = new AbortController();
  const sleep = opts.sleep ?? defaultSleep;
  const sel = { namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  let list: ObjectList<T> | undefined;
  let error: Error | undefined;
  const emit = () => {
    if (!abort.signal.aborted) onChange({ list, error });
  };

  const run = async () => {
    let attempt = 0;
    while (!abort.signal.aborted) {
      try {
        if (!list) {
          const l = await client.list(resource, { ...sel, signal: abort.signal });
          list = { resourceVersion: l.metadata?.resourceVersion ?? '', items: l.items ?? [] };
          error = undefined;
          emit();
        }
        let received = false;
        await client.watch(resource, { ...sel, resourceVersion: list.resourceVersion, allowWatchBookmarks: true, signal: abort.signal }, (ev: WatchEvent<T>) => {
          if (ev.type === 'ERROR') {
            const e = watchErrorToApiError(ev.object);
            throw isGone(e) ? new WatchGone() : e;
          }
          received = true;
          const next = applyWatchEvent(list as ObjectList<T>, ev);
          if (next !== list || error) {
            list = next;
            error = undefined;
            emit();
          }
        });
        // The server closed the stream (a timeout): watch again from where we are. A stream
        // that ended without any event counts as a failed attempt so a broken server is not hammered.
        attempt = received ? 0 : attempt + 1;
        if (!received) await sleep(reconnectDelayMs(attempt - 1, opts.baseDelayMs, opts.maxDelayMs), abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof WatchGone || isGone(err)) {
          // Too old to resume: list again, as client-go's reflector does.
          list = undefined;
          continue;
        }
        error = err instanceof Error ? err : new ApiError(0, String(err));
        emit();
        if (isUnauthorized(err)) return;
        await sleep(reconnectDelayMs(attempt, opts.baseDelayMs, opts.maxDelayMs), abort.signal);
        attempt++;
      }
    }
  };
  void run();
  return () => abort.abort();
}
