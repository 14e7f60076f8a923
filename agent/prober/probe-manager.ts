// The kubelet's probe manager and workers (pkg/kubelet/prober/prober_manager.go, worker.go):
// one worker per (pod, container, probe type). A worker probes the current container
// instance at `startedAt + initialDelaySeconds`, then every `periodSeconds`, each probe
// bounded by `timeoutSeconds`; `failureThreshold` failures (or `successThreshold` successes)
// in a row change the published result. Initial results: readiness Failure, liveness Success,
// startup Unknown. Liveness and readiness wait for the startup probe to succeed; a failed
// liveness or startup result puts the worker on hold until a new container instance runs.
// Every failed probe records an `Unhealthy` event; a changed result asks for a pod sync.
import type { Container, Pod, Probe } from '../../api/index.js';
import type { DeepReadonly, EventRecorder, Logger, Scheduler, TimerHandle } from '../../client/index.js';
import { noopLogger } from '../../client/index.js';
import type { ContainerRuntime } from '../runtime/index.js';
import type { ProbeStatus } from '../status.js';
import { type NetworkProber, type ProbeResult, runProbe } from './prober.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type PublishedResult = 'success' | 'failure' | 'unknown';

/** The running instance of a container, as the kubelet last saw it. */
export interface RunningContainer {
  name: string;
  id: string;
  startedAt: Date;
}

export interface ProbeManagerDeps {
  runtime: ContainerRuntime;
  network: NetworkProber;
  scheduler: Scheduler;
  recorder: EventRecorder;
  /** Called when a published result changes: the pod should sync. */
  onResultChange: (podUID: string) => void;
  logger?: Logger;
}

const INITIAL: Record<ProbeType, PublishedResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };
const LABEL: Record<ProbeType, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

interface Worker {
  podUID: string;
  containerName: string;
  type: ProbeType;
  probe: Probe;
  container: Container;
  /** Current instance, and when it started. */
  containerId: string;
  startedAt?: Date;
  running: boolean;
  lastResult?: 'success' | 'failure';
  resultRun: number;
  onHold: boolean;
  published: PublishedResult;
  lastProbeAt?: number;
  timer?: TimerHandle;
  probing: boolean;
  stopped: boolean;
}

interface PodEntry {
  pod: DeepReadonly<Pod> | Pod;
  podIP: string;
  workers: Map<string, Worker>;
}

function probeOf(c: Container, type: ProbeType): Probe | undefined {
  return type === 'liveness' ? c.livenessProbe : type === 'readiness' ? c.readinessProbe : c.startupProbe;
}

/** Runs and remembers probes for the pods of this node. */
export class ProbeManager {
  private readonly deps: ProbeManagerDeps;
  private readonly logger: Logger;
  private readonly pods = new Map<string, PodEntry>();

  constructor(deps: ProbeManagerDeps) {
    this.deps = deps;
    this.logger = deps.logger ?? noopLogger;
  }

  /**
   * Tells the manager the pod's spec, IP and running containers (called at every pod sync).
   * Creates workers for containers with probes and (re)schedules them.
   */
  updatePod(pod: DeepReadonly<Pod> | Pod, podIP: string, running: RunningContainer[]): void {
    const uid = pod.metadata.uid ?? '';
    let entry = this.pods.get(uid);
    if (!entry) {
      entry = { pod, podIP, workers: new Map() };
      this.pods.set(uid, entry);
      for (const c of pod.spec.containers as Container[]) {
        for (const type of ['startup', 'liveness', 'readiness'] as ProbeType[]) {
          const probe = probeOf(c, type);
          if (!probe) continue;
          entry.workers.set(`${c.name}/${type}`, {
            podUID: uid,
            containerName: c.name,
            type,
            probe,
            container: c,
            containerId: '',
            running: false,
            resultRun: 0,
            onHold: false,
            published: INITIAL[type],
            probing: false,
            stopped: false,
          });
        }
      }
    }
    entry.pod = pod;
    entry.podIP = podIP;
    for (const w of entry.workers.values()) {
      const cur = running.find((r) => r.name === w.containerName);
      if (!cur) {
        if (w.running) {
          // The instance stopped: readiness drops at once.
          w.running = false;
          if (w.type === 'readiness' && w.published !== 'failure') this.publish(w, 'failure');
        }
        this.cancel(w);
        continue;
      }
      if (cur.id !== w.containerId) {
        // A new instance: start over with the initial result, off hold.
        w.containerId = cur.id;
        w.startedAt = cur.startedAt;
        w.lastResult = undefined;
        w.resultRun = 0;
        w.onHold = false;
        w.lastProbeAt = undefined;
        w.published = INITIAL[w.type];
      }
      w.running = true;
      this.schedule(w);
    }
  }

  /** Stops every worker of a pod and forgets its results. */
  removePod(uid: string): void {
    const entry = this.pods.get(uid);
    if (!entry) return;
    for (const w of entry.workers.values()) {
      w.stopped = true;
      this.cancel(w);
    }
    this.pods.delete(uid);
  }

  /** The published result of a probe for a container instance (undefined: no such probe). */
  result(uid: string, containerName: string, type: ProbeType, containerId: string): PublishedResult | undefined {
    const w = this.pods.get(uid)?.workers.get(`${containerName}/${type}`);
    if (!w) return undefined;
    if (w.containerId !== containerId) return INITIAL[type];
    return w.published;
  }

  /** ProbeStatus for the status computation of one pod. */
  statusFor(uid: string): ProbeStatus {
    return {
      started: (name, id) => {
        const r = this.result(uid, name, 'startup', id);
        return r === undefined || r === 'success';
      },
      ready: (name, id) => {
        const r = this.result(uid, name, 'readiness', id);
        return r === undefined || r === 'success';
      },
    };
  }

  /** Whether the liveness (or startup) probe failed for this instance: the container must be killed. */
  failed(uid: string, containerName: string, containerId: string): 'liveness' | 'startup' | undefined {
    if (this.result(uid, containerName, 'liveness', containerId) === 'failure') return 'liveness';
    if (this.result(uid, containerName, 'startup', containerId) === 'failure') return 'startup';
    return undefined;
  }

  /** Stops everything. */
  stop(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  private cancel(w: Worker): void {
    if (w.timer) this.deps.scheduler.clearTimer(w.timer);
    w.timer = undefined;
  }

  private startupDone(w: Worker): boolean {
    const s = this.pods.get(w.podUID)?.workers.get(`${w.containerName}/startup`);
    return !s || (s.containerId === w.containerId && s.published === 'success');
  }

  /** When the next probe is due for a running, probing worker; undefined when it must not probe. */
  private nextDue(w: Worker): number | undefined {
    if (!w.running || w.onHold || w.stopped || !w.startedAt) return undefined;
    if (w.type === 'startup' && w.published === 'success') return undefined;
    if (w.type !== 'startup' && !this.startupDone(w)) return undefined;
    const first = w.startedAt.getTime() + (w.probe.initialDelaySeconds ?? 0) * 1000;
    if (w.lastProbeAt === undefined) return first;
    return Math.max(first, w.lastProbeAt + (w.probe.periodSeconds ?? 10) * 1000);
  }

  private schedule(w: Worker): void {
    if (w.probing) return; // rescheduled when the probe in flight ends
    this.cancel(w);
    const due = this.nextDue(w);
    if (due === undefined) return;
    const delay = Math.max(0, due - this.deps.scheduler.now().getTime());
    w.timer = this.deps.scheduler.setTimer(() => {
      w.timer = undefined;
      void this.doProbe(w);
    }, delay);
  }

  private async doProbe(w: Worker): Promise<void> {
    const entry = this.pods.get(w.podUID);
    if (!entry || w.stopped || !w.running || w.onHold) return;
    w.probing = true;
    const id = w.containerId;
    w.lastProbeAt = this.deps.scheduler.now().getTime();
    let outcome: { result: ProbeResult; output: string };
    try {
      outcome = await runProbe(w.probe, { container: w.container, containerId: id, podIP: entry.podIP, timeoutMs: (w.probe.timeoutSeconds ?? 1) * 1000 }, this.deps.runtime, this.deps.network);
    } finally {
      w.probing = false;
    }
    if (w.stopped || w.containerId !== id || !w.running) {
      this.schedule(w);
      return;
    }
    const result: 'success' | 'failure' = outcome.result === 'failure' ? 'failure' : 'success';
    if (outcome.result === 'failure') {
      this.deps.recorder.event(entry.pod, 'Warning', 'Unhealthy', `${LABEL[w.type]} probe failed: ${outcome.output}`);
    } else if (outcome.result === 'warning') {
      this.deps.recorder.event(entry.pod, 'Warning', 'ProbeWarning', `${LABEL[w.type]} probe warning: ${outcome.output}`);
    }
    if (w.lastResult === result) w.resultRun++;
    else {
      w.lastResult = result;
      w.resultRun = 1;
    }
    const threshold = result === 'failure' ? (w.probe.failureThreshold ?? 3) : (w.probe.successThreshold ?? 1);
    if (w.resultRun >= threshold) {
      if (w.published !== result) this.publish(w, result);
      if ((w.type === 'liveness' || w.type === 'startup') && result === 'failure') {
        w.onHold = true;
        w.resultRun = 0;
      }
    }
    this.schedule(w);
  }

  private publish(w: Worker, result: PublishedResult): void {
    w.published = result;
    this.logger.debug('probe result changed', { pod: w.podUID, container: w.containerName, probe: w.type, result });
    if (w.type === 'startup' && result === 'success') {
      // Liveness and readiness may start now.
      const entry = this.pods.get(w.podUID);
      for (const other of entry?.workers.values() ?? []) if (other !== w && other.containerName === w.containerName) this.schedule(other);
    }
    this.deps.onResultChange(w.podUID);
  }
}
