// Upstream's capmanagers.go: an object keeps at most DefaultMaxUpdateManagers Update entries;
// beyond that the oldest are merged, per apiVersion, into an `ancient-changes` entry.
import { type Managers, managerIdentifier } from './managed.js';

/** upstream's DefaultMaxUpdateManagers. */
export const DEFAULT_MAX_UPDATE_MANAGERS = 10;

/** The manager the oldest Update entries are merged into (upstream's oldUpdatesManagerName). */
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

const unixSeconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/**
 * capUpdateManagers, in place: when there are more than `max` Update entries, the oldest (by
 * time in seconds, then by identifier) are merged one by one into the bucket of their
 * apiVersion until `max` remain. The first entry of a version becomes the bucket when a second
 * joins it; the bucket takes the time of the last entry merged into it.
 */
export function capUpdateManagers(managers: Managers, max = DEFAULT_MAX_UPDATE_MANAGERS): boolean {
  const updaters = [...managers].filter(([, e]) => e.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return false;
  updaters.sort((a, b) => unixSeconds(managers.get(a)!.time) - unixSeconds(managers.get(b)!.time) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const entry = managers.get(id)!;
    const version = entry.apiVersion;
    const bucket = managerIdentifier({ manager: ANCIENT_CHANGES_MANAGER, operation: 'Update', apiVersion: version, subresource: '' });
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const firstEntry = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { ...firstEntry, manager: ANCIENT_CHANGES_MANAGER, subresource: '' });
    }
    const into = managers.get(bucket)!;
    managers.set(bucket, { ...into, set: entry.set.union(into.set), time: entry.time });
    if (entry.time === undefined) delete managers.get(bucket)!.time;
    managers.delete(id);
    length--;
  }
  return true;
}
