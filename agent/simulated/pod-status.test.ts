import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { afterExit, configErrorStatus, parseSimulation, runningSince, runningStatus, terminatedStatus } from './pod-status.js';

function pod(o: { annotations?: Record<string, string>; restartPolicy?: string; init?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations: o.annotations },
    spec: {
      restartPolicy: o.restartPolicy ?? 'Never',
      nodeName: 'sim-node-0',
      ...(o.init ? { initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] } : {}),
      containers: [{ name: 'a', image: 'busybox:1.36' }, { name: 'b', image: 'alpine' }],
    },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  } as Pod;
}

const T0 = new Date('2026-01-01T00:00:05Z');

describe('parseSimulation', () => {
  it('reads the duration (Go syntax) and exit code; absent duration: until deleted', () => {
    expect(parseSimulation(pod())).toEqual({ durationMs: undefined, exitCode: 0 });
    expect(parseSimulation(pod({ annotations: { 'simulated.jobyard.io/duration': '1m30s', 'simulated.jobyard.io/exit-code': '3' } }))).toEqual({ durationMs: 90_000, exitCode: 3 });
    expect(parseSimulation(pod({ annotations: { 'simulated.jobyard.io/duration': '0s' } }))).toEqual({ durationMs: 0, exitCode: 0 });
  });

  it('names the annotation and the value it cannot use', () => {
    expect(parseSimulation(pod({ annotations: { 'simulated.jobyard.io/duration': '5' } }))).toEqual({ error: 'annotation simulated.jobyard.io/duration: invalid duration "5" (a Go duration such as "2s" or "1m30s")' });
    expect(parseSimulation(pod({ annotations: { 'simulated.jobyard.io/duration': '-1s' } }))).toHaveProperty('error');
    for (const bad of ['256', '-1', 'one', '1.5']) {
      expect(parseSimulation(pod({ annotations: { 'simulated.jobyard.io/exit-code': bad } })), bad).toEqual({ error: `annotation simulated.jobyard.io/exit-code: invalid exit code "${bad}" (an integer from 0 to 255)` });
    }
  });
});

describe('afterExit (restartPolicy)', () => {
  it('Never ends the pod; OnFailure restarts on failure only; Always restarts', () => {
    expect(afterExit(pod({ restartPolicy: 'Never' }), 0)).toBe('Succeeded');
    expect(afterExit(pod({ restartPolicy: 'Never' }), 2)).toBe('Failed');
    expect(afterExit(pod({ restartPolicy: 'OnFailure' }), 0)).toBe('Succeeded');
    expect(afterExit(pod({ restartPolicy: 'OnFailure' }), 1)).toBe('restart');
    expect(afterExit(pod({ restartPolicy: 'Always' }), 0)).toBe('restart');
  });
});

describe('runningStatus', () => {
  it('is Running and Ready, with IPs, start time, running containers and completed init containers', () => {
    const s = runningStatus(pod({ init: true }), { now: T0, hostIP: '172.30.0.1', podIP: '10.244.0.7', restartCount: 0 });
    expect(s.phase).toBe('Running');
    expect(s.startTime).toBe('2026-01-01T00:00:05Z');
    expect(s.hostIP).toBe('172.30.0.1');
    expect(s.podIPs).toEqual([{ ip: '10.244.0.7' }]);
    expect(Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c.status]))).toEqual({ PodScheduled: 'True', PodReadyToStartContainers: 'True', Initialized: 'True', ContainersReady: 'True', Ready: 'True' });
    // PodScheduled kept its transition time.
    expect(s.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(s.containerStatuses?.map((c) => [c.name, c.ready, c.started, c.restartCount, c.state?.running?.startedAt, c.containerID, c.imageID])).toEqual([
      ['a', true, true, 0, '2026-01-01T00:00:05Z', 'simulated://u1/a', 'simulated://busybox:1.36'],
      ['b', true, true, 0, '2026-01-01T00:00:05Z', 'simulated://u1/b', 'simulated://alpine'],
    ]);
    expect(s.initContainerStatuses?.map((c) => [c.name, c.state?.terminated?.exitCode, c.state?.terminated?.reason])).toEqual([
      ['i1', 0, 'Completed'],
      ['i2', 0, 'Completed'],
    ]);
  });

  it('after a restart: restartCount and the last run in lastState', () => {
    const s = runningStatus(pod({ restartPolicy: 'OnFailure' }), { now: T0, startedAt: T0, hostIP: 'h', podIP: 'p', restartCount: 2, lastExit: { exitCode: 1, startedAt: 'A', finishedAt: 'B' } });
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 2, state: { running: { startedAt: '2026-01-01T00:00:05Z' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: 'A', finishedAt: 'B' } } });
  });
});

describe('terminatedStatus', () => {
  it('Succeeded: every container terminated Completed with exit 0, started at its running time; not Ready', () => {
    const p = pod();
    p.status = runningStatus(p, { now: T0, hostIP: 'h', podIP: '10.244.0.1', restartCount: 0 });
    const s = terminatedStatus(p, 'Succeeded', 0, new Date('2026-01-01T00:00:07Z'));
    expect(s.phase).toBe('Succeeded');
    expect(s.podIP).toBe('10.244.0.1');
    expect(s.containerStatuses?.map((c) => [c.ready, c.started, c.state?.running, c.state?.terminated])).toEqual([
      [false, false, undefined, { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:05Z', finishedAt: '2026-01-01T00:00:07Z', containerID: 'simulated://u1/a' }],
      [false, false, undefined, { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:05Z', finishedAt: '2026-01-01T00:00:07Z', containerID: 'simulated://u1/b' }],
    ]);
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted', lastTransitionTime: '2026-01-01T00:00:07Z' });
  });

  it('Failed: reason Error with the exit code', () => {
    const s = terminatedStatus(pod(), 'Failed', 137, T0);
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });
});

describe('configErrorStatus and runningSince', () => {
  it('keeps the pod Pending with CreateContainerConfigError', () => {
    const s = configErrorStatus(pod(), 'bad', T0);
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'bad' } });
  });

  it('reads when the current containers started, for a node picking pods up again', () => {
    const p = pod();
    expect(runningSince(p)).toBeUndefined();
    p.status = runningStatus(p, { now: T0, hostIP: 'h', podIP: 'p', restartCount: 0 });
    expect(runningSince(p)).toBe(T0.getTime());
  });
});
