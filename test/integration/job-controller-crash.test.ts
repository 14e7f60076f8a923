// Exact counting across crashes (controllers/job/track-status.ts): pods carry batch.kubernetes.io/job-tracking, and a
// pod's outcome is counted once, never lost, whatever stops between two steps. A simulated node
// (test/support/sim-node.ts) keeps finishing pods while
//   1. the controller manager is stopped and started again, at several points;
//   2. the whole in-process server is stopped and started again on the same data directory;
//   3. a real `jobyard server --no-agent` process is killed with SIGKILL and started again.
// At the end `succeeded` and `failed` are exact, no pod keeps its finalizer, no extra pod was
// created and never more than `parallelism` pods were active at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job, JobSpec, Pod } from '../../api/index.js';
import { RestClientset, loadKubeconfig } from '../../client/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../cmd/server.js';
import { type ControllerManager, startControllers } from '../../controllers/manager.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { type PodScript, SimNode } from '../support/sim-node.js';
import { waitFor } from '../support/wait.js';

const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});


function newJob(name: string, spec: Partial<JobSpec>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 0'] }] } },
    } as JobSpec,
  };
}

/** A point to stop at, seen from outside: the job's status and its pods. */
/** `fleeting` states may be missed by polling: after a few seconds the next point is tried. */
type StopPoint = { name: string; fleeting?: boolean; reached: (job: Job, pods: Pod[]) => boolean };

const hasUncounted = (j: Job) => (j.status?.uncountedTerminatedPods?.succeeded?.length ?? 0) + (j.status?.uncountedTerminatedPods?.failed?.length ?? 0) > 0;
const terminalWithFinalizer = (pods: Pod[]) =>
  pods.some((p) => (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && p.metadata.finalizers?.includes(TRACKING_FINALIZER));

function stopPoints(completions: number): StopPoint[] {
  return [
    // A finished pod seen by nobody yet (still holding its finalizer, not in the status).
    { name: 'a finished pod not yet recorded', fleeting: true, reached: (_j, pods) => terminalWithFinalizer(pods) },
    // Between step 1 (UIDs in uncountedTerminatedPods) and step 3 (counted).
    { name: 'pods recorded as uncounted', fleeting: true, reached: (j) => hasUncounted(j) },
    { name: `a third of the completions`, reached: (j) => (j.status?.succeeded ?? 0) >= Math.floor(completions / 3) },
    // Right after new pods were created.
    { name: 'pods just created', fleeting: true, reached: (_j, pods) => pods.some((p) => !p.spec.nodeName) },
    { name: `two thirds of the completions`, reached: (j) => (j.status?.succeeded ?? 0) >= Math.floor((2 * completions) / 3) },
  ];
}

/** The deterministic points were reached (the short-lived states usually are, too). */
function expectStopsAt(reached: string[]): void {
  expect(reached.length, reached.join(', ')).toBeGreaterThanOrEqual(3);
  expect(reached).toEqual(expect.arrayContaining(['a third of the completions', 'two thirds of the completions']));
}

/** Polls the Job and its pods quickly until `point` holds: "reached", "missed" (a fleeting state not seen) or "finished". */
async function reach(cs: RestClientset, ns: string, name: string, point: StopPoint): Promise<'reached' | 'missed' | 'finished'> {
  const deadline = Date.now() + (point.fleeting ? 5_000 : 60_000);
  return waitFor(
    `stop point "${point.name}"`,
    async () => {
      const job = await cs.jobs.namespace(ns).get(name);
      if (job.status?.conditions?.some((c) => c.type === 'SuccessCriteriaMet')) return 'finished' as const;
      const pods = (await cs.pods.namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
      if (point.reached(job, pods)) return 'reached' as const;
      return point.fleeting && Date.now() > deadline ? ('missed' as const) : undefined;
    },
    60_000,
    10,
  );
}

/** Every pod counted exactly once, none left with a finalizer, no extra pod, parallelism respected. */
async function expectExactCounts(cs: RestClientset, node: SimNode, ns: string, name: string, want: { completions: number; parallelism: number }) {
  const job = await waitFor(
    'Complete',
    async () => {
      const j = await cs.jobs.namespace(ns).get(name);
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    },
    120_000,
  );
  const hist = node.history(ns);
  const failedPlayed = hist.filter((r) => r.phase === 'Failed').length;
  const succeededPlayed = hist.filter((r) => r.phase === 'Succeeded').length;
  expect(job.status?.succeeded, 'succeeded').toBe(want.completions);
  expect(succeededPlayed, 'pods the node finished with exit 0').toBe(want.completions);
  expect(job.status?.failed ?? 0, 'failed').toBe(failedPlayed);
  expect(job.status?.uncountedTerminatedPods ?? {}).toEqual({});
  expect([job.status?.active ?? 0, job.status?.ready, job.status?.terminating]).toEqual([0, 0, 0]);
  // Each failure was replaced once, and nothing else was created.
  expect(hist.length, 'pods created').toBe(want.completions + failedPlayed);
  const pods = (await cs.pods.namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
  expect(pods.length).toBe(hist.length);
  expect(pods.filter((p) => p.metadata.finalizers?.length).map((p) => p.metadata.name), 'pods with finalizers').toEqual([]);
  expect(node.maxActive(ns), 'most pods active at once').toBeLessThanOrEqual(want.parallelism);
  expect(node.errors).toEqual([]);
  return job;
}

/** Varied run times, and every sixth pod fails (replaced after the backoff). */
function script(failEvery: number): (pod: unknown, info: { seq: number }) => PodScript {
  return (_p, info) => ({ runMs: 120 + ((info.seq * 97) % 380), exit: { exitCode: failEvery > 0 && info.seq % failEvery === failEvery - 1 ? 1 : 0 } });
}

function baseOptions(dataDir: string, controllers: boolean, port = 0): ServerOptions {
  return {
    dataDir,
    host: '127.0.0.1',
    port,
    controllers,
    agent: false,
    jobBackoffBaseSeconds: 0.2,
    jobBackoffMaxSeconds: 1,
    tlsSans: [],
    quiet: !process.env.JOBYARD_TEST_LOGS,
  };
}

describe.concurrent('exact counting across crashes', () => {
  it('counts every pod exactly once when the controller manager stops and starts again at several points', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-crash-cm-'));
    const server: RunningServer = await startServer(baseOptions(dataDir, false));
    const cs = new RestClientset(loadKubeconfig(server.kubeconfigPath));
    const node = await SimNode.start({ kubeconfig: server.kubeconfigPath, nodeName: 'sim-crash-cm' });
    let cm: ControllerManager | undefined;
    cleanups.push(async () => {
      await cm?.stop();
      await node.stop();
      cs.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const startManager = async () => {
      cm = startControllers({ kubeconfig: server.kubeconfigPath, controllers: { job: { backoff: { baseMs: 200, capMs: 1000 } } } });
      await cm.waitForCacheSync();
    };
    const ns = 'crash-cm';
    await cs.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    node.script(ns, script(6));
    await startManager();
    await cs.jobs.namespace(ns).create(newJob('counted', { completions: 20, parallelism: 4, backoffLimit: 100 }));
    const reached: string[] = [];
    for (const point of stopPoints(20)) {
      const r = await reach(cs, ns, 'counted', point);
      if (r === 'finished') break;
      if (r === 'missed') continue;
      reached.push(point.name);
      await cm!.stop();
      // The node keeps finishing pods while no controller runs.
      await new Promise((r) => setTimeout(r, 600));
      await startManager();
    }
    expectStopsAt(reached);
    await expectExactCounts(cs, node, ns, 'counted', { completions: 20, parallelism: 4 });
  });

  it('counts every pod exactly once when the whole in-process server stops and starts again on its data directory', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-crash-server-'));
    let server: RunningServer = await startServer(baseOptions(dataDir, true));
    const port = server.port;
    const cs = new RestClientset(loadKubeconfig(server.kubeconfigPath));
    const node = await SimNode.start({ kubeconfig: server.kubeconfigPath, nodeName: 'sim-crash-server' });
    cleanups.push(async () => {
      await node.stop();
      cs.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const ns = 'crash-server';
    await cs.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    node.script(ns, script(6));
    await cs.jobs.namespace(ns).create(newJob('counted', { completions: 20, parallelism: 4, backoffLimit: 100 }));
    const reached: string[] = [];
    for (const point of stopPoints(20)) {
      const r = await reach(cs, ns, 'counted', point);
      if (r === 'finished') break;
      if (r === 'missed') continue;
      reached.push(point.name);
      await server.stop();
      await new Promise((r) => setTimeout(r, 400));
      server = await startServer(baseOptions(dataDir, true, port));
    }
    expectStopsAt(reached);
    await expectExactCounts(cs, node, ns, 'counted', { completions: 20, parallelism: 4 });
  });

  it('a Job of 50 completions at parallelism 5 survives SIGKILLs of jobyard server: succeeded exactly 50, never more than 5 active, nothing left behind', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobyard-int-crash-kill-'));
    const args = ['--no-agent', '--job-backoff-base', '0.2', '--job-backoff-max', '1'];
    let server = await JobyardServer.start({ dataDir, args });
    const port = server.port;
    const cs = new RestClientset(loadKubeconfig(server.kubeconfig));
    const node = await SimNode.start({ kubeconfig: server.kubeconfig, nodeName: 'sim-crash-kill' });
    cleanups.push(async () => {
      await node.stop();
      cs.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const ns = 'crash-kill';
    await cs.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    node.script(ns, script(0));
    await cs.jobs.namespace(ns).create(newJob('fifty', { completions: 50, parallelism: 5 }));
    const reached: string[] = [];
    for (const point of stopPoints(50)) {
      const r = await reach(cs, ns, 'fifty', point);
      if (r === 'finished') break;
      if (r === 'missed') continue;
      reached.push(point.name);
      await server.kill9();
      server = await JobyardServer.start({ dataDir, port, args });
    }
    expectStopsAt(reached);
    const job = await expectExactCounts(cs, node, ns, 'fifty', { completions: 50, parallelism: 5 });
    expect(job.status?.failed ?? 0).toBe(0);
    // Nothing left behind: kubectl delete (Background) removes the Job and every pod.
    const del = await server.kubectl(['-n', ns, 'delete', 'job', 'fifty']);
    expect(del.code, del.stderr).toBe(0);
    await waitFor('every pod gone', async () => (await cs.pods.namespace(ns).list()).items.length === 0, 60_000);
  });
});
