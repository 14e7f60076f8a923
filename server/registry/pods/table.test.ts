import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodCondition, PodPhase } from '../../../api/index.js';
import { pods } from './index.js';
import { podStatusCells } from './table.js';
import type { PodObject } from './types.js';

const NOW = new Date('2026-01-01T01:00:00Z');

const running = (name: string, ready = true, restartCount = 0, lastFinished?: string): ContainerStatus => ({
  name,
  ready,
  restartCount,
  image: 'busybox:1.36',
  imageID: '',
  started: true,
  state: { running: { startedAt: '2026-01-01T00:30:00Z' } },
  ...(lastFinished ? { lastState: { terminated: { exitCode: 1, finishedAt: lastFinished } } } : {}),
});
const waiting = (name: string, reason: string, restartCount = 0, lastFinished?: string): ContainerStatus => ({
  name,
  ready: false,
  restartCount,
  image: 'busybox:1.36',
  imageID: '',
  state: { waiting: { reason } },
  ...(lastFinished ? { lastState: { terminated: { exitCode: 1, finishedAt: lastFinished } } } : {}),
});
const terminated = (name: string, exitCode: number, reason?: string, signal?: number): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'busybox:1.36',
  imageID: '',
  state: { terminated: { exitCode, reason, signal, finishedAt: '2026-01-01T00:59:00Z' } },
});

function pod(opts: {
  phase?: string;
  init?: number;
  sidecar?: boolean;
  containers?: number;
  initStatuses?: ContainerStatus[];
  statuses?: ContainerStatus[];
  conditions?: PodCondition[];
  deleting?: boolean;
  reason?: string;
}): PodObject {
  const n = opts.containers ?? 1;
  return {
    metadata: {
      name: 'job-abcde',
      namespace: 'default',
      creationTimestamp: '2026-01-01T00:55:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T01:00:30Z' } : {}),
    },
    spec: {
      nodeName: 'node-1',
      initContainers: Array.from({ length: opts.init ?? 0 }, (_, i) => ({
        name: `init-${i}`,
        image: 'busybox:1.36',
        ...(opts.sidecar && i === 0 ? { restartPolicy: 'Always' as const } : {}),
      })),
      containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'busybox:1.36' })),
    },
    status: {
      phase: (opts.phase ?? 'Running') as PodPhase,
      reason: opts.reason,
      conditions: opts.conditions,
      initContainerStatuses: opts.initStatuses,
      containerStatuses: opts.statuses,
    },
  };
}

describe('pod STATUS / READY / RESTARTS cells (printPod)', () => {
  it.each<[string, PodObject, string, string]>([
    ['Pending without statuses', pod({ phase: 'Pending' }), 'Pending', '0/1'],
    ['ContainerCreating', pod({ phase: 'Pending', statuses: [waiting('c0', 'ContainerCreating')] }), 'ContainerCreating', '0/1'],
    ['ErrImagePull', pod({ phase: 'Pending', statuses: [waiting('c0', 'ErrImagePull')] }), 'ErrImagePull', '0/1'],
    ['ImagePullBackOff', pod({ phase: 'Pending', statuses: [waiting('c0', 'ImagePullBackOff')] }), 'ImagePullBackOff', '0/1'],
    ['Running and ready', pod({ statuses: [running('c0')] }), 'Running', '1/1'],
    ['Running, one of two ready', pod({ containers: 2, statuses: [running('c0'), running('c1', false)] }), 'Running', '1/2'],
    ['Completed', pod({ phase: 'Succeeded', statuses: [terminated('c0', 0, 'Completed')] }), 'Completed', '0/1'],
    ['Error', pod({ phase: 'Failed', statuses: [terminated('c0', 1, 'Error')] }), 'Error', '0/1'],
    ['OOMKilled', pod({ phase: 'Failed', statuses: [terminated('c0', 137, 'OOMKilled')] }), 'OOMKilled', '0/1'],
    ['ExitCode without reason', pod({ phase: 'Failed', statuses: [terminated('c0', 3)] }), 'ExitCode:3', '0/1'],
    ['Signal without reason', pod({ phase: 'Failed', statuses: [terminated('c0', 0, undefined, 9)] }), 'Signal:9', '0/1'],
    ['CrashLoopBackOff', pod({ statuses: [waiting('c0', 'CrashLoopBackOff', 2)] }), 'CrashLoopBackOff', '0/1'],
    ['Init:0/1 while the init container runs', pod({ phase: 'Pending', init: 1, initStatuses: [running('init-0', false)] }), 'Init:0/1', '0/1'],
    [
      'Init:1/2 after the first init container',
      pod({ phase: 'Pending', init: 2, initStatuses: [terminated('init-0', 0, 'Completed'), waiting('init-1', 'PodInitializing')] }),
      'Init:1/2',
      '0/1',
    ],
    ['Init:Error', pod({ phase: 'Pending', init: 1, initStatuses: [terminated('init-0', 1, 'Error')] }), 'Init:Error', '0/1'],
    ['Init:ExitCode:2', pod({ phase: 'Pending', init: 1, initStatuses: [terminated('init-0', 2)] }), 'Init:ExitCode:2', '0/1'],
    ['Init:CrashLoopBackOff', pod({ phase: 'Pending', init: 1, initStatuses: [waiting('init-0', 'CrashLoopBackOff', 3)] }), 'Init:CrashLoopBackOff', '0/1'],
    [
      'PodInitializing once init containers are done',
      pod({ phase: 'Pending', init: 1, initStatuses: [terminated('init-0', 0, 'Completed')], statuses: [waiting('c0', 'PodInitializing')] }),
      'PodInitializing',
      '0/1',
    ],
    [
      'a started sidecar counts as a container',
      pod({ init: 1, sidecar: true, initStatuses: [running('init-0')], statuses: [running('c0')] }),
      'Running',
      '2/2',
    ],
    [
      'NotReady when a container completed and another still runs without the Ready condition',
      pod({ containers: 2, statuses: [terminated('c0', 0, 'Completed'), running('c1')] }),
      'NotReady',
      '1/2',
    ],
    [
      'Completed with a running container and Ready=False',
      pod({ containers: 2, statuses: [running('c0'), terminated('c1', 0, 'Completed')], conditions: [{ type: 'Ready', status: 'False' }] }),
      'NotReady',
      '1/2',
    ],
    [
      'Completed with a running container and Ready=True',
      pod({ containers: 2, statuses: [running('c0'), terminated('c1', 0, 'Completed')], conditions: [{ type: 'Ready', status: 'True' }] }),
      'Running',
      '1/2',
    ],
    ['Terminating', pod({ deleting: true, statuses: [running('c0')] }), 'Terminating', '1/1'],
    ['a deleted terminal pod keeps its status', pod({ deleting: true, phase: 'Succeeded', statuses: [terminated('c0', 0, 'Completed')] }), 'Completed', '0/1'],
    ['Unknown when the node is lost', pod({ deleting: true, reason: 'NodeLost', statuses: [running('c0')] }), 'Unknown', '1/1'],
    [
      'SchedulingGated',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      'SchedulingGated',
      '0/1',
    ],
    ['the pod reason wins over the phase', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted', '0/1'],
  ])('%s', (_name, p, status, ready) => {
    const cells = podStatusCells(p, NOW);
    expect(cells.status).toBe(status);
    expect(cells.ready).toBe(ready);
  });

  it('shows restarts with the time since the last one', () => {
    const p = pod({ statuses: [waiting('c0', 'CrashLoopBackOff', 5, '2026-01-01T00:55:00Z')] });
    expect(podStatusCells(p, NOW).restarts).toBe('5 (5m ago)');
  });

  it('adds up restarts and takes the latest finish', () => {
    const p = pod({ containers: 2, statuses: [running('c0', true, 2, '2026-01-01T00:40:00Z'), running('c1', true, 1, '2026-01-01T00:59:30Z')] });
    expect(podStatusCells(p, NOW).restarts).toBe('3 (30s ago)');
  });

  it('shows plain 0 without restarts', () => {
    expect(podStatusCells(pod({ statuses: [running('c0')] }), NOW).restarts).toBe('0');
  });

  it('counts init container restarts only while initializing', () => {
    const p = pod({ phase: 'Pending', init: 1, initStatuses: [waiting('init-0', 'CrashLoopBackOff', 4, '2026-01-01T00:58:00Z')] });
    expect(podStatusCells(p, NOW)).toEqual({ ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4 (2m ago)' });
  });
});

describe('pod table', () => {
  it('has the upstream columns', () => {
    expect(pods.table!.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });

  it('fills every cell, <none> where empty', () => {
    const p = pod({ statuses: [running('c0')] });
    p.status!.podIPs = [{ ip: '172.17.0.5' }];
    expect(pods.table!.cells(p, NOW)).toEqual(['job-abcde', '1/1', 'Running', '0', '5m', '172.17.0.5', 'node-1', '<none>', '<none>']);
  });

  it('counts true readiness gates', () => {
    const p = pod({ statuses: [running('c0')], conditions: [{ type: 'example.com/ok', status: 'True' }] });
    p.spec.readinessGates = [{ conditionType: 'example.com/ok' }, { conditionType: 'example.com/other' }];
    expect(pods.table!.cells(p, NOW)[8]).toBe('1/2');
  });
});
