// What one sync of a Job works with (upstream's syncJobCtx and the controller fields job_controller.go
// reads): the state of the sync, the controller's parts it calls, and the per-sync limits.
import type { Job, JobCondition, Pod } from '../../api/index.js';
import type { EventRecorder, Lister, Logger, ResourceClient } from '../../client/index.js';
import { type Clock, errorMessage } from '../../machinery/index.js';
import type { BackoffRecord, BackoffStore, PodFailureBackoffSettings } from './backoff.js';
import type { ControllerExpectations, UIDTrackingExpectations } from './expectations.js';
import type { OrderedIntervals } from './intervals.js';
import type { PodView } from './job-pods.js';
import type { PodControl } from './pod-control.js';

/**
 * Pod events and status-only Job changes are batched this long (upstream's syncJobBatchPeriod,
 * fixed there; `jobyard server --job-sync-batch-period` sets it).
 */
export const SYNC_JOB_BATCH_PERIOD_MS = 1_000;
/** At most this many UIDs sit in each uncountedTerminatedPods list (keeps status small, ~20 KB). */
export const MAX_UNCOUNTED_PODS = 500;
/** At most this many pods are created or deleted per sync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Slow start: creations go in batches of 1, 2, 4, ... and stop at the first failing batch. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** What syncJob needs from the controller; JobController provides it (tests may stub parts). */
export interface JobSyncDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobLister: Lister<Job>;
  readonly podLister: Lister<Pod>;
  /** Fresh reads of the Job before adopting pods. */
  readonly jobs: ResourceClient<Job>;
  readonly podControl: PodControl;
  readonly recorder: EventRecorder;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations: UIDTrackingExpectations;
  readonly podBackoffStore: BackoffStore;
  readonly backoff: PodFailureBackoffSettings;
  /** The batch period of pod events (SYNC_JOB_BATCH_PERIOD_MS unless configured). */
  readonly syncJobBatchPeriodMs: number;
  /** Writes the Job's status (PUT /status); returns the stored Job. */
  updateStatusHandler(job: Job): Promise<Job>;
  /** Queues the key after a delay (deduplicated, the earliest wins). */
  enqueueAfter(key: string, delayMs: number): void;
}

interface UncountedSets {
  succeeded: Set<string>;
  failed: Set<string>;
}

/** The state of one sync (upstream syncJobCtx). */
export interface SyncJobCtx {
  job: Job;
  pods: PodView[];
  finishedCondition?: JobCondition;
  activePods: PodView[];
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: Set<string>;
  uncounted: UncountedSets;
  podsWithDelayedDeletionPerIndex?: Map<number, PodView>;
  terminating: number;
  ready: number;
}

export function wrap(prefix: string, err: unknown): Error {
  return new Error(`${prefix}: ${errorMessage(err)}`, { cause: err });
}
