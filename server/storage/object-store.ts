// The storage contract: keys, resourceVersions and watches; no resource rules.
// Like upstream's storage.Interface over etcd, but synchronous (SQLite in-process):
// a write, its resourceVersion and its watch event commit in one transaction.
import type { KubeObject } from '../../api/index.js';

export type StoredEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: StoredEventType;
  /** "group/resource" key, e.g. "batch/jobs" or "pods". */
  resource: string;
  namespace: string;
  name: string;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED event, for selector transitions. */
  prev?: KubeObject;
}

export type StorageErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'TooOld';

/** A storage-level failure; the registry turns it into a Status with resource names. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly currentRv?: number;

  constructor(code: StorageErrorCode, message: string, currentRv?: number) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.currentRv = currentRv;
  }
}

export interface ListOptions {
  /** Only this namespace ('' or undefined: all). */
  namespace?: string;
  /** Resume after this "namespace/name" key (pagination). */
  startAfter?: string;
  /** Stop after this many matching objects. */
  limit?: number;
  /** Keep only objects for which this returns true; scanned past, not counted. */
  filter?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  /** The store's resourceVersion at the moment of the read. */
  rv: number;
  /** The key of the last item returned, when more matching items may follow. */
  continueAfter?: string;
  /** How many objects (before filtering) remain after continueAfter, when known. */
  remaining?: number;
}

export interface Preconditions {
  /** The write fails with Conflict unless the stored object has this resourceVersion. */
  resourceVersion?: string;
  /** The write fails with Conflict unless the stored object has this uid. */
  uid?: string;
}

export type WatchListener = (event: StoredEvent) => void;

export interface ObjectStore {
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  list(resource: string, options?: ListOptions): ListResult;
  /** Stores a new object; sets metadata.resourceVersion. AlreadyExists if the key is taken. */
  create(resource: string, obj: KubeObject): KubeObject;
  /** Replaces a stored object; sets metadata.resourceVersion. */
  update(resource: string, obj: KubeObject, preconditions?: Preconditions): KubeObject;
  /** Removes an object; returns it with the resourceVersion of its deletion. */
  delete(resource: string, namespace: string, name: string, preconditions?: Preconditions): KubeObject;
  /**
   * Delivers every event of `resource` (in `namespace` if given) after `fromRv`, then live
   * ones, in resourceVersion order. Throws StorageError TooOld if fromRv was compacted.
   * Returns a function that stops the watch.
   */
  watch(resource: string, namespace: string | undefined, fromRv: number, listener: WatchListener): () => void;
  currentRv(): number;
  /** Events at or below this resourceVersion may be gone; watches from below it get TooOld. */
  compactedRv(): number;
  /** Forget watch history up to and including `rv` (bounded by the current rv). */
  compact(rv: number): void;
  /** Runs `fn` in one transaction: all its writes commit (and notify) together or not at all. */
  transaction<T>(fn: () => T): T;
  /**
   * Settles when every write made so far is on disk (rejects if their group failed to commit).
   * With group commit a write returns before its COMMIT: nothing it made or read may be answered
   * to a client before this.
   */
  committed(): Promise<void>;
  /** Throws when the store cannot be read (the health endpoints' storage check). */
  healthCheck?(): void;
  /** How many objects each resource has, by storage key (apiserver_storage_objects). */
  countObjects?(): [resource: string, count: number][];
  close(): void;
}
