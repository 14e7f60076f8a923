// Wire types of the log service (group logs.jobyard.io, version v1): the Logstore resource
// and the bodies of its log endpoints (search, histogram, ingest, checkpoints).
// Field names follow Kubernetes conventions (camelCase, `...Seconds`, RFC 3339 times).

import type { ListMeta, ObjectMeta } from './meta.js';

export const LOGS_GROUP = 'logs.jobyard.io';
export const LOGS_VERSION = 'v1';
export const LOGS_API_VERSION = 'logs.jobyard.io/v1';

/** The Logstore resource as clients address it (cluster-scoped). */
export const LOGSTORE_RESOURCE = { group: LOGS_GROUP, version: LOGS_VERSION, resource: 'logstores', kind: 'Logstore', namespaced: false } as const;

/** How long and how much a logstore keeps. */
export interface LogstoreSpec {
  /** Lines older than this many days (by their time) are removed. Default 7. */
  retentionDays?: number;
  /**
   * Upper bound of the bytes of stored lines (a Kubernetes quantity, e.g. "1Gi"); the oldest
   * lines go first when it is exceeded. Default "1Gi". Index and row overhead come on top.
   */
  maxSize?: string;
}

/** What the log service last counted in a logstore (written through /status). */
export interface LogstoreStatus {
  /** Lines stored. */
  lines?: number;
  /** Bytes of the stored lines (UTF-8). */
  sizeBytes?: number;
  /** Time of the oldest and the newest stored line. */
  oldestTime?: string;
  newestTime?: string;
  /** Containers (sources) that sent lines. */
  sources?: number;
  /** When these counts were taken. */
  lastUpdateTime?: string;
}

/** logs.jobyard.io/v1 Logstore: a named log store, cluster-scoped. */
export interface Logstore {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: LogstoreSpec;
  status?: LogstoreStatus;
}

/**
 * Longest line kept whole, in bytes (UTF-8). A longer line keeps its first LOG_LINE_MAX_BYTES
 * bytes followed by LOG_TRUNCATED_MARKER, and is flagged `truncated`.
 */
export const LOG_LINE_MAX_BYTES = 256 * 1024;
export const LOG_TRUNCATED_MARKER = '…[truncated]';

export type LogStreamKind = 'stdout' | 'stderr' | 'file';

/** One stored line as search and follow return it. */
export interface LogRecord {
  /** Position in the store: increases with ingestion (follow resumes after it). */
  id: number;
  /** The line's time, RFC 3339 with microseconds (metav1.MicroTime). */
  time: string;
  line: string;
  /** stdout, stderr, or file (then `path` says which). */
  stream: LogStreamKind;
  /** The file inside the container, for lines read from files. */
  path?: string;
  logstore: string;
  namespace: string;
  pod: string;
  container: string;
  /** The pod's batch.kubernetes.io/job-name label. */
  job?: string;
  tags?: Record<string, string>;
  /** The line was longer than the limit and was cut (the kept part ends with a marker). */
  truncated?: boolean;
}

/** The answer of `search`: one page of lines. */
export interface LogRecordList {
  apiVersion: string;
  kind: 'LogRecordList';
  /** `continue` holds the cursor of the next page when there may be one. */
  metadata: ListMeta;
  items: LogRecord[];
}

export interface LogHistogramBucket {
  /** Start of the bucket, RFC 3339. */
  time: string;
  count: number;
}

/** The answer of `histogram`: line counts per time bucket over [from, to). */
export interface LogHistogram {
  apiVersion: string;
  kind: 'LogHistogram';
  from: string;
  to: string;
  bucketSeconds: number;
  total: number;
  buckets: LogHistogramBucket[];
}

/** Where lines come from: one container's output, or one file inside it, for one logstore. */
export interface LogSource {
  /**
   * Stable identity within the logstore: `<containerID>/stdio` for the container's output,
   * `<containerID>/file/<device>:<inode>` (or `/path/<path>`) for a file.
   */
  id: string;
  namespace: string;
  pod: string;
  podUID?: string;
  container: string;
  containerID?: string;
  job?: string;
  tags?: Record<string, string>;
  /** For file sources: the path inside the container where the file was found. */
  path?: string;
}

/** A read position, stored with the lines it covers. */
export interface LogCheckpoint {
  /** Bytes of the source consumed so far (a logical offset, increasing across rotations). */
  offset: number;
  /** The reader's own position data (file identity, offset in it...), opaque to the store. */
  cursor?: string;
  /** The source is drained for good (its container exited and every line was sent). */
  finished?: boolean;
}

/** One line to store. */
export interface LogIngestEntry {
  /** Unix time in microseconds. */
  time: number;
  line: string;
  /** stdout or stderr; absent for file sources. */
  stream?: 'stdout' | 'stderr';
  /** The logical offset just after this line in its source (strictly increasing per source). */
  end: number;
  truncated?: boolean;
}

/**
 * Lines of one source and the checkpoint after them. Storing is idempotent: entries whose
 * `end` is at or below the stored checkpoint are skipped, and the checkpoint only moves on.
 */
export interface LogIngestBatch {
  logstore: string;
  source: LogSource;
  entries: LogIngestEntry[];
  checkpoint: LogCheckpoint;
}

export interface LogIngestRequest {
  apiVersion?: string;
  kind?: 'LogIngestRequest';
  batches: LogIngestBatch[];
}

export interface LogIngestResult {
  /** Lines stored. */
  accepted: number;
  /** Lines at or below the stored checkpoint (sent before). */
  skipped: number;
  /** The stored checkpoint afterwards. */
  checkpoint: LogCheckpoint;
}

export interface LogIngestResponse {
  apiVersion: string;
  kind: 'LogIngestResponse';
  results: LogIngestResult[];
}

/** The stored checkpoints of sources, for a reader that (re)starts. */
export interface LogCheckpointList {
  apiVersion: string;
  kind: 'LogCheckpointList';
  items: Array<LogCheckpoint & { source: string }>;
}
