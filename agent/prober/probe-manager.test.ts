import { describe, expect, it } from 'vitest';
import type { Container, Pod, Probe } from '../../api/index.js';
import { FakeEventRecorder, FakeScheduler } from '../../client/testing/index.js';
import { FakeClock } from '../../machinery/index.js';
import { FakeRuntime, settle } from '../runtime/testing/index.js';
import { FakeNetwork } from '../testing/harness.js';
import { ProbeManager, type ProbeType } from './probe-manager.js';

/** One container with probes, driven by a fake network; `up` decides every answer. */
function setup(probes: Partial<Record<'livenessProbe' | 'readinessProbe' | 'startupProbe', Probe>>) {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const scheduler = new FakeScheduler(clock);
  const network = new FakeNetwork();
  const recorder = new FakeEventRecorder();
  const changes: string[] = [];
  const runtime = new FakeRuntime({ clock, autoAdvance: false });
  const manager = new ProbeManager({ runtime, network, scheduler, recorder, onResultChange: (uid) => changes.push(uid) });
  const container: Container = { name: 'c', image: 'x', ports: [{ name: 'web', containerPort: 80 }], ...probes };
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [container] } };
  const state = { up: true, probeTimes: [] as number[] };
  network.serveHttp(80, () => {
    state.probeTimes.push((clock.now().getTime() - Date.UTC(2026, 0, 1)) / 1000);
    return { statusCode: state.up ? 200 : 500, body: '' };
  });
  const start = (id: string, at = clock.now()) => manager.updatePod(pod, '10.0.0.2', [{ name: 'c', id, startedAt: at }]);
  const advance = async (seconds: number) => {
    for (let i = 0; i < seconds * 4; i++) {
      scheduler.step(250);
      await settle(3);
      scheduler.fireDue(); // timers set for "now" by what just ran
      await settle(3);
    }
  };
  const result = (type: ProbeType, id = 'c1') => manager.result('u', 'c', type, id);
  return { manager, recorder, changes, state, start, advance, result, scheduler, clock };
}

const http: Probe = { httpGet: { port: 'web', path: '/' }, timeoutSeconds: 1 };

describe('ProbeManager', () => {
  it('probes at initialDelaySeconds, then every periodSeconds', async () => {
    const t = setup({ readinessProbe: { ...http, initialDelaySeconds: 3, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 } });
    t.start('c1');
    expect(t.result('readiness')).toBe('failure'); // readiness starts as not ready
    await t.advance(14);
    expect(t.state.probeTimes).toEqual([3, 8, 13]);
    expect(t.result('readiness')).toBe('success');
    expect(t.changes).toEqual(['u']);
  });

  it('changes the result only after failureThreshold failures or successThreshold successes in a row', async () => {
    const t = setup({ readinessProbe: { ...http, periodSeconds: 1, successThreshold: 2, failureThreshold: 3 } });
    t.start('c1');
    await t.advance(0.25);
    expect(t.result('readiness')).toBe('failure'); // one success of two
    await t.advance(1);
    expect(t.result('readiness')).toBe('success');
    t.state.up = false;
    await t.advance(2);
    expect(t.result('readiness')).toBe('success'); // two failures of three
    await t.advance(1);
    expect(t.result('readiness')).toBe('failure');
    expect(t.recorder.events.filter((e) => e.startsWith('Warning Unhealthy'))).toEqual(Array(3).fill('Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500'));
  });

  it('liveness starts as success; after failureThreshold failures it holds until a new container runs', async () => {
    const t = setup({ livenessProbe: { ...http, periodSeconds: 2, successThreshold: 1, failureThreshold: 2 } });
    t.start('c1');
    expect(t.result('liveness')).toBe('success');
    t.state.up = false;
    await t.advance(3);
    expect(t.result('liveness')).toBe('failure');
    expect(t.manager.failed('u', 'c', 'c1')).toBe('liveness');
    const probes = t.state.probeTimes.length;
    await t.advance(10);
    expect(t.state.probeTimes.length).toBe(probes); // on hold
    t.state.up = true;
    t.start('c2');
    expect(t.result('liveness', 'c2')).toBe('success');
    await t.advance(0.25);
    expect(t.state.probeTimes.length).toBe(probes + 1);
    expect(t.manager.failed('u', 'c', 'c2')).toBeUndefined();
  });

  it('liveness and readiness wait for the startup probe; a failed startup probe fails the container', async () => {
    const t = setup({
      startupProbe: { tcpSocket: { port: 81 }, periodSeconds: 1, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
      readinessProbe: { ...http, periodSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    });
    t.start('c1');
    await t.advance(1.5);
    expect(t.state.probeTimes).toEqual([]);
    expect(t.manager.statusFor('u').started('c', 'c1')).toBe(false);
    await t.advance(2);
    expect(t.result('startup')).toBe('failure');
    expect(t.manager.failed('u', 'c', 'c1')).toBe('startup');
    expect(t.recorder.events[0]).toBe('Warning Unhealthy Startup probe failed: dial tcp 10.0.0.2:81: connect: connection refused');
  });

  it('once the startup probe succeeds the others begin, and started stays true', async () => {
    const t = setup({
      startupProbe: { ...http, periodSeconds: 10, failureThreshold: 3, successThreshold: 1 },
      readinessProbe: { ...http, initialDelaySeconds: 0, periodSeconds: 4, successThreshold: 1, failureThreshold: 3 },
    });
    t.start('c1');
    await t.advance(0.25);
    expect(t.manager.statusFor('u').started('c', 'c1')).toBe(true);
    await t.advance(9);
    // Startup at 0; readiness as soon as that result is in (the test clock has moved one
    // step by then), then every 4 s; the startup probe does not run again.
    expect(t.state.probeTimes).toEqual([0, 0.25, 4.25, 8.25]);
    expect(t.manager.statusFor('u').ready('c', 'c1')).toBe(true);
  });

  it('a stopped container is not ready, and removing the pod stops its probes', async () => {
    const t = setup({ readinessProbe: { ...http, periodSeconds: 1, successThreshold: 1, failureThreshold: 1 } });
    t.start('c1');
    await t.advance(0.25);
    expect(t.result('readiness')).toBe('success');
    t.manager.updatePod({ metadata: { uid: 'u', name: 'p' }, spec: { containers: [] } } as Pod, '10.0.0.2', []);
    expect(t.result('readiness')).toBe('failure');
    t.manager.removePod('u');
    const n = t.state.probeTimes.length;
    await t.advance(5);
    expect(t.state.probeTimes.length).toBe(n);
  });
});
