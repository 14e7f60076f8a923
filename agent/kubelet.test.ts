import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod } from '../api/index.js';
import { KubeletHarness, NODE_IP, newPod } from './testing/harness.js';

function states(pod: Pod): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const st = s.state ?? {};
    out[s.name] = st.running ? 'running' : st.terminated ? `terminated:${st.terminated.reason}:${st.terminated.exitCode}` : `waiting:${st.waiting?.reason ?? ''}`;
  }
  return out;
}

function conditions(pod: Pod): Record<string, string> {
  return Object.fromEntries((pod.status?.conditions ?? []).map((c) => [c.type, c.status + (c.reason ? `/${c.reason}` : '')]));
}

describe('Kubelet: a pod runs to completion', () => {
  it('runs a Never pod: Pending with ContainerCreating, then Running, then Succeeded with the kubelet events', async () => {
    const h = new KubeletHarness();
    let finish!: () => void;
    h.runtime.program(['/app'], (p) => new Promise<void>((r) => (finish = () => (p.out('done'), r()))));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never' }));

    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(states(pod)).toEqual({ main: 'running' });
    expect(pod.status?.hostIP).toBe(NODE_IP);
    expect(pod.status?.podIP).toMatch(/^10\.88\.0\.\d+$/);
    expect(pod.status?.startTime).toBe('2026-01-01T00:00:00Z');
    expect(pod.status?.qosClass).toBe('BestEffort');
    expect(conditions(pod)).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    expect(h.events).toEqual([
      'Normal Pulled Container image "busybox:1.36" already present on machine',
      'Normal Created Created container: main',
      'Normal Started Started container main',
    ]);
    // The first write already told that the pod was waiting for its container.
    const first = h.client.actionsFor('update', 'pods', 'status')[0].object as Pod;
    expect(first.status?.phase).toBe('Pending');
    expect(states(first)).toEqual({ main: 'waiting:ContainerCreating' });

    finish();
    await h.settle();
    pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(states(pod)).toEqual({ main: 'terminated:Completed:0' });
    const t = pod.status?.containerStatuses?.[0].state?.terminated;
    expect(t?.containerID).toMatch(/^fake:\/\/[a-f0-9]{64}$/);
    expect(conditions(pod)).toEqual({
      PodReadyToStartContainers: 'False',
      Initialized: 'True',
      Ready: 'False/PodCompleted',
      ContainersReady: 'False/PodCompleted',
      PodScheduled: 'True',
    });
    // Exited containers stay for logs until the pod is deleted; the sandbox is stopped.
    expect(await h.runtime.listContainers({ labels: { 'io.kubernetes.pod.name': 'p' } })).toHaveLength(1);
    expect((await h.runtime.listPodSandboxes()).map((s) => s.state)).toEqual(['notready']);
  });

  it('writes status only when it changed', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(newPod('p'));
    const writes = h.client.actionsFor('update', 'pods', 'status').length;
    await h.advance(60_000, 5_000); // six resyncs
    expect(h.client.actionsFor('update', 'pods', 'status').length).toBe(writes);
  });

  it('runs init containers one by one to success before the app containers', async () => {
    const h = new KubeletHarness();
    const order: string[] = [];
    const release: Record<string, () => void> = {};
    h.runtime.program((ctx) => !ctx.isExec, (p) => {
      order.push(p.containerName);
      return new Promise<void>((r) => (release[p.containerName] = r));
    });
    await h.start();
    await h.createPod(
      newPod('p', {
        initContainers: [
          { name: 'init-a', image: 'busybox:1.36' },
          { name: 'init-b', image: 'busybox:1.36' },
        ],
        containers: [
          { name: 'app-1', image: 'busybox:1.36' },
          { name: 'app-2', image: 'busybox:1.36' },
        ],
      }),
    );
    expect(order).toEqual(['init-a']);
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Pending');
    expect(states(pod)).toEqual({ 'init-a': 'running', 'init-b': 'waiting:PodInitializing', 'app-1': 'waiting:PodInitializing', 'app-2': 'waiting:PodInitializing' });
    expect(conditions(pod).Initialized).toBe('False/ContainersNotInitialized');
    expect(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.message).toBe('containers with incomplete status: [init-a init-b]');

    release['init-a']();
    await h.settle();
    expect(order).toEqual(['init-a', 'init-b']);
    release['init-b']();
    await h.settle();
    expect(order).toEqual(['init-a', 'init-b', 'app-1', 'app-2']);
    pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(conditions(pod).Initialized).toBe('True');
    expect(states(pod)).toMatchObject({ 'init-a': 'terminated:Completed:0', 'init-b': 'terminated:Completed:0' });
  });

  it('fails a Never pod whose init container fails, without starting the app containers', async () => {
    const h = new KubeletHarness();
    h.runtime.program((ctx) => ctx.containerName === 'init', (p) => p.exit(3));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox:1.36' }] }));
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Failed');
    expect(states(pod)).toEqual({ init: 'terminated:Error:3', main: 'waiting:PodInitializing' });
    expect(await h.instances('p', 'main')).toEqual([]);
  });

  it('reports an OOM kill as OOMKilled with exit code 137', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.allocate(200 * 1024 * 1024));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], resources: { limits: { memory: '64Mi' } } }] }));
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Failed');
    expect(states(pod)).toEqual({ main: 'terminated:OOMKilled:137' });
  });

  it('gives every container of a pod the podPidsLimit as its pids.max, and none without one', async () => {
    const PIDS_MAX = '/sys/fs/cgroup/pids/pids.max';
    const run = async (options: { podPidsLimit?: number }) => {
      const h = new KubeletHarness({ options });
      h.runtime.program(['/app'], (p) => {
        p.out(p.readFile(PIDS_MAX) ?? '');
        return p.forever();
      });
      h.runtime.program(['/init'], (p) => {
        p.out(p.readFile(PIDS_MAX) ?? '');
        return p.exit(0);
      });
      await h.start();
      const c = (name: string, command: string) => ({ name, image: 'busybox:1.36', command: [command] });
      await h.createPod(newPod('p', { initContainers: [c('init', '/init')], containers: [c('a', '/app'), c('b', '/app')] }));
      const seen: Record<string, string> = {};
      for (const name of ['init', 'a', 'b']) {
        const [id] = await h.instances('p', name);
        for await (const l of h.runtime.containerLogs(id!)) seen[name] = (seen[name] ?? '') + l.content.trim();
      }
      return seen;
    };
    expect(await run({ podPidsLimit: 64 })).toEqual({ init: '64', a: '64', b: '64' });
    expect(await run({})).toEqual({ init: 'max', a: 'max', b: 'max' });
    expect(await run({ podPidsLimit: -1 })).toEqual({ init: 'max', a: 'max', b: 'max' });
  });

  it('rewrites a failed pod’s Error to OOMKilled when the engine reports the OOM after the exit', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.exit(137));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never' }));
    expect(states(await h.pod('p'))).toEqual({ main: 'terminated:Error:137' });
    const [id] = await h.instances('p', 'main');
    h.runtime.lateOom(id!);
    await h.settle();
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Failed');
    expect(states(pod)).toEqual({ main: 'terminated:OOMKilled:137' });
  });

  it('asks for a pause-less sandbox only where nothing of the pod needs one of its own', async () => {
    const asked = async (spec: Partial<Pod['spec']>, options: { alwaysPauseContainer?: boolean } = {}) => {
      const h = new KubeletHarness({ options });
      h.runtime.program(['/app'], (p) => p.exit(0));
      await h.start();
      await h.createPod(newPod('p', spec));
      const call = h.runtime.calls.find((c) => c.op === 'runPodSandbox');
      return !!(call?.detail as { singleContainer?: boolean } | undefined)?.singleContainer;
    };
    const main = { name: 'main', image: 'busybox:1.36', command: ['/app'] };
    expect(await asked({ restartPolicy: 'Never' })).toBe(true);
    expect(await asked({ restartPolicy: 'Never' }, { alwaysPauseContainer: true })).toBe(false);
    expect(await asked({ restartPolicy: 'OnFailure' })).toBe(false);
    expect(await asked({ restartPolicy: 'Never', containers: [main, { ...main, name: 'second' }] })).toBe(false);
    expect(await asked({ restartPolicy: 'Never', initContainers: [{ ...main, name: 'init' }] })).toBe(false);
    expect(await asked({ restartPolicy: 'Never', volumes: [{ name: 'scratch', emptyDir: {} }], containers: [{ ...main, volumeMounts: [{ name: 'scratch', mountPath: '/s' }] }] })).toBe(false);
    expect(await asked({ restartPolicy: 'Never', containers: [{ ...main, env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] })).toBe(false);
  });

  it('a pause-less pod runs to completion: its IP while it runs, its sandbox ended with it', async () => {
    const h = new KubeletHarness();
    let finish!: () => void;
    h.runtime.program(['/app'], (p) => new Promise<void>((r) => (finish = r)));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Never' }));
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.podIP).toMatch(/^10\.88\.0\.\d+$/);
    finish();
    await h.settle();
    pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(states(pod)).toEqual({ main: 'terminated:Completed:0' });
    // Nothing was left to stop: the sandbox ended with its container.
    expect(h.runtime.calls.filter((c) => c.op === 'stopPodSandbox' || c.op === 'stopContainer')).toEqual([]);
    expect((await h.runtime.listPodSandboxes()).map((s) => s.state)).toEqual(['notready']);
  });

  it('two containers share the pod network and see the pod hostname', async () => {
    const h = new KubeletHarness();
    let answer = '';
    let hostname = '';
    h.runtime.program((ctx) => ctx.containerName === 'server', (p) => {
      p.listen(8080, () => 'pong');
      return p.forever();
    });
    h.runtime.program((ctx) => ctx.containerName === 'client', async (p) => {
      hostname = p.hostname;
      answer = await p.request('127.0.0.1', 8080, 'ping');
    });
    await h.start();
    await h.createPod(
      newPod('p', {
        restartPolicy: 'Never',
        containers: [
          { name: 'server', image: 'busybox:1.36' },
          { name: 'client', image: 'busybox:1.36' },
        ],
      }),
    );
    expect(answer).toBe('pong');
    expect(hostname).toBe('p');
  });
  it('a sidecar (restartable init container) starts first, keeps running beside the app, and stops when the pod is done', async () => {
    const h = new KubeletHarness();
    const order: string[] = [];
    h.runtime.program((ctx) => !ctx.isExec && ctx.containerName === 'sidecar', (p) => {
      order.push('sidecar');
      return p.forever();
    });
    h.runtime.program((ctx) => !ctx.isExec && ctx.containerName !== 'sidecar', (p) => {
      order.push(p.containerName);
    });
    await h.start();
    await h.createPod(
      newPod('p', {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        initContainers: [
          { name: 'sidecar', image: 'busybox:1.36', restartPolicy: 'Always' },
          { name: 'setup', image: 'busybox:1.36' },
        ],
      }),
    );
    expect(order).toEqual(['sidecar', 'setup', 'main']);
    await h.advance(3_000);
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(states(pod)).toEqual({ sidecar: 'terminated:Error:137', setup: 'terminated:Completed:0', main: 'terminated:Completed:0' });
  });
});

describe('Kubelet: restarts', () => {
  it('restarts an OnFailure container at once, then after 10 s, 20 s, 40 s (CrashLoopBackOff)', async () => {
    const h = new KubeletHarness();
    const starts: number[] = [];
    h.runtime.program(['/app'], (p) => {
      starts.push(h.clock.now().getTime());
      p.exit(1);
    });
    await h.start();
    const t0 = h.clock.now().getTime();
    await h.createPod(newPod('p', { restartPolicy: 'OnFailure' }));
    // First failure: restarted at once.
    expect(starts.map((s) => s - t0)).toEqual([0, 0]);
    let pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Running');
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs?.restartCount).toBe(1);
    expect(cs?.state?.waiting).toEqual({ reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=main pod=p_default(${pod.metadata.uid})` });
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(h.events).toContain(`Warning BackOff Back-off restarting failed container main in pod p_default(${pod.metadata.uid})`);

    await h.advance(9_750);
    expect(starts).toHaveLength(2);
    await h.advance(500);
    expect(starts).toHaveLength(3);
    await h.advanceUntil(() => starts.length === 4, 30_000);
    await h.advanceUntil(() => starts.length === 5, 60_000);
    const gaps = starts.slice(1).map((s, i) => Math.round((s - starts[i]) / 1000));
    expect(gaps).toEqual([0, 10, 20, 40]);
    pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0].restartCount).toBe(4);
    expect(pod.status?.containerStatuses?.[0].state?.waiting?.message).toMatch(/^back-off 1m20s restarting failed container=main/);
  });

  it('keeps only the previous exited instance of a restarted container (for logs --previous)', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.exit(1));
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'Always' }));
    await h.advanceUntil(async () => (await h.pod('p')).status?.containerStatuses?.[0].restartCount === 3, 120_000);
    expect(await h.instances('p', 'main')).toHaveLength(2);
  });

  it('does not restart a container that succeeded under OnFailure, and the pod succeeds', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], () => undefined);
    await h.start();
    await h.createPod(newPod('p', { restartPolicy: 'OnFailure' }));
    const pod = await h.pod('p');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(await h.instances('p', 'main')).toHaveLength(1);
  });
});

describe('Kubelet: probes and hooks', () => {
  it('a failing liveness probe (failureThreshold 2) records Unhealthy, kills with Killing and restarts', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    let healthy = true;
    h.runtime.program(['check'], (p) => p.exit(healthy ? 0 : 1));
    await h.start();
    await h.createPod(
      newPod('p', {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], livenessProbe: { exec: { command: ['check'] }, initialDelaySeconds: 5, periodSeconds: 3, failureThreshold: 2, timeoutSeconds: 1, successThreshold: 1 } }],
      }),
    );
    await h.advance(6_000);
    expect(h.runtime.calls.filter((c) => c.op === 'execSync')).toHaveLength(1); // at 5 s
    healthy = false;
    await h.advance(3_000); // 8 s: first failure
    expect(h.events.filter((e) => e.includes('Unhealthy'))).toEqual(['Warning Unhealthy Liveness probe failed: ']);
    expect(await h.instances('p', 'main')).toHaveLength(1);
    await h.advance(3_000); // 11 s: second failure → kill
    expect(h.events).toContain('Normal Killing Container main failed liveness probe, will be restarted');
    // PID 1 ignores SIGTERM: killed after the 2 s minimum grace, then restarted at once.
    await h.advanceUntil(async () => (await h.pod('p')).status?.containerStatuses?.[0].restartCount === 1, 5_000);
    const pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 137 });
    expect(pod.status?.containerStatuses?.[0].state?.running).toBeDefined();
  });

  it('readiness drives Ready and ContainersReady; startup gates it', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(
      newPod('p', {
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            command: ['/app'],
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1, successThreshold: 1 },
            readinessProbe: { httpGet: { path: '/ready', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, periodSeconds: 2, failureThreshold: 3, timeoutSeconds: 1, successThreshold: 1 },
          },
        ],
      }),
    );
    let pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    expect(conditions(pod).Ready).toBe('False/ContainersNotReady');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [main]');

    h.network.listenTcp(8080);
    await h.advance(1_000);
    pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: false });

    h.network.serveHttp(8080, () => ({ statusCode: 200, body: 'ok' }));
    await h.advance(2_000);
    pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    expect(conditions(pod)).toMatchObject({ Ready: 'True', ContainersReady: 'True' });
    expect(h.network.requests[0]).toMatchObject({ host: pod.status?.podIP, port: 8080, path: '/ready', headers: [{ name: 'X-Probe', value: 'yes' }] });

    h.network.serveHttp(8080, () => ({ statusCode: 503, body: '' }));
    await h.advance(6_000);
    pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0].ready).toBe(false);
    expect(h.events).toContain('Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 503');
  });

  it('a failing postStart hook kills the container: FailedPostStartHook, then the restart policy', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    h.runtime.program(['sh', '-c', 'exit 7'], (p) => {
      p.err('nope');
      p.exit(7);
    });
    await h.start();
    const created = await h.createPod(
      newPod('p', {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } } }],
      }),
    );
    await h.advance(3_000);
    const pod = await h.pod('p');
    expect(h.events).toContain(
      `Warning FailedPostStartHook Exec lifecycle hook ([sh -c exit 7]) for Container "main" in Pod "p_default(${created.metadata.uid})" failed - error: command 'sh -c exit 7' exited with 7: nope\n, message: "nope\\n"`,
    );
    expect(h.events).toContain('Normal Killing FailedPostStartHook');
    expect(pod.status?.phase).toBe('Failed');
    expect(states(pod)).toEqual({ main: 'terminated:Error:137' });
  });

  it('a postStart hook runs before the container counts as started', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], async (p) => {
      await p.waitForFile('/tmp/started');
      p.out(p.readFile('/tmp/started') ?? '');
      return p.forever();
    });
    h.runtime.program(['sh', '-c', 'echo hook > /tmp/started'], (p) => p.writeFile('/tmp/started', 'hook'));
    await h.start();
    await h.createPod(newPod('p', { containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hook > /tmp/started'] } } } }] }));
    const [id] = await h.instances('p', 'main');
    const lines: string[] = [];
    for await (const l of h.runtime.containerLogs(id)) lines.push(l.content);
    expect(lines).toEqual(['hook']);
  });
});

describe('Kubelet: termination', () => {
  it('deletion runs preStop, SIGTERM, waits the grace period, SIGKILLs, removes everything and deletes the pod', async () => {
    const h = new KubeletHarness();
    const log: string[] = [];
    h.runtime.program(['/app'], (p) => {
      p.onSignal('SIGTERM', () => log.push(`SIGTERM at ${h.clock.now().toISOString()}`));
      return p.forever();
    });
    h.runtime.program(['pre-stop'], async (p) => {
      log.push(`preStop at ${h.clock.now().toISOString()}`);
      await p.sleep(2_000);
    });
    await h.start();
    await h.createPod(
      newPod('p', { terminationGracePeriodSeconds: 10, containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], lifecycle: { preStop: { exec: { command: ['pre-stop'] } } } }] }),
    );
    // The API server sets deletionGracePeriodSeconds from the pod's terminationGracePeriodSeconds.
    await h.client.pods.namespace('default').delete('p', { gracePeriodSeconds: 10 });
    await h.settle();
    expect(log).toEqual(['preStop at 2026-01-01T00:00:00.000Z']);
    await h.advance(2_000);
    expect(log).toEqual(['preStop at 2026-01-01T00:00:00.000Z', 'SIGTERM at 2026-01-01T00:00:02.000Z']);
    const [id] = await h.instances('p', 'main');
    await h.advance(7_500);
    expect((await h.runtime.containerStatus(id)).state).toBe('running');
    await h.advance(1_000); // 8 s after SIGTERM: grace 10 - 2 spent in preStop
    expect(await h.runtime.listContainers()).toEqual([]);
    expect(await h.runtime.listPodSandboxes()).toEqual([]);
    expect(h.events).toContain('Normal Killing Stopping container main');
    const deletes = h.client.actionsFor('delete', 'pods');
    expect(deletes.at(-1)?.deleteOptions).toMatchObject({ gracePeriodSeconds: 0 });
    await expect(h.pod('p')).rejects.toThrow(/not found/);
  });

  it('retries the final DELETE when it fails, without killing anything twice', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(newPod('p', { terminationGracePeriodSeconds: 1 }));
    let failures = 1;
    h.client.prependReactor('delete', 'pods', (a) => (a.deleteOptions?.gracePeriodSeconds === 0 && failures-- > 0 ? { error: new Error('connection reset') } : undefined));
    await h.client.pods.namespace('default').delete('p', { gracePeriodSeconds: 1 });
    await h.advance(3_000);
    expect(await h.runtime.listContainers()).toEqual([]);
    await h.advance(10_000, 1_000); // the worker's error back-off
    await expect(h.pod('p')).rejects.toThrow(/not found/);
    expect(h.events.filter((e) => e.includes('Killing'))).toHaveLength(1);
  });

  it('kills a pod that runs past activeDeadlineSeconds: Failed, DeadlineExceeded', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(newPod('p', { activeDeadlineSeconds: 30, terminationGracePeriodSeconds: 1 }));
    await h.advance(29_000, 1_000);
    expect((await h.pod('p')).status?.phase).toBe('Running');
    await h.advance(5_000, 1_000);
    const pod = await h.pod('p');
    expect(pod.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    expect(states(pod)).toEqual({ main: 'terminated:Error:137' });
    expect(h.events).toContain('Normal DeadlineExceeded Pod was active on the node longer than the specified deadline');
  });

  it('reads the termination message from terminationMessagePath, or from the logs with FallbackToLogsOnError', async () => {
    const h = new KubeletHarness({ rootDir: '/var/lib/jobyard/agent' });
    h.runtime.program((ctx) => ctx.containerName === 'file', (p) => {
      p.writeFile('/dev/termination-log', 'written by the app');
      p.exit(0);
    });
    h.runtime.program((ctx) => ctx.containerName === 'logs', (p) => {
      p.out('line 1');
      p.err('it broke');
      p.exit(2);
    });
    await h.start();
    await h.createPod(
      newPod('p', {
        restartPolicy: 'Never',
        containers: [
          { name: 'file', image: 'busybox:1.36' },
          { name: 'logs', image: 'busybox:1.36', terminationMessagePolicy: 'FallbackToLogsOnError' },
        ],
      }),
    );
    const pod = await h.pod('p');
    const byName = Object.fromEntries((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.state?.terminated?.message]));
    expect(byName).toEqual({ file: 'written by the app', logs: 'line 1\nit broke\n' });
  });
});

describe('Kubelet: configuration errors and images', () => {
  it('a missing ConfigMap key fails the start with CreateContainerConfigError until the ConfigMap appears', async () => {
    const h = new KubeletHarness();
    let seen = '';
    h.runtime.program(['/app'], (p) => {
      seen = p.env.GREETING;
      return p.forever();
    });
    await h.start();
    await h.createPod(newPod('p', { containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } }] }] }));
    let pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0].state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' });
    expect(h.events).toContain('Warning Failed Error: configmap "cfg" not found');
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { greeting: 'hello' } };
    await h.client.configmaps.namespace('default').create(cm);
    await h.advance(10_000, 1_000);
    pod = await h.pod('p');
    expect(pod.status?.containerStatuses?.[0].state?.running).toBeDefined();
    expect(seen).toBe('hello');
  });

  it('a volume type the node never mounts fails the pod at once (FailedMount, then Failed/UnsupportedVolume), nothing started', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(newPod('p', { volumes: [{ name: 'data', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage' } }] }));
    const pod = await h.pod('p');
    const message = 'MountVolume.SetUp failed for volume "data" : no volume plugin matched: iscsi volumes are not supported by this node';
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.reason).toBe('UnsupportedVolume');
    expect(pod.status?.message).toBe(message);
    expect(h.events).toEqual([`Warning FailedMount ${message}`]);
    expect(h.runtime.calls.filter((c) => c.op === 'runPodSandbox' || c.op === 'createContainer')).toEqual([]);
  });

  it('a downwardAPI volume follows the pod\'s labels while it runs', async () => {
    const h = new KubeletHarness();
    const seen: string[] = [];
    h.runtime.program(['/app'], async (p) => {
      for (;;) {
        seen.push(p.readFile('/etc/podinfo/labels') ?? '');
        await p.sleep(1_000);
      }
    });
    await h.start();
    await h.createPod(newPod('p', { volumes: [{ name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } }], containers: [{ name: 'main', image: 'busybox:1.36', command: ['/app'], volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }] }] }, { labels: { rack: 'r1' } }));
    await h.advance(1_000);
    expect(seen.at(-1)).toBe('rack="r1"');
    const pod = await h.pod('p');
    await h.client.pods.namespace('default').update({ ...pod, metadata: { ...pod.metadata, labels: { rack: 'r2', zone: 'z' } } });
    await h.advance(2_000);
    expect(seen.at(-1)).toBe('rack="r2"\nzone="z"');
  });

  it('a pull failure is ErrImagePull, then ImagePullBackOff while the back-off lasts', async () => {
    const h = new KubeletHarness();
    h.runtime.program(['/app'], (p) => p.forever());
    await h.start();
    await h.createPod(newPod('p', { containers: [{ name: 'main', image: 'registry.example:5000/app:1', imagePullPolicy: 'IfNotPresent' }] }));
    const reasons = h.client
      .actionsFor('update', 'pods', 'status')
      .map((a) => (a.object as Pod).status?.containerStatuses?.[0].state?.waiting?.reason);
    expect(reasons).toContain('ErrImagePull');
    expect(h.events.slice(0, 3)).toEqual([
      'Normal Pulling Pulling image "registry.example:5000/app:1"',
      'Warning Failed Failed to pull image "registry.example:5000/app:1": failed to pull image "registry.example:5000/app:1": manifest for registry.example:5000/app:1 not found: manifest unknown',
      'Warning Failed Error: ErrImagePull',
    ]);
    // The next sync inside the 10 s back-off does not pull again.
    await h.advance(5_000, 1_000);
    const pod = await h.pod('p');
    expect(h.runtime.calls.filter((c) => c.op === 'pullImage')).toHaveLength(1);
    expect(pod.status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ImagePullBackOff');
    expect(pod.status?.containerStatuses?.[0].state?.waiting?.message).toMatch(/^Back-off pulling image "registry.example:5000\/app:1": ErrImagePull: /);
    expect(h.events).toContain('Normal BackOff Back-off pulling image "registry.example:5000/app:1"');
    h.runtime.addRegistryImage('registry.example:5000/app:1', { config: { cmd: ['/app'] } });
    await h.advanceUntil(async () => !!(await h.pod('p')).status?.containerStatuses?.[0].state?.running, 30_000, 1_000);
  });
});

describe('Kubelet: adoption', () => {
  it('adopts the running containers of known pods and removes those of pods that are gone', async () => {
    const first = new KubeletHarness();
    first.runtime.program(['/app'], (p) => p.forever());
    await first.start();
    await first.createPod(newPod('keep'));
    await first.createPod(newPod('gone'));
    const keepId = (await first.instances('keep', 'main'))[0];
    await first.stop();
    // The pod "gone" disappears while no agent runs.
    first.client.tracker.delete({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, 'default', 'gone', { gracePeriodSeconds: 0 }, false);

    const second = new KubeletHarness();
    // Same engine and API: share them with the second agent.
    Object.assign(second, { runtime: first.runtime, client: first.client });
    const { Kubelet } = await import('./kubelet.js');
    const kubelet = new Kubelet({ ...first.kubelet.deps, scheduler: second.scheduler, recorder: second.recorder, client: first.client, runtime: first.runtime });
    Object.assign(second, { kubelet });
    const starts = first.runtime.calls.filter((c) => c.op === 'startContainer').length;
    await second.start();
    expect(await second.instances('keep', 'main')).toEqual([keepId]);
    expect(await second.instances('gone', 'main')).toEqual([]);
    expect(first.runtime.calls.filter((c) => c.op === 'startContainer').length).toBe(starts);
    expect((await second.pod('keep')).status?.phase).toBe('Running');
  });
});
