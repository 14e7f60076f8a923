// Object builders for tests and component states (Headlamp's stories, in our words).
import type { Job, JobCondition } from '../../../../api/batch.js';
import type { ContainerStatus, Event, Pod, PodPhase } from '../../../../api/core.js';

export interface NewJobOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  completions?: number | null;
  parallelism?: number;
  succeeded?: number;
  failed?: number;
  active?: number;
  ready?: number;
  terminating?: number;
  startTime?: string;
  completionTime?: string;
  conditions?: JobCondition[];
  suspend?: boolean;
  labels?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export function newJob(o: NewJobOptions = {}): Job {
  const name = o.name ?? 'busybox';
  const uid = o.uid ?? `uid-${name}`;
  const spec: Job['spec'] = {
    parallelism: o.parallelism ?? 1,
    backoffLimit: 6,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    template: {
      metadata: { labels: { app: name, 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name } },
      spec: { containers: [{ name: 'container-0', image: 'busybox:latest' }], restartPolicy: 'Never' },
    },
  };
  if (o.completions !== null) spec.completions = o.completions ?? 1;
  if (o.suspend !== undefined) spec.suspend = o.suspend;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid,
      resourceVersion: '1',
      creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z',
      labels: o.labels ?? { app: name },
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}),
    },
    spec,
    status: {
      ...(o.startTime ? { startTime: o.startTime } : {}),
      ...(o.completionTime ? { completionTime: o.completionTime } : {}),
      ...(o.active !== undefined ? { active: o.active } : {}),
      ...(o.succeeded !== undefined ? { succeeded: o.succeeded } : {}),
      ...(o.failed !== undefined ? { failed: o.failed } : {}),
      ...(o.ready !== undefined ? { ready: o.ready } : {}),
      ...(o.terminating !== undefined ? { terminating: o.terminating } : {}),
      ...(o.conditions ? { conditions: o.conditions } : {}),
    },
  };
}

export const condition = (type: JobCondition['type'], reason = '', message = '', lastTransitionTime = '2026-01-01T00:01:00Z'): JobCondition => ({
  type,
  status: 'True',
  reason,
  message,
  lastTransitionTime,
});

export interface NewPodOptions {
  name?: string;
  namespace?: string;
  job?: Job;
  phase?: PodPhase;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  initContainers?: string[];
  containers?: string[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
  conditions?: NonNullable<Pod['status']>['conditions'];
  reason?: string;
}

export function newPod(o: NewPodOptions = {}): Pod {
  const jobName = o.job?.metadata.name ?? 'busybox';
  const name = o.name ?? `${jobName}-abcde`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? o.job?.metadata.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z',
      labels: { 'batch.kubernetes.io/job-name': jobName, 'batch.kubernetes.io/controller-uid': o.job?.metadata.uid ?? `uid-${jobName}` },
      ownerReferences: o.job ? [{ apiVersion: 'batch/v1', kind: 'Job', name: jobName, uid: o.job.metadata.uid ?? '', controller: true }] : undefined,
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}),
    },
    spec: {
      initContainers: o.initContainers?.map((n) => ({ name: n, image: 'busybox' })),
      containers: (o.containers ?? ['container-0']).map((n) => ({ name: n, image: 'busybox' })),
      restartPolicy: 'Never',
      nodeName: 'local',
    },
    status: {
      phase: o.phase ?? 'Pending',
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.conditions ? { conditions: o.conditions } : {}),
      ...(o.containerStatuses ? { containerStatuses: o.containerStatuses } : {}),
      ...(o.initContainerStatuses ? { initContainerStatuses: o.initContainerStatuses } : {}),
    },
  };
}

export function containerStatus(name: string, state: ContainerStatus['state'], o: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, state, ready: false, restartCount: 0, image: 'busybox:latest', imageID: '', ...o };
}

export const terminated = (exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error', finishedAt = '2026-01-01T00:00:30Z') => ({ terminated: { exitCode, reason, finishedAt, startedAt: '2026-01-01T00:00:01Z' } });
export const waiting = (reason: string, message?: string) => ({ waiting: { reason, message } });
export const running = (startedAt = '2026-01-01T00:00:01Z') => ({ running: { startedAt } });

export function newEvent(o: { name?: string; kind?: string; object?: string; uid?: string; reason: string; message: string; type?: 'Normal' | 'Warning'; lastTimestamp?: string; count?: number }): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: o.name ?? `${o.object ?? 'busybox'}.${o.reason}`, namespace: 'default', uid: `ev-${o.name ?? o.reason}` },
    involvedObject: { kind: o.kind ?? 'Job', name: o.object ?? 'busybox', namespace: 'default', uid: o.uid },
    reason: o.reason,
    message: o.message,
    type: o.type ?? 'Normal',
    lastTimestamp: o.lastTimestamp ?? '2026-01-01T00:00:05Z',
    count: o.count ?? 1,
  };
}
