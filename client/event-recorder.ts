// Events about objects, as client-go's record.EventRecorder: `event(obj, type, reason, message)`
// returns at once; a background chain writes core/v1 Events. Repeats of the same event
// (same source, object, type, reason and message) within the aggregation window patch the
// existing Event's `count` and `lastTimestamp` instead of creating a new one, as the
// correlator's EventLogger does (simplified: no spam filter, no similar-message aggregation).
// Nothing here ever throws into the caller.
import type { Event, ObjectMeta, ObjectReference } from '../api/index.js';
import { type Clock, errorMessage, isNotFound, realClock, rfc3339 } from '../machinery/index.js';
import { type Logger, noopLogger } from './logger.js';
import type { ResourceClient } from './resource-client.js';

export type EventType = 'Normal' | 'Warning';

/** Anything with metadata, e.g. a Job from a lister. `kind`/`apiVersion` may be missing on list items. */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: Readonly<ObjectMeta> | { readonly [K in keyof ObjectMeta]?: unknown };
}

/** Records events about objects. Never throws, never blocks. */
export interface EventRecorder {
  event(obj: EventSubject, type: EventType, reason: string, message: string): void;
}

export interface ClientEventRecorderOptions {
  /** Writes the Events (cluster-wide client; the namespace comes from the object). */
  events: ResourceClient<Event>;
  /** `source.component` and `reportingComponent`, e.g. "job-controller". */
  component: string;
  /** `source.host` and `reportingInstance`. */
  host?: string;
  clock?: Clock;
  logger?: Logger;
  /** Identical events within this window are aggregated. @defaultValue 10 minutes */
  aggregationWindowMs?: number;
  /** Events waiting to be written beyond this are dropped (oldest first). @defaultValue 1000 */
  maxPending?: number;
  /** Used when the object carries no kind (e.g. list items): kind and apiVersion to report. */
  defaultKind?: { kind: string; apiVersion: string };
}

interface CachedEvent {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  lastSeenMs: number;
}

interface Pending {
  ref: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  at: Date;
}

/** Writes Events through the API client. */
export class ClientEventRecorder implements EventRecorder {
  private readonly opts: ClientEventRecorderOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly cache = new Map<string, CachedEvent>();
  private readonly pending: Pending[] = [];
  private draining: Promise<void> | undefined;
  private seq = 0;
  private stopped = false;

  constructor(opts: ClientEventRecorderOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger ?? noopLogger;
  }

  event(obj: EventSubject, type: EventType, reason: string, message: string): void {
    try {
      if (this.stopped) return;
      const ref = this.reference(obj);
      if (!ref) {
        this.logger.warn('event about an object without name dropped', { reason });
        return;
      }
      this.pending.push({ ref, type, reason, message, at: this.clock.now() });
      const max = this.opts.maxPending ?? 1000;
      while (this.pending.length > max) {
        const dropped = this.pending.shift();
        this.logger.warn('event dropped: too many pending', { reason: dropped?.reason });
      }
      if (!this.draining) this.draining = this.drain();
    } catch (err) {
      this.logger.error('recording event failed', { reason, error: errorMessage(err) });
    }
  }

  /** Resolves once every event recorded so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops accepting events; pending ones are still written (await flush()). */
  stop(): void {
    this.stopped = true;
  }

  private reference(obj: EventSubject): ObjectReference | undefined {
    const m = (obj.metadata ?? {}) as ObjectMeta;
    if (!m.name) return undefined;
    const ref: ObjectReference = {
      kind: obj.kind ?? this.opts.defaultKind?.kind,
      apiVersion: obj.apiVersion ?? this.opts.defaultKind?.apiVersion,
      name: m.name,
    };
    if (m.namespace) ref.namespace = m.namespace;
    if (m.uid) ref.uid = m.uid;
    if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
    return ref;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const p = this.pending.shift() as Pending;
        try {
          await this.write(p);
        } catch (err) {
          this.logger.warn('writing event failed', {
            reason: p.reason,
            object: `${p.ref.namespace ?? ''}/${p.ref.name ?? ''}`,
            error: errorMessage(err),
          });
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private aggregationKey(p: Pending): string {
    const r = p.ref;
    return [this.opts.component, this.opts.host ?? '', r.kind, r.namespace, r.name, r.uid, r.apiVersion, p.type, p.reason, p.message].join('\u0000');
  }

  private async write(p: Pending): Promise<void> {
    const key = this.aggregationKey(p);
    const nowMs = p.at.getTime();
    const ts = rfc3339(p.at);
    const window = this.opts.aggregationWindowMs ?? 10 * 60_000;
    const cached = this.cache.get(key);
    const events = this.opts.events;

    if (cached && nowMs - cached.lastSeenMs <= window) {
      const count = cached.count + 1;
      try {
        await events.namespace(cached.namespace).patch(cached.name, 'merge', { count, lastTimestamp: ts, message: p.message });
        cached.count = count;
        cached.lastTimestamp = ts;
        cached.lastSeenMs = nowMs;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The Event expired or was deleted: create it again under its name, keeping the count (as client-go).
        this.cache.delete(key);
        await this.create(p, key, count, cached.firstTimestamp, ts, nowMs, cached.name);
        return;
      }
    }
    await this.create(p, key, 1, ts, ts, nowMs);
  }

  private async create(p: Pending, key: string, count: number, first: string, last: string, nowMs: number, reuseName?: string): Promise<void> {
    const namespace = p.ref.namespace || 'default';
    // client-go names events "<object>.<unix nanos in hex>"; a sequence keeps names unique within one ms.
    const nanos = BigInt(nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = reuseName ?? `${p.ref.name}.${nanos.toString(16)}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: p.ref,
      reason: p.reason,
      message: p.message,
      source: this.opts.host ? { component: this.opts.component, host: this.opts.host } : { component: this.opts.component },
      firstTimestamp: first,
      lastTimestamp: last,
      count,
      type: p.type,
      eventTime: null,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
    const created = await this.opts.events.namespace(namespace).create(ev);
    this.cache.set(key, {
      name: created.metadata?.name ?? name,
      namespace,
      count,
      firstTimestamp: first,
      lastTimestamp: last,
      lastSeenMs: nowMs,
    });
    if (this.cache.size > 4096) {
      // Bounded, as upstream's LRU: drop the oldest entry.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
