// ConfigMap and Secret volumes as the kubelet lays them out (pkg/volume/configmap,
// pkg/volume/secret, pkg/volume/util/atomic_writer.go): every key (or the chosen `items`) is a
// file in a timestamped directory `..2026_01_01_00_00_00.123456789`, `..data` links to that
// directory, and each top-level name links into `..data`, so an update can switch all files
// at once. Modes: the item's `mode`, else `defaultMode`, else 0644.
import { createHash } from 'node:crypto';
import type { KeyToPath } from '../../api/index.js';
import type { VolumeDataSwap, VolumeFile } from '../runtime/index.js';

/** DefaultMode of configMap and secret volumes (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;

export interface Projection {
  /** Path inside the volume → contents. */
  files: { path: string; data: Buffer; mode: number }[];
}

/** The message when `items` names a key the object lacks (and the volume is not optional). */
export type MissingKeyMessage = (key: string) => string;

/**
 * The files of a configMap/secret volume: all keys, or `items` (key → path, with modes).
 * Throws Error(missingKey(key)) for an item whose key is absent unless `optional`.
 */
export function makePayload(
  values: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number | undefined,
  optional: boolean,
  missingKey: MissingKeyMessage,
): Projection {
  const mode = defaultMode ?? DEFAULT_VOLUME_MODE;
  const files: Projection['files'] = [];
  if (!items || items.length === 0) {
    for (const [key, data] of Object.entries(values)) files.push({ path: key, data, mode });
  } else {
    for (const item of items) {
      const data = values[item.key];
      if (data === undefined) {
        if (optional) continue;
        throw new Error(missingKey(item.key));
      }
      files.push({ path: item.path, data, mode: item.mode ?? mode });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files };
}

const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

/**
 * The atomic writer's validatePath: the node checks every payload path again (the API server
 * validated the spec; a ConfigMap's keys and a projection's merged paths reach the node unchecked).
 */
export function validatePayloadPath(targetPath: string): void {
  if (targetPath === '') throw new Error(`invalid path: must not be empty: ${JSON.stringify(targetPath)}`);
  if (targetPath.startsWith('/')) throw new Error(`invalid path: must be relative path: ${targetPath}`);
  if (targetPath.length > MAX_PATH_LENGTH) throw new Error(`invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  const items = targetPath.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${targetPath}`);
    if (item.length > MAX_FILE_NAME_LENGTH) throw new Error(`invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) throw new Error(`invalid path: must not start with '..': ${targetPath}`);
}

function tsDirName(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds(), 3)}000000`;
}

/** The entries to write: the timestamped directory with the files, `..data`, and the top-level links. Throws for an invalid path. */
export function atomicWriterFiles(projection: Projection, now: Date): VolumeFile[] {
  const swap = atomicWriterSwap(projection, now);
  return [...swap.files.filter((f) => f.linkTarget === undefined), { path: '..data', linkTarget: swap.dataDir }, ...swap.files.filter((f) => f.linkTarget !== undefined)];
}

/** An update of a written volume: the new directory and top-level links, and the `..data` switch (VolumeService.swapVolumeData). */
export function atomicWriterSwap(projection: Projection, now: Date): VolumeDataSwap {
  const dir = tsDirName(now);
  const files: VolumeFile[] = [{ path: dir, isDirectory: true, mode: 0o755 }];
  const tops = new Set<string>();
  for (const f of projection.files) {
    const clean = f.path.replace(/^\/+/, '');
    validatePayloadPath(f.path);
    files.push({ path: `${dir}/${clean}`, data: f.data, mode: f.mode });
    tops.add(clean.split('/')[0]!);
  }
  const keep = [...tops].sort();
  for (const top of keep) files.push({ path: top, linkTarget: `..data/${top}` });
  return { files, dataDir: dir, keep };
}

/** A digest of a payload (paths, modes, bytes): equal payloads need no update. */
export function payloadKey(projection: Projection): string {
  const h = createHash('sha256');
  for (const f of projection.files) h.update(`${f.path}\0${f.mode}\0${f.data.length}\0`).update(f.data);
  return h.digest('hex');
}
