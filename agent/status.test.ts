import { describe, expect, it } from 'vitest';
import type { Container, ContainerStatus, Pod, PodStatus } from '../api/index.js';
import type { RuntimeContainer, RuntimePod } from './runtime-pod.js';
import {
  containersReadyCondition,
  convertContainerStatuses,
  generatePodStatus,
  getPhase,
  podInitializedCondition,
  sameStatus,
  type StatusInput,
  withTransitionTimes,
} from './status.js';

const NOW = new Date('2026-01-01T00:10:00Z');
const c = (name: string): Container => ({ name, image: 'busybox:1.36' });

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never', containers: string[], inits: string[] = [], status: PodStatus = { phase: 'Pending', qosClass: 'BestEffort' }): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
    spec: { restartPolicy, containers: containers.map(c), ...(inits.length ? { initContainers: inits.map(c) } : {}) },
    status,
  };
}

type S = 'running' | 'waiting' | `exit:${number}` | `wait-after:${number}` | 'missing';

/** An API container status in a given state (for getPhase and the conditions). */
function cs(name: string, s: S, ready = false): ContainerStatus {
  const base: ContainerStatus = { name, ready, restartCount: 0, image: 'busybox:1.36', imageID: '', state: {}, lastState: {} };
  if (s === 'running') base.state = { running: { startedAt: '2026-01-01T00:00:00Z' } };
  else if (s === 'waiting') base.state = { waiting: { reason: 'ContainerCreating' } };
  else if (s.startsWith('exit:')) base.state = { terminated: { exitCode: Number(s.slice(5)) } };
  else if (s.startsWith('wait-after:')) {
    base.state = { waiting: { reason: 'CrashLoopBackOff' } };
    base.lastState = { terminated: { exitCode: Number(s.slice(11)) } };
  }
  return base;
}

function statuses(spec: Record<string, S>): ContainerStatus[] {
  return Object.entries(spec)
    .filter(([, s]) => s !== 'missing')
    .map(([n, s]) => cs(n, s));
}

describe('getPhase (kubelet_pods.go)', () => {
  const cases: [string, Parameters<typeof pod>[0], Record<string, S>, Record<string, S>, boolean, string][] = [
    ['all containers waiting: Pending', 'Always', {}, { a: 'waiting', b: 'waiting' }, false, 'Pending'],
    ['one running, one waiting: Pending', 'Always', {}, { a: 'running', b: 'waiting' }, false, 'Pending'],
    ['all running: Running', 'Never', {}, { a: 'running', b: 'running' }, false, 'Running'],
    ['one running, one exited: Running', 'Never', {}, { a: 'running', b: 'exit:1' }, false, 'Running'],
    ['all exited 0 under Never: Succeeded', 'Never', {}, { a: 'exit:0', b: 'exit:0' }, false, 'Succeeded'],
    ['all exited, one failed, Never: Failed', 'Never', {}, { a: 'exit:0', b: 'exit:2' }, false, 'Failed'],
    ['all exited 0 under OnFailure: Succeeded', 'OnFailure', {}, { a: 'exit:0' }, false, 'Succeeded'],
    ['a failure under OnFailure restarts: Running', 'OnFailure', {}, { a: 'exit:1' }, false, 'Running'],
    ['crash loop (waiting after a failure) under OnFailure: Running', 'OnFailure', {}, { a: 'wait-after:1' }, false, 'Running'],
    ['all exited under Always: Running (restarting)', 'Always', {}, { a: 'exit:0' }, false, 'Running'],
    ['all exited under Always but terminal: Succeeded', 'Always', {}, { a: 'exit:0' }, true, 'Succeeded'],
    ['terminal with a failure: Failed', 'OnFailure', {}, { a: 'exit:137' }, true, 'Failed'],
    ['a status missing: Pending', 'Never', {}, { a: 'running', b: 'missing' }, false, 'Pending'],
    ['init running: Pending', 'Never', { i: 'running' }, { a: 'waiting' }, false, 'Pending'],
    ['init failed under Never: Failed', 'Never', { i: 'exit:1' }, { a: 'waiting' }, false, 'Failed'],
    ['init crash looping under Never: Failed', 'Never', { i: 'wait-after:1' }, { a: 'waiting' }, false, 'Failed'],
    ['init failed under OnFailure (to be restarted): Pending', 'OnFailure', { i: 'wait-after:1' }, { a: 'waiting' }, false, 'Pending'],
    ['init done, app running: Running', 'Never', { i: 'exit:0' }, { a: 'running' }, false, 'Running'],
  ];
  it.each(cases)('%s', (_name, policy, inits, apps, terminal, want) => {
    const p = pod(policy, Object.keys(apps), Object.keys(inits));
    expect(getPhase(p, statuses(inits), statuses(apps), terminal)).toBe(want);
  });
});

describe('pod conditions (status/generate.go)', () => {
  it('Initialized: True without init containers; False with the incomplete ones named; PodCompleted once Succeeded', () => {
    expect(podInitializedCondition(pod('Never', ['a']), [], 'Pending')).toEqual({ type: 'Initialized', status: 'True' });
    const p = pod('Never', ['a'], ['i1', 'i2']);
    expect(podInitializedCondition(p, [cs('i1', 'exit:0'), cs('i2', 'running'), cs('a', 'waiting')], 'Pending')).toEqual({
      type: 'Initialized',
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [i2]',
    });
    expect(podInitializedCondition(p, [cs('i1', 'exit:0')], 'Pending').message).toBe('containers with unknown status: [i2]');
    expect(podInitializedCondition(p, [cs('i1', 'exit:0'), cs('i2', 'exit:0'), cs('a', 'exit:0')], 'Succeeded')).toEqual({ type: 'Initialized', status: 'True', reason: 'PodCompleted' });
  });

  it('ContainersReady: unready containers named; PodCompleted / PodFailed in terminal phases', () => {
    const p = pod('Never', ['a', 'b']);
    expect(containersReadyCondition(p, [cs('a', 'running', true), cs('b', 'running', false)], 'Running')).toEqual({
      type: 'ContainersReady',
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [b]',
    });
    expect(containersReadyCondition(p, [cs('a', 'running', true), cs('b', 'running', true)], 'Running')).toEqual({ type: 'ContainersReady', status: 'True' });
    expect(containersReadyCondition(p, [cs('a', 'exit:0'), cs('b', 'exit:0')], 'Succeeded').reason).toBe('PodCompleted');
    expect(containersReadyCondition(p, [cs('a', 'exit:0'), cs('b', 'exit:1')], 'Failed').reason).toBe('PodFailed');
    expect(containersReadyCondition(p, undefined, 'Pending').reason).toBe('UnknownContainerStatuses');
  });

  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const old = [{ type: 'Ready', status: 'False' as const, lastTransitionTime: '2026-01-01T00:00:00Z' }];
    expect(withTransitionTimes([{ type: 'Ready', status: 'False' }], old, NOW)[0].lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(withTransitionTimes([{ type: 'Ready', status: 'True' }], old, NOW)[0].lastTransitionTime).toBe('2026-01-01T00:10:00Z');
  });
});

function rc(name: string, attempt: number, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return {
    id: `${name}-${attempt}`,
    sandboxId: 'sb',
    name,
    metadata: { name, attempt },
    image: 'busybox:1.36',
    imageId: 'sha256:1',
    imageRef: 'busybox@sha256:1',
    state,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, attempt)),
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, attempt, 1)),
    ...(state === 'exited' ? { finishedAt: new Date(Date.UTC(2026, 0, 1, 0, attempt, 5)), exitCode: 1, reason: 'Error' as const } : {}),
    labels: {},
    annotations: {},
    oomKilled: false,
    mounts: [],
    ...extra,
  };
}

function input(p: Pod, containers: RuntimeContainer[], extra: Partial<StatusInput> = {}): StatusInput {
  const runtime: RuntimePod = { uid: 'uid-1', sandboxes: [], containers: [...containers].sort((a, b) => b.metadata.attempt - a.metadata.attempt) };
  return { pod: p, runtime, runtimeName: 'docker', now: NOW, hostIP: '192.0.2.10', podIP: '172.17.0.2', sandboxReady: true, startTime: '2026-01-01T00:00:00Z', ...extra };
}

describe('container statuses (convertToAPIContainerStatuses)', () => {
  it('defaults to waiting ContainerCreating (PodInitializing with init containers); app statuses sorted by name', () => {
    const p = pod('Always', ['b', 'a'], ['init']);
    const apps = convertContainerStatuses(input(p, []), p.spec.containers, undefined, false);
    expect(apps.map((s) => [s.name, s.state?.waiting?.reason])).toEqual([
      ['a', 'PodInitializing'],
      ['b', 'PodInitializing'],
    ]);
    const plain = pod('Always', ['a']);
    expect(convertContainerStatuses(input(plain, []), plain.spec.containers, undefined, false)[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });

  it('the newest instance is the state, the one before is lastState, restartCount is its attempt', () => {
    const p = pod('Always', ['a']);
    const [s] = convertContainerStatuses(input(p, [rc('a', 0, 'exited'), rc('a', 1, 'running')]), p.spec.containers, undefined, false);
    expect(s.restartCount).toBe(1);
    expect(s.containerID).toBe('docker://a-1');
    expect(s.state).toEqual({ running: { startedAt: '2026-01-01T00:01:01Z' } });
    expect(s.lastState).toEqual({
      terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:05Z', containerID: 'docker://a-0' },
    });
    expect(s.imageID).toBe('busybox@sha256:1');
  });

  it('a container to be restarted with a start failure is waiting with that reason, its run in lastState', () => {
    const p = pod('OnFailure', ['a']);
    const reasons = new Map([['a', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_ns(uid-1)' }]]);
    const [s] = convertContainerStatuses(input(p, [rc('a', 0, 'exited')], { reasons }), p.spec.containers, undefined, false);
    expect(s.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_ns(uid-1)' } });
    expect(s.lastState?.terminated?.exitCode).toBe(1);
  });

  it('a terminated container of a Never pod stays terminated, whatever the reasons say', () => {
    const p = pod('Never', ['a']);
    const reasons = new Map([['a', { reason: 'CrashLoopBackOff', message: 'x' }]]);
    const [s] = convertContainerStatuses(input(p, [rc('a', 0, 'exited')], { reasons }), p.spec.containers, undefined, false);
    expect(s.state?.terminated?.exitCode).toBe(1);
  });

  it('a termination message from the container replaces the engine message', () => {
    const p = pod('Never', ['a']);
    const [s] = convertContainerStatuses(input(p, [rc('a', 0, 'exited', { terminationMessage: 'bye', message: 'engine' })]), p.spec.containers, undefined, false);
    expect(s.state?.terminated?.message).toBe('bye');
  });

  it('a container that was running and vanished is reported terminated, not waiting', () => {
    const p = pod('Always', ['a']);
    const previous = [cs('a', 'running')];
    const [s] = convertContainerStatuses(input(p, []), p.spec.containers, previous, false);
    expect(s.state?.waiting?.reason).toBe('ContainerCreating');
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(s.restartCount).toBe(1);
  });
});

describe('generatePodStatus', () => {
  it('a pending pod: phase, conditions in the kubelet order, IPs, startTime and the server qosClass', () => {
    const p = pod('Never', ['a']);
    const s = generatePodStatus(input(p, [], { sandboxReady: false, podIP: '' }));
    expect(s.phase).toBe('Pending');
    expect(s.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
    expect(s.conditions?.every((x) => x.lastProbeTime === null && x.lastTransitionTime === '2026-01-01T00:10:00Z')).toBe(true);
    expect(s).toMatchObject({ hostIP: '192.0.2.10', hostIPs: [{ ip: '192.0.2.10' }], startTime: '2026-01-01T00:00:00Z', qosClass: 'BestEffort' });
    expect(s.podIP).toBeUndefined();
  });

  it('keeps other components\' conditions and the reason of an unchanged phase', () => {
    const p = pod('Never', ['a'], [], {
      phase: 'Running',
      reason: 'SomeReason',
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }],
    });
    const s = generatePodStatus(input(p, [rc('a', 0, 'running')]));
    expect(s.reason).toBe('SomeReason');
    expect(s.conditions?.[0]).toEqual({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' });
  });

  it('a terminal phase never goes back', () => {
    const p = pod('Always', ['a'], [], { phase: 'Failed' });
    expect(generatePodStatus(input(p, [rc('a', 0, 'running')])).phase).toBe('Failed');
  });

  it('eviction (activeDeadlineSeconds): Failed with the reason; unfinished containers terminated 137', () => {
    const p = pod('Always', ['a', 'b'], [], { phase: 'Running' });
    const s = generatePodStatus(input(p, [rc('a', 0, 'exited', { exitCode: 137 })], { eviction: { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' } }));
    expect(s).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(s.containerStatuses?.map((x) => x.state?.terminated?.reason)).toEqual(['Error', 'ContainerStatusUnknown']);
  });

  it('compares statuses regardless of key order', () => {
    expect(sameStatus({ phase: 'Running', hostIP: 'a' }, { hostIP: 'a', phase: 'Running' })).toBe(true);
    expect(sameStatus({ phase: 'Running' }, { phase: 'Pending' })).toBe(false);
  });
});
