// List and watch helpers: resourceVersion parameters, continue tokens, bookmarks, and watch
// events translated through selectors (an object that stops matching is DELETED for the watcher).
import type { KubeObject, ObjectMeta, WatchEvent } from '../../api/index.js';
import { badRequest } from '../../machinery/index.js';
import type { StoredEvent } from '../storage/index.js';
import type { ResourceDefinition } from './resource.js';
import { withTypeMeta } from './objects.js';

export function parseResourceVersion(rv: string): number {
  if (!/^[0-9]+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  return Number(rv);
}

export function translateEvent(e: StoredEvent, matches: (obj: KubeObject) => boolean): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject } | null {
  const cur = matches(e.object);
  if (e.type === 'ADDED') return cur ? { type: 'ADDED', object: e.object } : null;
  if (e.type === 'DELETED') {
    const before = e.prev ? matches(e.prev) : cur;
    return before ? { type: 'DELETED', object: e.object } : null;
  }
  const before = e.prev ? matches(e.prev) : cur;
  if (before && cur) return { type: 'MODIFIED', object: e.object };
  if (!before && cur) return { type: 'ADDED', object: e.object };
  if (before && !cur) return { type: 'DELETED', object: e.object };
  return null;
}

/** The watchers of one stored event share its WatchEvent (one per type), so they can share its encoding. */
const watchEvents = new WeakMap<StoredEvent, Partial<Record<WatchEvent['type'], WatchEvent>>>();

/** The same for resources stored in another's form (def.storedAs): one WatchEvent per served version. */
const convertedWatchEvents = new WeakMap<StoredEvent, Map<ResourceDefinition, Partial<Record<WatchEvent['type'], WatchEvent>>>>();

export function sharedWatchEvent(def: ResourceDefinition, e: StoredEvent, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): WatchEvent {
  let byType: Partial<Record<WatchEvent['type'], WatchEvent>> | undefined;
  if (def.storedAs) {
    let byDef = convertedWatchEvents.get(e);
    if (!byDef) convertedWatchEvents.set(e, (byDef = new Map()));
    byType = byDef.get(def);
    if (!byType) byDef.set(def, (byType = {}));
  } else {
    byType = watchEvents.get(e);
    if (!byType) watchEvents.set(e, (byType = {}));
  }
  return (byType[type] ??= { type, object: withTypeMeta(def, object) });
}

export function bookmarkObject(def: ResourceDefinition, rv: number, annotations?: Record<string, string>): KubeObject {
  const apiVersion = def.names.group ? `${def.names.group}/${def.names.version}` : def.names.version;
  const metadata: ObjectMeta = { resourceVersion: String(rv) };
  if (annotations) metadata.annotations = annotations;
  return { apiVersion, kind: def.names.kind, metadata };
}

interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
