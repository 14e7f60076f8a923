// The controller manager (kube-controller-manager plus the scheduler, in one): one Clientset and
// one InformerFactory shared by every controller, each controller constructed with its deps,
// the informers started once all have registered, and every controller's run loop started.
// `stop()` aborts the loops, waits for in-flight work items to finish, flushes the event
// recorders and closes the client's connections.
//
//   const cm = startControllers({ kubeconfig: '/data/kubeconfig', logger });
//   ...
//   await cm.stop();
import { setMaxListeners } from 'node:events';
import {
  type Clientset,
  ClientEventRecorder,
  type ClientConfig,
  InformerFactory,
  type Logger,
  type LogFields,
  RestClientset,
  type Scheduler,
  loadKubeconfig,
  noopLogger,
  realScheduler,
} from '../client/index.js';
import { errorMessage } from '../machinery/index.js';
import { CronJobController } from './cronjob/index.js';
import { DisruptionController } from './disruption/index.js';
import { EndpointsController } from './endpoint/index.js';
import { EndpointSliceController } from './endpointslice/index.js';
import { EndpointSliceMirroringController } from './endpointslicemirroring/index.js';
import { GarbageCollector, type GarbageCollectorDeps } from './garbagecollector/index.js';
import { JobController, type PodFailureBackoffSettings } from './job/index.js';
import { NamespaceController } from './namespace/index.js';
import { NodeLifecycleController, TaintEvictionController } from './nodelifecycle/index.js';
import { PodGCController } from './podgc/index.js';
import { PodScheduler, type SchedulingQueueOptions } from './scheduler/index.js';
import { TTLAfterFinishedController } from './ttlafterfinished/index.js';
import { EphemeralVolumeController } from './ephemeral/index.js';

/** Per-controller settings; `false` leaves a controller out. */
export interface ControllersConfig {
  job?: false | { backoff?: Partial<PodFailureBackoffSettings>; apiBackoff?: { baseMs: number; maxMs: number }; workers?: number; syncJobBatchPeriodMs?: number };
  garbagecollector?: false | { workers?: number; resources?: GarbageCollectorDeps['resources'] };
  namespace?: false | { workers?: number; remainingContentDelayMs?: (estimateSeconds: number) => number };
  ttlafterfinished?: false | { workers?: number };
  cronjob?: false | { workers?: number };
  podgc?: false | { terminatedPodThreshold?: number };
  scheduler?: false | { schedulerName?: string; queue?: SchedulingQueueOptions };
  disruption?: false | { workers?: number };
  nodelifecycle?: false | { workers?: number };
  tainteviction?: false | object;
  endpoint?: false | { workers?: number };
  endpointslice?: false | { workers?: number; maxEndpointsPerSlice?: number };
  endpointslicemirroring?: false | { workers?: number };
  ephemeral?: false | { workers?: number };
}

export interface ControllerManagerOptions {
  /** Path of a kubeconfig to reach the API server. */
  kubeconfig?: string;
  /** Or the resolved connection. */
  clientConfig?: ClientConfig;
  /** Or a ready clientset (tests); the manager does not close it. */
  clientset?: Clientset;
  logger?: Logger;
  controllers?: ControllersConfig;
  /** Aborting it stops the manager as `stop()` does. */
  signal?: AbortSignal;
  /** Timers and clock of every controller. @defaultValue real timers */
  scheduler?: Scheduler;
}

/** The running controllers. */
export interface ControllerManager {
  readonly clientset: Clientset;
  readonly informers: InformerFactory;
  readonly job?: JobController;
  readonly garbageCollector?: GarbageCollector;
  readonly namespace?: NamespaceController;
  readonly ttlAfterFinished?: TTLAfterFinishedController;
  readonly cronJob?: CronJobController;
  readonly podGC?: PodGCController;
  readonly scheduler?: PodScheduler;
  readonly disruption?: DisruptionController;
  readonly nodeLifecycle?: NodeLifecycleController;
  readonly taintEviction?: TaintEvictionController;
  readonly endpoints?: EndpointsController;
  readonly endpointSlices?: EndpointSliceController;
  readonly endpointSliceMirroring?: EndpointSliceMirroringController;
  readonly ephemeralVolume?: EphemeralVolumeController;
  /** Resolves once every informer has listed. */
  waitForCacheSync(): Promise<boolean>;
  /** Stops every loop, waits for in-flight work, flushes events. Idempotent. */
  stop(): Promise<void>;
}

/** A logger that adds `fields` to every entry. */
function withFields(logger: Logger, fields: LogFields): Logger {
  return {
    debug: (m, f) => logger.debug(m, { ...fields, ...f }),
    info: (m, f) => logger.info(m, { ...fields, ...f }),
    warn: (m, f) => logger.warn(m, { ...fields, ...f }),
    error: (m, f) => logger.error(m, { ...fields, ...f }),
  };
}

function enabled<T extends object>(c: false | T | undefined): T | undefined {
  return c === false ? undefined : (c ?? ({} as T));
}

/** Builds and starts every enabled controller on one shared informer factory. */
export function startControllers(opts: ControllerManagerOptions): ControllerManager {
  const logger = opts.logger ?? noopLogger;
  const scheduler = opts.scheduler ?? realScheduler;
  let ownedClientset: RestClientset | undefined;
  let clientset: Clientset;
  if (opts.clientset) clientset = opts.clientset;
  else {
    const config = opts.clientConfig ?? (opts.kubeconfig ? loadKubeconfig(opts.kubeconfig) : undefined);
    if (!config) throw new Error('startControllers: one of kubeconfig, clientConfig or clientset is required');
    clientset = ownedClientset = new RestClientset({ userAgent: 'jobyard-controller-manager', ...config });
  }
  const informers = new InformerFactory(clientset, { scheduler, logger: withFields(logger, { component: 'informers' }) });
  const recorders: ClientEventRecorder[] = [];
  const recorder = (component: string, log: Logger) => {
    const r = new ClientEventRecorder({ events: clientset.events, component, clock: scheduler, logger: log });
    recorders.push(r);
    return r;
  };
  const cfg = opts.controllers ?? {};
  const runs: { name: string; run: (signal: AbortSignal) => Promise<void> }[] = [];

  let job: JobController | undefined;
  const jobCfg = enabled(cfg.job);
  if (jobCfg) {
    const log = withFields(logger, { controller: 'job' });
    const jc = new JobController({
      clientset,
      informers,
      scheduler,
      recorder: recorder('job-controller', log),
      backoff: jobCfg.backoff,
      apiBackoff: jobCfg.apiBackoff,
      ...(jobCfg.syncJobBatchPeriodMs !== undefined ? { syncJobBatchPeriodMs: jobCfg.syncJobBatchPeriodMs } : {}),
      logger: log,
    });
    job = jc;
    runs.push({ name: 'job', run: (s) => jc.run(s, jobCfg.workers ?? 5) });
  }

  let garbageCollector: GarbageCollector | undefined;
  const gcCfg = enabled(cfg.garbagecollector);
  if (gcCfg) {
    const gc = new GarbageCollector({ clientset, informers, scheduler, resources: gcCfg.resources, logger: withFields(logger, { controller: 'garbagecollector' }) });
    garbageCollector = gc;
    runs.push({ name: 'garbagecollector', run: (s) => gc.run(s, gcCfg.workers ?? 5) });
  }

  let namespace: NamespaceController | undefined;
  const nsCfg = enabled(cfg.namespace);
  if (nsCfg) {
    const nc = new NamespaceController({
      clientset,
      informers,
      scheduler,
      remainingContentDelayMs: nsCfg.remainingContentDelayMs,
      logger: withFields(logger, { controller: 'namespace' }),
    });
    namespace = nc;
    runs.push({ name: 'namespace', run: (s) => nc.run(s, nsCfg.workers ?? 2) });
  }

  let ttlAfterFinished: TTLAfterFinishedController | undefined;
  const ttlCfg = enabled(cfg.ttlafterfinished);
  if (ttlCfg) {
    const tc = new TTLAfterFinishedController({ clientset, informers, scheduler, logger: withFields(logger, { controller: 'ttlafterfinished' }) });
    ttlAfterFinished = tc;
    runs.push({ name: 'ttlafterfinished', run: (s) => tc.run(s, ttlCfg.workers ?? 1) });
  }

  let cronJob: CronJobController | undefined;
  const cronCfg = enabled(cfg.cronjob);
  if (cronCfg) {
    const log = withFields(logger, { controller: 'cronjob' });
    const cc = new CronJobController({ clientset, informers, scheduler, recorder: recorder('cronjob-controller', log), logger: log });
    cronJob = cc;
    runs.push({ name: 'cronjob', run: (s) => cc.run(s, cronCfg.workers ?? 1) });
  }

  let ephemeralVolume: EphemeralVolumeController | undefined;
  const ephemeralCfg = enabled(cfg.ephemeral);
  if (ephemeralCfg) {
    const log = withFields(logger, { controller: 'ephemeral-volume' });
    const ec = new EphemeralVolumeController({ clientset, informers, scheduler, recorder: recorder('ephemeral_volume', log), logger: log });
    ephemeralVolume = ec;
    runs.push({ name: 'ephemeral-volume', run: (s) => ec.run(s, ephemeralCfg.workers ?? 1) });
  }

  let podGC: PodGCController | undefined;
  const podgcCfg = enabled(cfg.podgc);
  if (podgcCfg) {
    const pc = new PodGCController({
      clientset,
      informers,
      scheduler,
      terminatedPodThreshold: podgcCfg.terminatedPodThreshold,
      logger: withFields(logger, { controller: 'podgc' }),
    });
    podGC = pc;
    runs.push({ name: 'podgc', run: (s) => pc.run(s) });
  }

  let podScheduler: PodScheduler | undefined;
  const schedCfg = enabled(cfg.scheduler);
  if (schedCfg) {
    const log = withFields(logger, { controller: 'scheduler' });
    const ps = new PodScheduler({
      clientset,
      informers,
      scheduler,
      schedulerName: schedCfg.schedulerName,
      queue: schedCfg.queue,
      recorder: recorder(schedCfg.schedulerName ?? 'default-scheduler', log),
      logger: log,
    });
    podScheduler = ps;
    runs.push({ name: 'scheduler', run: (s) => ps.run(s) });
  }

  let disruption: DisruptionController | undefined;
  const disruptionCfg = enabled(cfg.disruption);
  if (disruptionCfg) {
    const log = withFields(logger, { controller: 'disruption' });
    const dc = new DisruptionController({ clientset, informers, scheduler, recorder: recorder('controllermanager', log), logger: log });
    disruption = dc;
    runs.push({ name: 'disruption', run: (s) => dc.run(s, disruptionCfg.workers ?? 1) });
  }

  let nodeLifecycle: NodeLifecycleController | undefined;
  const lifecycleCfg = enabled(cfg.nodelifecycle);
  if (lifecycleCfg) {
    const nl = new NodeLifecycleController({ clientset, informers, scheduler, logger: withFields(logger, { controller: 'nodelifecycle' }) });
    nodeLifecycle = nl;
    runs.push({ name: 'nodelifecycle', run: (s) => nl.run(s, lifecycleCfg.workers ?? 1) });
  }

  let taintEviction: TaintEvictionController | undefined;
  if (enabled(cfg.tainteviction)) {
    const log = withFields(logger, { controller: 'tainteviction' });
    const te = new TaintEvictionController({ clientset, informers, scheduler, recorder: recorder('taint-eviction-controller', log), logger: log });
    taintEviction = te;
    runs.push({ name: 'tainteviction', run: (s) => te.run(s) });
  }

  let endpoints: EndpointsController | undefined;
  const endpointCfg = enabled(cfg.endpoint);
  if (endpointCfg) {
    const ec = new EndpointsController({ clientset, informers, scheduler, logger: withFields(logger, { controller: 'endpoint' }) });
    endpoints = ec;
    runs.push({ name: 'endpoint', run: (s) => ec.run(s, endpointCfg.workers ?? 1) });
  }

  let endpointSlices: EndpointSliceController | undefined;
  const sliceCfg = enabled(cfg.endpointslice);
  if (sliceCfg) {
    const esc = new EndpointSliceController({ clientset, informers, scheduler, logger: withFields(logger, { controller: 'endpointslice' }), maxEndpointsPerSlice: sliceCfg.maxEndpointsPerSlice });
    endpointSlices = esc;
    runs.push({ name: 'endpointslice', run: (s) => esc.run(s, sliceCfg.workers ?? 1) });
  }

  let endpointSliceMirroring: EndpointSliceMirroringController | undefined;
  const mirroringCfg = enabled(cfg.endpointslicemirroring);
  if (mirroringCfg) {
    const mc = new EndpointSliceMirroringController({ clientset, informers, scheduler, logger: withFields(logger, { controller: 'endpointslicemirroring' }) });
    endpointSliceMirroring = mc;
    runs.push({ name: 'endpointslicemirroring', run: (s) => mc.run(s, mirroringCfg.workers ?? 1) });
  }

  // Every controller has registered its informers: start them, then the loops.
  const ac = new AbortController();
  // Every informer, queue and worker listens on this one signal.
  setMaxListeners(0, ac.signal);
  const onOuterAbort = () => void handle.stop();
  informers.start(ac.signal);
  const running = runs.map(({ name, run }) =>
    run(ac.signal).catch((err: unknown) => logger.error('controller stopped with an error', { controller: name, error: errorMessage(err) })),
  );
  logger.info('controllers started', { controllers: runs.map((r) => r.name) });

  let stopping: Promise<void> | undefined;
  const handle: ControllerManager = {
    clientset,
    informers,
    job,
    garbageCollector,
    namespace,
    ttlAfterFinished,
    cronJob,
    podGC,
    scheduler: podScheduler,
    disruption,
    nodeLifecycle,
    taintEviction,
    endpoints,
    endpointSlices,
    endpointSliceMirroring,
    ephemeralVolume,
    waitForCacheSync: () => informers.waitForCacheSync(ac.signal),
    stop() {
      stopping ??= (async () => {
        opts.signal?.removeEventListener('abort', onOuterAbort);
        ac.abort();
        await Promise.all(running);
        for (const r of recorders) r.stop();
        await Promise.all(recorders.map((r) => r.flush().catch(() => {})));
        ownedClientset?.close();
        logger.info('controllers stopped');
      })();
      return stopping;
    },
  };
  if (opts.signal?.aborted) void handle.stop();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  return handle;
}
