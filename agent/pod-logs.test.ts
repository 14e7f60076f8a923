import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import { StatusError } from '../machinery/index.js';
import { containerIdForLogs, PodLogs } from './pod-logs.js';
import { KubeletHarness, newPod } from './testing/harness.js';

function withStatus(status: Pod['status'], init = false): Pod {
  const p = newPod('p', init ? { initContainers: [{ name: 'init', image: 'busybox:1.36' }] } : {});
  p.status = status;
  return p;
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) out += chunk.toString();
  return out;
}

describe('containerIdForLogs (validateContainerLogStatus)', () => {
  const waiting = (reason: string) => withStatus({ containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason } } }] });
  it.each([
    ['no status yet', withStatus({}), false, 'container "main" in pod "p" is waiting to start: ContainerCreating'],
    ['ContainerCreating', waiting('ContainerCreating'), false, 'container "main" in pod "p" is waiting to start: ContainerCreating'],
    ['ErrImagePull', waiting('ErrImagePull'), false, 'container "main" in pod "p" is waiting to start: image can\'t be pulled'],
    ['ImagePullBackOff', waiting('ImagePullBackOff'), false, 'container "main" in pod "p" is waiting to start: trying and failing to pull image'],
    ['previous without a previous run', waiting('ContainerCreating'), true, 'previous terminated container "main" in pod "p" not found'],
  ])('%s: 400 with upstream\'s message', (_n, pod, previous, message) => {
    let err: unknown;
    try {
      containerIdForLogs(pod, 'main', previous);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });

  it('running → its id; crash-looping → the last run; previous → lastState', () => {
    const running = withStatus({ containerStatuses: [{ name: 'main', ready: true, restartCount: 1, image: '', imageID: '', containerID: 'docker://new', state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'docker://old' } } }] });
    expect(containerIdForLogs(running, 'main', false)).toBe('new');
    expect(containerIdForLogs(running, 'main', true)).toBe('old');
    const looping = withStatus({ containerStatuses: [{ name: 'main', ready: false, restartCount: 1, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, containerID: 'docker://old' } } }] });
    expect(containerIdForLogs(looping, 'main', false)).toBe('old');
    const init = withStatus({ initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: '', imageID: '', containerID: 'docker://i', state: { terminated: { exitCode: 0, containerID: 'docker://i' } } }] }, true);
    expect(containerIdForLogs(init, 'init', false)).toBe('i');
  });
});

describe('PodLogs', () => {
  it('streams a container\'s lines with timestamps, tail, since and limitBytes; previous reads the last run', async () => {
    const h = new KubeletHarness();
    let run = 0;
    h.runtime.program(['/app'], async (p) => {
      run++;
      for (let i = 1; i <= 3; i++) {
        p.out(`run ${run} line ${i}`);
        await p.sleep(1_000);
      }
      p.exit(1);
    });
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'OnFailure' }));
    await h.advanceUntil(async () => (await h.pod('p')).status?.containerStatuses?.[0].restartCount === 1, 10_000);
    await h.advance(1_000);
    const logs = new PodLogs({ runtime: h.runtime, clock: h.clock });
    const pod = await h.pod('p');
    const opts = { container: 'main', follow: false, previous: false, timestamps: false };
    const signal = new AbortController().signal;
    expect(await text(await logs.streamLogs(pod, opts, signal))).toBe('run 2 line 1\nrun 2 line 2\n');
    expect(await text(await logs.streamLogs(pod, { ...opts, previous: true }, signal))).toBe('run 1 line 1\nrun 1 line 2\nrun 1 line 3\n');
    expect(await text(await logs.streamLogs(pod, { ...opts, previous: true, tailLines: 1 }, signal))).toBe('run 1 line 3\n');
    expect(await text(await logs.streamLogs(pod, { ...opts, previous: true, limitBytes: 15 }, signal))).toBe('run 1 line 1\nru');
    expect(await text(await logs.streamLogs(pod, { ...opts, sinceTime: '2026-01-01T00:00:03.500Z' }, signal))).toBe('run 2 line 2\n');
    expect(await text(await logs.streamLogs(pod, { ...opts, sinceSeconds: 3600 }, signal))).toBe('run 2 line 1\nrun 2 line 2\n');
    const stamped = await text(await logs.streamLogs(pod, { ...opts, timestamps: true }, signal));
    expect(stamped.split('\n')[0]).toMatch(/^2026-01-01T00:00:03\.\d{9}Z run 2 line 1$/);
  });

  it('follow ends when the container ends', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], async (p) => {
      p.out('a');
      await p.sleep(2_000);
      p.out('b');
    });
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never' }));
    const logs = new PodLogs({ runtime: h.runtime, clock: h.clock });
    const streamed = text(await logs.streamLogs(await h.pod('p'), { container: 'main', follow: true, previous: false, timestamps: false }, new AbortController().signal));
    await h.advance(3_000);
    expect(await streamed).toBe('a\nb\n');
  });
});
