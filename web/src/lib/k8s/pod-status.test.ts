import { describe, expect, it } from 'vitest';
import { containerStatus, newPod, running, terminated, waiting } from './fixtures.js';
import { podReadyText, podRestarts, podStatusText } from './pod-status.js';

describe('podStatusText (kubectl STATUS)', () => {
  it.each([
    ['a pending pod', newPod({ phase: 'Pending' }), 'Pending'],
    ['a creating container', newPod({ phase: 'Pending', containerStatuses: [containerStatus('container-0', waiting('ContainerCreating'))] }), 'ContainerCreating'],
    ['a running ready container', newPod({ phase: 'Running', containerStatuses: [containerStatus('container-0', running(), { ready: true })] }), 'Running'],
    ['a completed container', newPod({ phase: 'Succeeded', containerStatuses: [containerStatus('container-0', terminated(0))] }), 'Completed'],
    ['an error exit', newPod({ phase: 'Failed', containerStatuses: [containerStatus('container-0', terminated(1))] }), 'Error'],
    ['an out-of-memory kill', newPod({ phase: 'Failed', containerStatuses: [containerStatus('container-0', terminated(137, 'OOMKilled'))] }), 'OOMKilled'],
    ['an exit without reason', newPod({ phase: 'Failed', containerStatuses: [containerStatus('container-0', { terminated: { exitCode: 3 } })] }), 'ExitCode:3'],
    ['a signal without reason', newPod({ phase: 'Failed', containerStatuses: [containerStatus('container-0', { terminated: { exitCode: 0, signal: 9 } })] }), 'Signal:9'],
    ['an image pull back-off', newPod({ phase: 'Pending', containerStatuses: [containerStatus('container-0', waiting('ImagePullBackOff'))] }), 'ImagePullBackOff'],
    ['a crash loop', newPod({ phase: 'Running', containerStatuses: [containerStatus('container-0', waiting('CrashLoopBackOff'), { restartCount: 4 })] }), 'CrashLoopBackOff'],
    ['an init container running', newPod({ phase: 'Pending', initContainers: ['init-0'], initContainerStatuses: [containerStatus('init-0', running())] }), 'Init:0/1'],
    ['an init container failing', newPod({ phase: 'Pending', initContainers: ['init-0'], initContainerStatuses: [containerStatus('init-0', terminated(1))] }), 'Init:Error'],
    ['an init container pulling', newPod({ phase: 'Pending', initContainers: ['init-0'], initContainerStatuses: [containerStatus('init-0', waiting('ErrImagePull'))] }), 'Init:ErrImagePull'],
    [
      'init done, app starting',
      newPod({ phase: 'Pending', initContainers: ['init-0'], initContainerStatuses: [containerStatus('init-0', terminated(0))], containerStatuses: [containerStatus('container-0', waiting('PodInitializing'))] }),
      'PodInitializing',
    ],
    ['a pod being deleted', newPod({ phase: 'Running', deletionTimestamp: '2026-01-01T00:00:09Z', containerStatuses: [containerStatus('container-0', running(), { ready: true })] }), 'Terminating'],
    ['a finished pod being deleted', newPod({ phase: 'Succeeded', deletionTimestamp: '2026-01-01T00:00:09Z', containerStatuses: [containerStatus('container-0', terminated(0))] }), 'Completed'],
    [
      'one container done, one still running and ready',
      newPod({
        phase: 'Running',
        containers: ['a', 'b'],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [containerStatus('a', running(), { ready: true }), containerStatus('b', terminated(0))],
      }),
      'Running',
    ],
  ])('%s → %s', (_name, pod, text) => {
    expect(podStatusText(pod)).toBe(text);
  });
});

describe('ready and restarts', () => {
  it('counts ready containers and restarts of all containers', () => {
    const pod = newPod({
      phase: 'Running',
      containers: ['a', 'b'],
      initContainers: ['i'],
      initContainerStatuses: [containerStatus('i', terminated(0), { restartCount: 1 })],
      containerStatuses: [containerStatus('a', running(), { ready: true, restartCount: 2 }), containerStatus('b', running())],
    });
    expect(podReadyText(pod)).toBe('1/2');
    expect(podRestarts(pod)).toBe(3);
  });
});
