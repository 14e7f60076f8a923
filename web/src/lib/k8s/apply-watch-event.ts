// Watch semantics in one pure function (Headlamp's KubeList.applyUpdate, in our words).
import type { WatchEvent } from '../../../../api/meta.js';
import type { K8sObject } from './resources.js';

/** A list as the console keeps it: the items and the resourceVersion to watch from. */
export interface ObjectList<T extends K8sObject = K8sObject> {
  resourceVersion: string;
  items: T[];
}

/** The identity of an object within a list: its uid, else namespace/name. */
export function objectKey(obj: K8sObject): string {
  return obj.metadata.uid || `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * Applies one watch event to a list and returns the new list (the input is never mutated).
 * ADDED and MODIFIED replace the object with the same identity or append it; DELETED removes it;
 * BOOKMARK only moves the resourceVersion. ERROR events are not list changes: the caller handles
 * them (a 410 means relist), so the list comes back unchanged.
 * resourceVersions are treated as opaque strings, as upstream requires of clients: an event whose
 * object carries exactly the stored object's resourceVersion is a no-op and returns the same list.
 */
export function applyWatchEvent<T extends K8sObject>(list: ObjectList<T>, event: WatchEvent<T>): ObjectList<T> {
  const rv = event.object?.metadata?.resourceVersion;
  switch (event.type) {
    case 'BOOKMARK':
      return rv && rv !== list.resourceVersion ? { ...list, resourceVersion: rv } : list;
    case 'ERROR':
      return list;
    case 'ADDED':
    case 'MODIFIED': {
      const key = objectKey(event.object);
      const i = list.items.findIndex((o) => objectKey(o) === key);
      if (i >= 0 && rv !== undefined && list.items[i].metadata.resourceVersion === rv) return list;
      const items = i >= 0 ? list.items.map((o, j) => (j === i ? event.object : o)) : [...list.items, event.object];
      return { resourceVersion: rv ?? list.resourceVersion, items };
    }
    case 'DELETED': {
      const key = objectKey(event.object);
      const items = list.items.filter((o) => objectKey(o) !== key);
      return { resourceVersion: rv ?? list.resourceVersion, items: items.length === list.items.length ? list.items : items };
    }
    default:
      return list;
  }
}
