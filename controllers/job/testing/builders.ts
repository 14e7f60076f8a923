// Builders and a harness for Job controller tests, in the style of upstream's
// job_controller_test.go: a Job and its pods per phase, informer caches filled directly, a
// FakePodControl recording actions, a FakeClock, every status write captured.
import type { Job, JobCondition, JobStatus, Pod, PodCondition, PodFailurePolicy, PodPhase, SuccessPolicy } from '../../../api/index.js';
import { InformerFactory, Resources, deepClone } from '../../../client/index.js';
import { FakeClientset, FakeEventRecorder, FakeScheduler } from '../../../client/testing/index.js';
import { FakeClock, rfc3339 } from '../../../machinery/index.js';
import type { PodFailureBackoffSettings } from '../backoff.js';
import { JobController } from '../job-controller.js';
import { COMPLETION_INDEX_ANNOTATION, INDEX_FAILURE_COUNT_ANNOTATION, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, JOB_TRACKING_FINALIZER } from '../job-pods.js';
import { FakePodControl, type PodControl, RealPodControl } from '../pod-control.js';

/** The fake clock's "now" in tests. */
export const REFERENCE_TIME = '2026-05-01T12:00:00Z';
/** A finish time far enough in the past that no backoff applies (upstream's testFinishedAt). */
export const LONG_AGO = '2000-01-01T00:00:01Z';

export interface JobOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  /** null: unset. @defaultValue 1 */
  parallelism?: number | null;
  /** null: a work-queue Job. @defaultValue 1 */
  completions?: number | null;
  /** @defaultValue 6 */
  backoffLimit?: number;
  completionMode?: 'Indexed' | 'NonIndexed' | string;
  suspend?: boolean;
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed';
  podFailurePolicy?: PodFailurePolicy;
  successPolicy?: SuccessPolicy;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  activeDeadlineSeconds?: number;
  restartPolicy?: 'Never' | 'OnFailure';
  managedBy?: string;
  /** Sets metadata.deletionTimestamp. */
  deleting?: boolean;
  status?: JobStatus;
  generation?: number;
}

/** A Job selecting pods by foo=bar, with one container "main-container". */
export function newJob(o: JobOptions = {}): Job {
  const name = o.name ?? 'foobar';
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      resourceVersion: '1',
      generation: o.generation ?? 1,
      creationTimestamp: '2026-05-01T11:00:00Z',
    },
    spec: {
      selector: { matchLabels: { foo: 'bar' } },
      template: {
        metadata: { labels: { foo: 'bar' } },
        spec: { restartPolicy: o.restartPolicy ?? 'Never', containers: [{ name: 'main-container', image: 'foo/bar' }] },
      },
      backoffLimit: o.backoffLimit ?? 6,
    },
  };
  if (o.parallelism !== null) job.spec.parallelism = o.parallelism ?? 1;
  if (o.completions !== null) job.spec.completions = o.completions ?? 1;
  if (o.completionMode) job.spec.completionMode = o.completionMode as 'Indexed';
  if (o.suspend !== undefined) job.spec.suspend = o.suspend;
  if (o.podReplacementPolicy) job.spec.podReplacementPolicy = o.podReplacementPolicy;
  if (o.podFailurePolicy) job.spec.podFailurePolicy = o.podFailurePolicy;
  if (o.successPolicy) job.spec.successPolicy = o.successPolicy;
  if (o.backoffLimitPerIndex !== undefined) job.spec.backoffLimitPerIndex = o.backoffLimitPerIndex;
  if (o.maxFailedIndexes !== undefined) job.spec.maxFailedIndexes = o.maxFailedIndexes;
  if (o.activeDeadlineSeconds !== undefined) job.spec.activeDeadlineSeconds = o.activeDeadlineSeconds;
  if (o.managedBy) job.spec.managedBy = o.managedBy;
  if (o.deleting) job.metadata.deletionTimestamp = REFERENCE_TIME;
  if (o.status) job.status = deepClone(o.status);
  return job;
}

export interface PodOptions {
  name?: string;
  uid?: string;
  phase?: PodPhase;
  ready?: boolean;
  /** Completion index annotation (any string, e.g. "invalid"). */
  index?: string;
  /** Sets a deletionTimestamp (terminating when not terminal). */
  deleting?: boolean;
  /** Has the tracking finalizer. @defaultValue true */
  finalizer?: boolean;
  /** Container finishedAt for terminal pods. @defaultValue LONG_AGO */
  finishedAt?: string;
  /** Exit code of the terminated container. @defaultValue 0 when Succeeded, 1 when Failed */
  exitCode?: number;
  containerName?: string;
  /** Exit code of a terminated init container (pod failed in init). */
  initExitCode?: number;
  restartCount?: number;
  failureCount?: number;
  ignoredFailureCount?: number;
  conditions?: PodCondition[];
  labels?: Record<string, string>;
  /** Has the controller ownerRef to the Job. @defaultValue true */
  owned?: boolean;
  nodeName?: string;
  creationTimestamp?: string;
}

let podSeq = 0;

/** A pod of `job` (labels from its selector, controller ownerRef, tracking finalizer). */
export function newPod(job: Job, o: PodOptions = {}): Pod {
  const name = o.name ?? `${job.metadata.name ?? 'job'}-pod-${++podSeq}`;
  const phase = o.phase ?? 'Running';
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: job.metadata.namespace,
      uid: o.uid ?? name,
      resourceVersion: '1',
      labels: o.labels ?? { ...(job.spec.selector?.matchLabels ?? {}) },
      creationTimestamp: o.creationTimestamp ?? '2026-05-01T11:30:00Z',
    },
    spec: { containers: [{ name: o.containerName ?? 'main-container', image: 'foo/bar' }] },
    status: { phase },
  };
  if (o.nodeName) pod.spec.nodeName = o.nodeName;
  if (o.owned !== false) {
    pod.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
    ];
  }
  if (o.finalizer !== false) pod.metadata.finalizers = [JOB_TRACKING_FINALIZER];
  const annotations: Record<string, string> = {};
  if (o.index !== undefined) {
    annotations[COMPLETION_INDEX_ANNOTATION] = o.index;
    pod.spec.hostname = `${job.metadata.name ?? ''}-${o.index}`;
  }
  if (o.failureCount !== undefined) annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(o.failureCount);
  if (o.ignoredFailureCount !== undefined) annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(o.ignoredFailureCount);
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  const status = pod.status as NonNullable<Pod['status']>;
  if (phase === 'Succeeded' || phase === 'Failed') {
    status.containerStatuses = [
      {
        name: o.containerName ?? 'main-container',
        ready: false,
        restartCount: o.restartCount ?? 0,
        image: 'foo/bar',
        imageID: '',
        state: { terminated: { exitCode: o.exitCode ?? (phase === 'Failed' ? 1 : 0), finishedAt: o.finishedAt ?? LONG_AGO } },
      },
    ];
  } else if (o.restartCount !== undefined) {
    status.containerStatuses = [{ name: o.containerName ?? 'main-container', ready: !!o.ready, restartCount: o.restartCount, image: 'foo/bar', imageID: '' }];
  }
  if (o.initExitCode !== undefined) {
    status.initContainerStatuses = [
      { name: 'init-container', ready: false, restartCount: 0, image: 'foo/bar', imageID: '', state: { terminated: { exitCode: o.initExitCode, finishedAt: o.finishedAt ?? LONG_AGO } } },
    ];
  }
  const conditions: PodCondition[] = [...(o.conditions ?? [])];
  if (o.ready) conditions.push({ type: 'Ready', status: 'True', lastTransitionTime: '2026-05-01T11:31:00Z' });
  if (conditions.length) status.conditions = conditions;
  if (o.deleting) {
    pod.metadata.deletionTimestamp = REFERENCE_TIME;
    pod.metadata.deletionGracePeriodSeconds = 30;
  }
  return pod;
}

export interface PodCounts {
  pending?: number;
  active?: number;
  /** How many of the active pods are Ready. */
  ready?: number;
  succeeded?: number;
  failed?: number;
  /** Running pods with a deletionTimestamp. */
  terminating?: number;
}

/** Pods per phase, as upstream's setPodsStatuses (no completion index). */
export function podsByPhase(job: Job, c: PodCounts): Pod[] {
  const pods: Pod[] = [];
  for (let i = 0; i < (c.pending ?? 0); i++) pods.push(newPod(job, { phase: 'Pending' }));
  for (let i = 0; i < (c.active ?? 0); i++) pods.push(newPod(job, { phase: 'Running', ready: i < (c.ready ?? 0) }));
  for (let i = 0; i < (c.succeeded ?? 0); i++) pods.push(newPod(job, { phase: 'Succeeded' }));
  for (let i = 0; i < (c.failed ?? 0); i++) pods.push(newPod(job, { phase: 'Failed' }));
  for (let i = 0; i < (c.terminating ?? 0); i++) pods.push(newPod(job, { phase: 'Running', deleting: true }));
  return pods;
}

/** Pods with the given completion indexes and phases, as upstream's setPodsStatusesWithIndexes. */
export function podsWithIndexes(job: Job, list: readonly (readonly [string, PodPhase])[]): Pod[] {
  return list.map(([index, phase]) => newPod(job, { index, phase }));
}

export interface TestControllerOptions {
  now?: string;
  podControl?: PodControl;
  backoff?: Partial<PodFailureBackoffSettings>;
  /** Write status through the fake clientset instead of capturing it (crash-safety tests). */
  realStatusWrites?: boolean;
  /** Use RealPodControl over the fake clientset (pods really change; events recorded). */
  realPodControl?: boolean;
  /** Talk to this existing fake API (a restarted controller). */
  clientset?: FakeClientset;
  syncJobBatchPeriodMs?: number;
}

/** A JobController over fakes, with caches marked synced and filled by the test. */
export class TestController {
  readonly clock: FakeClock;
  readonly scheduler: FakeScheduler;
  readonly clientset: FakeClientset;
  readonly podControl: PodControl;
  readonly recorder = new FakeEventRecorder();
  readonly controller: JobController;
  /** Every status written, in order (deep copies). */
  readonly statusUpdates: JobStatus[] = [];
  /** The Job as last written. */
  lastJob: Job | undefined;

  constructor(o: TestControllerOptions = {}) {
    this.clock = new FakeClock(o.now ?? REFERENCE_TIME);
    this.scheduler = new FakeScheduler(this.clock);
    this.clientset = o.clientset ?? new FakeClientset({ clock: this.clock });
    this.podControl = o.realPodControl
      ? new RealPodControl({ pods: this.clientset.pods, recorder: this.recorder })
      : (o.podControl ?? new FakePodControl());
    const informers = new InformerFactory(this.clientset, { scheduler: this.scheduler });
    this.controller = new JobController({
      clientset: this.clientset,
      informers,
      clock: this.clock,
      scheduler: this.scheduler,
      podControl: this.podControl,
      recorder: this.recorder,
      backoff: o.backoff,
      ...(o.syncJobBatchPeriodMs !== undefined ? { syncJobBatchPeriodMs: o.syncJobBatchPeriodMs } : {}),
    });
    this.controller.jobInformer.markSynced();
    this.controller.podInformer.markSynced();
    if (!o.realStatusWrites) {
      this.controller.updateStatusHandler = async (job) => {
        this.statusUpdates.push(deepClone(job.status ?? {}));
        this.lastJob = deepClone(job);
        return deepClone(job);
      };
    }
  }

  get fakePodControl(): FakePodControl {
    return this.podControl as FakePodControl;
  }

  /** Puts the Job in the informer cache and in the fake API (for fresh reads). */
  addJob(job: Job): void {
    this.controller.jobInformer.indexer.add(deepClone(job));
    if (!this.clientset.tracker.list(Resources.jobs, job.metadata.namespace).some((j) => j.metadata?.name === job.metadata.name)) {
      this.clientset.tracker.add(Resources.jobs, deepClone(job));
    }
  }

  addPods(pods: readonly Pod[]): void {
    for (const p of pods) this.controller.podInformer.indexer.add(deepClone(p));
  }

  /** Runs syncJob for the Job; resolves to the error it rejected with, or undefined. */
  async sync(job: Job): Promise<unknown> {
    try {
      await this.controller.syncJob(`${job.metadata.namespace}/${job.metadata.name}`);
      return undefined;
    } catch (err) {
      return err;
    }
  }

  /** Refills the informer caches from the fake API's current state (the informers catching up). */
  loadCachesFromApi(): void {
    this.controller.jobInformer.indexer.replace(this.clientset.tracker.list(Resources.jobs, undefined) as Job[]);
    this.controller.podInformer.indexer.replace(this.clientset.tracker.list(Resources.pods, undefined) as Pod[]);
  }

  /** Queued requeues of the Job's key (delays in ms). */
  requeueDelays(job: Job): number[] {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    return this.controller.queue.waitingItems().filter((w) => w.item === key).map((w) => w.delayMs);
  }
}

/** Conditions without times, for comparisons. */
export function conditionSummary(conds: readonly JobCondition[] | undefined): [string, string, string, string][] {
  return (conds ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']);
}

export function at(t: string, plusMs: number): string {
  return rfc3339(new Date(Date.parse(t) + plusMs));
}
