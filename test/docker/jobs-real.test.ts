// The Job controller on real containers: the four job shapes (docs/product.md#job-shapes), backoff, deadline, OnFailure,
// Indexed, suspend and TTL, driven through the installed kubectl against `jobyard server`
// with its node agent on the Docker engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JobyardServer } from '../support/jobyard-server.js';

let server: JobyardServer;
const ns = `jobs-real-${Date.now().toString(36)}`;
// hostPath volumes are admitted only under --allow-host-path.
const hostPaths = mkdtempSync(join(tmpdir(), 'jobyard-jobs-real-'));

beforeAll(async () => {
  // A short pod-failure backoff keeps the backoff scenario quick; the doubling is the same.
  server = await JobyardServer.start({ args: ['--job-backoff-base', '2', '--job-backoff-max', '8', '--allow-host-path', hostPaths] });
  await ok(['create', 'namespace', ns]);
});

afterAll(async () => {
  if (server) {
    await server.kubectl(['delete', 'namespace', ns, '--wait=false']);
    await server.stop();
  }
  rmSync(hostPaths, { recursive: true, force: true });
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

interface JobOptions {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  completionMode?: 'Indexed';
  suspend?: boolean;
  ttlSecondsAfterFinished?: number;
  restartPolicy?: 'Never' | 'OnFailure';
  script: string;
  image?: string;
  volumes?: unknown[];
  volumeMounts?: unknown[];
}

function jobYaml(name: string, o: JobOptions): string {
  const { script, restartPolicy = 'Never', image = 'busybox:1.36', volumes, volumeMounts, ...spec } = o;
  return YAML.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy,
          terminationGracePeriodSeconds: 1,
          ...(volumes ? { volumes } : {}),
          containers: [{ name: 'main', image, command: ['sh', '-c', script], ...(volumeMounts ? { volumeMounts } : {}) }],
        },
      },
    },
  });
}

async function createJob(name: string, o: JobOptions): Promise<void> {
  await ok(['apply', '-f', '-'], jobYaml(name, o));
}

async function waitCondition(name: string, condition: 'complete' | 'failed', timeout = '120s'): Promise<void> {
  await ok(['-n', ns, 'wait', `--for=condition=${condition}`, `job/${name}`, `--timeout=${timeout}`]);
}

async function job(name: string): Promise<any> {
  return JSON.parse(await ok(['-n', ns, 'get', 'job', name, '-o', 'json']));
}

async function pods(name: string): Promise<any[]> {
  const list = JSON.parse(await ok(['-n', ns, 'get', 'pods', '-l', `batch.kubernetes.io/job-name=${name}`, '-o', 'json']));
  return list.items;
}

/** The container's run interval from its terminated state. */
function runInterval(pod: any): [number, number] {
  const t = pod.status.containerStatuses[0].state.terminated;
  return [Date.parse(t.startedAt), Date.parse(t.finishedAt)];
}

/** The most intervals that overlap at one instant. */
function maxOverlap(intervals: [number, number][]): number {
  const points = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]) as [number, number][];
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (cur += d));
  return max;
}

function conditionTypes(j: any): string[] {
  return (j.status.conditions ?? []).filter((c: any) => c.status === 'True').map((c: any) => c.type);
}

describe('the four job shapes (docs/product.md#job-shapes) on real containers', () => {
  it('one-shot: completions 1, parallelism 1', async () => {
    await createJob('one-shot', { script: 'echo done' });
    await waitCondition('one-shot', 'complete');
    const j = await job('one-shot');
    expect(j.status.succeeded).toBe(1);
    expect(conditionTypes(j)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(Date.parse(j.status.completionTime)).toBeGreaterThanOrEqual(Date.parse(j.status.startTime));
    const table = await ok(['-n', ns, 'get', 'job', 'one-shot']);
    expect(table.split('\n')[1].split(/\s+/).slice(0, 3)).toEqual(['one-shot', 'Complete', '1/1']);
  });

  it('fixed completions: completions 3, parallelism 1 runs one pod at a time', async () => {
    await createJob('fixed', { completions: 3, parallelism: 1, script: 'sleep 1' });
    await waitCondition('fixed', 'complete');
    const p = await pods('fixed');
    expect(p).toHaveLength(3);
    expect(maxOverlap(p.map(runInterval))).toBe(1);
    expect((await job('fixed')).status.succeeded).toBe(3);
  });

  it('fixed completions in parallel: completions 4, parallelism 2 never runs more than two', async () => {
    await createJob('fixed-parallel', { completions: 4, parallelism: 2, script: 'sleep 2' });
    await waitCondition('fixed-parallel', 'complete');
    const p = await pods('fixed-parallel');
    expect(p).toHaveLength(4);
    expect(maxOverlap(p.map(runInterval))).toBe(2);
    const table = await ok(['-n', ns, 'get', 'job', 'fixed-parallel']);
    expect(table).toMatch(/fixed-parallel\s+Complete\s+4\/4/);
  });

  it('parallel work queue: parallelism 2, completions unset, succeeds once all ended and one succeeded', async () => {
    // One pod ends at once, the other after 3 s: no new pod after the first success, and the
    // Job completes only when both have ended.
    const shared = join(hostPaths, 'work-queue');
    await createJob('work-queue', {
      parallelism: 2,
      script: 'mkdir /shared/first 2>/dev/null && exit 0 || { sleep 3; exit 0; }',
      volumes: [{ name: 'shared', hostPath: { path: shared, type: 'DirectoryOrCreate' } }],
      volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
    });
    await waitCondition('work-queue', 'complete');
    const j = await job('work-queue');
    expect(j.spec.completions).toBeUndefined();
    expect(j.status.succeeded).toBe(2);
    const p = await pods('work-queue');
    expect(p).toHaveLength(2);
    const lastFinish = Math.max(...p.map((x) => runInterval(x)[1]));
    expect(Date.parse(j.status.completionTime)).toBeGreaterThanOrEqual(Math.floor(lastFinish / 1000) * 1000);
  });
});

describe('failure handling (docs/product.md#job-settings) on real containers', () => {
  it('BackoffLimitExceeded: backoffLimit 1 makes two pods, the second after the backoff', async () => {
    await createJob('backoff', { backoffLimit: 1, script: 'exit 1' });
    await waitCondition('backoff', 'failed');
    const j = await job('backoff');
    expect(j.status.failed).toBe(2);
    expect(j.status.completionTime).toBeUndefined();
    expect(conditionTypes(j)).toEqual(['FailureTarget', 'Failed']);
    expect(j.status.conditions.find((c: any) => c.type === 'Failed').reason).toBe('BackoffLimitExceeded');
    const p = (await pods('backoff')).sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp));
    expect(p).toHaveLength(2);
    // The second pod waits the first backoff (2 s on this server) after the first one finished.
    const firstFinished = runInterval(p[0])[1];
    expect(Date.parse(p[1].metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(firstFinished / 1000) * 1000 + 1000);
    const events = await ok(['-n', ns, 'describe', 'job', 'backoff']);
    expect(events).toMatch(/Warning\s+BackoffLimitExceeded\s+.*Job has reached the specified backoff limit/);
  });

  it('DeadlineExceeded: activeDeadlineSeconds stops running pods and counts them failed', async () => {
    await createJob('deadline', { completions: 2, parallelism: 2, activeDeadlineSeconds: 3, script: 'sleep 3600' });
    await waitCondition('deadline', 'failed');
    const j = await job('deadline');
    const failed = j.status.conditions.find((c: any) => c.type === 'Failed');
    expect(failed.reason).toBe('DeadlineExceeded');
    expect(j.status.active ?? 0).toBe(0);
    expect(j.status.failed).toBe(2);
    const elapsed = Date.parse(j.status.conditions.find((c: any) => c.type === 'FailureTarget').lastTransitionTime) - Date.parse(j.status.startTime);
    expect(elapsed).toBeGreaterThanOrEqual(3000);
  });

  it('OnFailure restarts the container in place and counts no failed pod', async () => {
    await createJob('on-failure', {
      completions: 2,
      parallelism: 2,
      restartPolicy: 'OnFailure',
      script: '[ -f /data/ran ] && exit 0 || { touch /data/ran; exit 1; }',
      volumes: [{ name: 'data', emptyDir: {} }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
    await waitCondition('on-failure', 'complete');
    const j = await job('on-failure');
    expect(j.status.succeeded).toBe(2);
    expect(j.status.failed ?? 0).toBe(0);
    const p = await pods('on-failure');
    expect(p).toHaveLength(2);
    for (const pod of p) expect(pod.status.containerStatuses[0].restartCount).toBe(1);
  });
});

describe('Indexed, suspend and TTL on real containers', () => {
  it('Indexed: each pod gets its index in env, label and hostname', async () => {
    await createJob('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed', script: 'echo "index=$JOB_COMPLETION_INDEX host=$(hostname)"' });
    await waitCondition('indexed', 'complete');
    const j = await job('indexed');
    expect(j.status.completedIndexes).toBe('0-2');
    for (const pod of await pods('indexed')) {
      const index = pod.metadata.labels['batch.kubernetes.io/job-completion-index'];
      expect(pod.metadata.annotations['batch.kubernetes.io/job-completion-index']).toBe(index);
      expect(pod.spec.hostname).toBe(`indexed-${index}`);
      const log = await ok(['-n', ns, 'logs', pod.metadata.name]);
      expect(log.trim()).toBe(`index=${index} host=indexed-${index}`);
    }
  });

  it('suspend: no pods while suspended, then runs to completion once resumed', async () => {
    await createJob('suspended', { completions: 2, parallelism: 2, suspend: true, script: 'exit 0' });
    await waitFor(async () => conditionTypes(await job('suspended')).includes('Suspended'));
    expect(await pods('suspended')).toHaveLength(0);
    await ok(['-n', ns, 'patch', 'job', 'suspended', '--type', 'merge', '-p', '{"spec":{"suspend":false}}']);
    await waitCondition('suspended', 'complete');
    const j = await job('suspended');
    expect(j.status.succeeded).toBe(2);
    const suspendedCond = j.status.conditions.find((c: any) => c.type === 'Suspended');
    expect(suspendedCond).toMatchObject({ status: 'False', reason: 'JobResumed' });
    const events = await ok(['-n', ns, 'describe', 'job', 'suspended']);
    expect(events).toMatch(/Normal\s+Suspended/);
    expect(events).toMatch(/Normal\s+Resumed/);
  });

  it('ttlSecondsAfterFinished deletes the Job and its pods after it finished', async () => {
    await createJob('ttl', { ttlSecondsAfterFinished: 2, script: 'exit 0' });
    await waitCondition('ttl', 'complete');
    const finished = Date.now();
    await ok(['-n', ns, 'wait', '--for=delete', 'job/ttl', '--timeout=60s']);
    expect(Date.now() - finished).toBeGreaterThanOrEqual(1000);
    await waitFor(async () => (await pods('ttl')).length === 0);
  });
});

describe('the busybox example (docs/product.md#busybox-example)', () => {
  it('busybox, completions 2, parallelism 2: two pods at once, Complete, completion time set', async () => {
    await ok(['apply', '-f', '-'], YAML.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'busybox', namespace: ns },
      spec: {
        completions: 2,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'busybox', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 2'] }] } },
      },
    }));
    await waitCondition('busybox', 'complete');
    const p = await pods('busybox');
    expect(p).toHaveLength(2);
    // Both pods were created before either finished: two at once.
    const created = p.map((x) => Date.parse(x.metadata.creationTimestamp));
    const finished = p.map((x) => runInterval(x)[1]);
    expect(Math.max(...created)).toBeLessThan(Math.min(...finished));
    expect(maxOverlap(p.map(runInterval))).toBe(2);
    const j = await job('busybox');
    expect(j.status.completionTime).toBeTruthy();
    expect(j.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    const table = await ok(['-n', ns, 'get', 'jobs', 'busybox']);
    expect(table.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(table).toMatch(/busybox\s+Complete\s+2\/2/);
    expect((await ok(['-n', ns, 'logs', 'job/busybox'])).trim()).toBe('hello');
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 250));
  }
}
