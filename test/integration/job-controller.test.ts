// The Job controller against the real API server, in process (SQLite in a temp dir, HTTPS), with
// the controllers `jobyard server` runs (Job, scheduler, garbage collector, TTL-after-finished...)
// and a simulated node (test/support/sim-node.ts) that plays each pod to a scripted end, as
// upstream's test/integration/job does by writing pod status. Every scenario is named after the
// upstream behaviour it checks (upstream's e2e and integration test names where there is one).
//
// The server uses a small pod-failure backoff (base 1 s, cap 2 s) so failure scenarios stay short;
// the backoff's doubling and cap are checked on a second server (base 2 s, cap 5 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Job, JobCondition, JobSpec, Pod, PodSpec } from '../../api/index.js';
import { RestClientset, loadKubeconfig } from '../../client/index.js';
import { type RunningServer, startServer } from '../../cmd/server.js';
import { isNotFound } from '../../machinery/index.js';
import { runKubectl } from '../support/jobyard-server.js';
import { type PodRecord, SimNode } from '../support/sim-node.js';
import { waitFor } from '../support/wait.js';

const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
const FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-failure-count';
const MSG_BACKOFF = 'Job has reached the specified backoff limit';
const MSG_DEADLINE = 'Job was active longer than specified deadline';
const MSG_COMPLETIONS = 'Reached expected number of succeeded pods';

// --- the cluster under test ---

interface Cluster {
  server: RunningServer;
  dataDir: string;
  cs: RestClientset;
  node: SimNode;
}

let nsSeq = 0;

async function startCluster(name: string, backoff: { base: number; max: number }): Promise<Cluster> {
  const dataDir = mkdtempSync(join(tmpdir(), `jobyard-int-${name}-`));
  const server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    controllers: true,
    agent: false,
    jobBackoffBaseSeconds: backoff.base,
    jobBackoffMaxSeconds: backoff.max,
    tlsSans: [],
    quiet: !process.env.JOBYARD_TEST_LOGS,
  });
  const cs = new RestClientset(loadKubeconfig(server.kubeconfigPath));
  const node = await SimNode.start({ kubeconfig: server.kubeconfigPath, nodeName: `sim-${name}` });
  return { server, dataDir, cs, node };
}

async function stopCluster(c: Cluster | undefined): Promise<void> {
  if (!c) return;
  await c.node.stop();
  c.cs.close();
  await c.server.stop();
  rmSync(c.dataDir, { recursive: true, force: true });
}

let c: Cluster;
beforeAll(async () => {
  c = await startCluster('jobs', { base: 1, max: 2 });
});
afterAll(async () => {
  // The node gave up on no write.
  const errors = c?.node.errors ?? [];
  await stopCluster(c);
  expect(errors).toEqual([]);
});

// --- helpers ---

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs`. */

async function newNamespace(cl: Cluster, prefix: string): Promise<string> {
  const name = `${prefix}-${++nsSeq}`;
  await cl.cs.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** The base Job of these scenarios: restartPolicy Never, grace 1 s, one container "c". */
function newJob(name: string, spec: Partial<JobSpec> = {}, pod: Partial<PodSpec> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 0'] }],
          ...pod,
        },
      },
    } as JobSpec,
  };
}

const jobsOf = (cl: Cluster, ns: string) => cl.cs.jobs.namespace(ns);

async function getJob(cl: Cluster, ns: string, name: string): Promise<Job> {
  return jobsOf(cl, ns).get(name);
}

/** The Job's pods (by the job-name label), oldest first. */
async function podsOf(cl: Cluster, ns: string, job: string): Promise<Pod[]> {
  const list = await cl.cs.pods.namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${job}` });
  return list.items.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || 0);
}

async function eventsOf(cl: Cluster, ns: string, name: string): Promise<Event[]> {
  const list = await cl.cs.events.namespace(ns).list();
  return (list.items as Event[]).filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === name);
}

function cond(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((x) => x.type === type);
}

/** [type, status, reason] of each condition, in order. */
function conds(job: Job): [string, string, string | undefined][] {
  return (job.status?.conditions ?? []).map((x) => [x.type, x.status, x.reason]);
}

function isFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
}

async function waitForFinished(cl: Cluster, ns: string, name: string, timeoutMs = 30_000): Promise<Job> {
  return waitFor(`${ns}/${name} finished`, async () => {
    const j = await getJob(cl, ns, name);
    return isFinished(j) ? j : undefined;
  }, timeoutMs);
}

async function waitForJob(cl: Cluster, ns: string, name: string, what: string, pred: (j: Job) => boolean, timeoutMs = 30_000): Promise<Job> {
  return waitFor(`${ns}/${name}: ${what}`, async () => {
    const j = await getJob(cl, ns, name);
    return pred(j) ? j : undefined;
  }, timeoutMs);
}

async function waitForPods(cl: Cluster, ns: string, job: string, what: string, pred: (pods: Pod[]) => boolean, timeoutMs = 30_000): Promise<Pod[]> {
  return waitFor(`${ns}/${job} pods: ${what}`, async () => {
    const pods = await podsOf(cl, ns, job);
    return pred(pods) ? pods : undefined;
  }, timeoutMs);
}

const running = (pods: Pod[]) => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const phaseCount = (pods: Pod[], phase: string) => pods.filter((p) => p.status?.phase === phase).length;
const seconds = (t: string | undefined) => Date.parse(t ?? '') / 1000;

/** The end state upstream writes: counters exact, nothing active, ready or terminating, nothing uncounted, no finalizer left. */
async function expectSettled(cl: Cluster, ns: string, job: Job, counts: { succeeded?: number; failed?: number }): Promise<void> {
  const s = job.status ?? {};
  expect(s.succeeded ?? 0, 'succeeded').toBe(counts.succeeded ?? 0);
  expect(s.failed ?? 0, 'failed').toBe(counts.failed ?? 0);
  expect(s.active ?? 0, 'active').toBe(0);
  expect(s.ready, 'ready').toBe(0);
  expect(s.terminating, 'terminating').toBe(0);
  expect(s.uncountedTerminatedPods, 'uncountedTerminatedPods').toEqual({});
  const pods = await podsOf(cl, ns, job.metadata.name!);
  expect(pods.filter((p) => p.metadata.finalizers?.includes(TRACKING_FINALIZER)).map((p) => p.metadata.name), 'pods still holding the tracking finalizer').toEqual([]);
}

// --- scenarios ---

describe.concurrent('Job controller with a simulated node', () => {
  describe('the four job shapes (docs/product.md#job-shapes)', () => {
    it('should run a job to completion when tasks succeed: one-shot, SuccessCriteriaMet then Complete, events, finalizer held while running', async () => {
      const ns = await newNamespace(c, 'one-shot');
      c.node.script(ns, { runMs: 600 });
      await jobsOf(c, ns).create(newJob('once'));
      const [pod] = await waitForPods(c, ns, 'once', 'running', (p) => running(p).length === 1);
      expect(pod.metadata.finalizers).toContain(TRACKING_FINALIZER);
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ apiVersion: 'batch/v1', kind: 'Job', name: 'once', controller: true, blockOwnerDeletion: true }),
      ]);
      const job = await waitForFinished(c, ns, 'once');
      expect(conds(job)).toEqual([
        ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
        ['Complete', 'True', 'CompletionsReached'],
      ]);
      expect(cond(job, 'Complete')?.message).toBe(MSG_COMPLETIONS);
      expect(job.status?.completionTime).toBe(cond(job, 'Complete')?.lastTransitionTime);
      expect(seconds(job.status?.startTime)).toBeLessThanOrEqual(seconds(job.status?.completionTime));
      await expectSettled(c, ns, job, { succeeded: 1 });
      const pods = await podsOf(c, ns, 'once');
      expect(pods.map((p) => p.status?.phase)).toEqual(['Succeeded']);
      const reasons = (await eventsOf(c, ns, 'once')).map((e) => [e.type, e.reason, e.message]);
      expect(reasons).toEqual(
        expect.arrayContaining([
          ['Normal', 'SuccessfulCreate', `Created pod: ${pods[0].metadata.name}`],
          ['Normal', 'Completed', 'Job completed'],
        ]),
      );
    });

    it('runs fixed completions one pod at a time with parallelism 1', async () => {
      const ns = await newNamespace(c, 'fixed');
      c.node.script(ns, { runMs: 200 });
      await jobsOf(c, ns).create(newJob('fixed', { completions: 3 }));
      const job = await waitForFinished(c, ns, 'fixed');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      await expectSettled(c, ns, job, { succeeded: 3 });
      expect(c.node.maxActive(ns)).toBe(1);
      expect((await podsOf(c, ns, 'fixed')).map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    });

    it('should run a job to completion with fixed completions in parallel: never more than parallelism active, exactly completions pods', async () => {
      const ns = await newNamespace(c, 'parallel');
      c.node.script(ns, { runMs: 500 });
      await jobsOf(c, ns).create(newJob('par', { completions: 4, parallelism: 2 }));
      const job = await waitForFinished(c, ns, 'par');
      await expectSettled(c, ns, job, { succeeded: 4 });
      expect(c.node.maxActive(ns)).toBe(2);
      expect(phaseCount(await podsOf(c, ns, 'par'), 'Succeeded')).toBe(4);
      expect((await podsOf(c, ns, 'par')).length).toBe(4);
    });

    it('more active pods than remaining completions: parallelism 5, completions 3 creates 3 pods at once', async () => {
      const ns = await newNamespace(c, 'more-par');
      c.node.script(ns, { runMs: 1500 });
      await jobsOf(c, ns).create(newJob('mp', { completions: 3, parallelism: 5 }));
      const during = await waitForJob(c, ns, 'mp', 'active 3', (j) => j.status?.active === 3);
      expect(during.status?.ready).toBeLessThanOrEqual(3);
      const job = await waitForFinished(c, ns, 'mp');
      await expectSettled(c, ns, job, { succeeded: 3 });
      expect(c.node.maxActive(ns)).toBe(3);
      expect((await podsOf(c, ns, 'mp')).length).toBe(3);
    });

    it('WQ job finishing: no new pods after the first success; Complete once all pods ended', async () => {
      const ns = await newNamespace(c, 'wq');
      c.node.script(ns, (_p, info) => ({ runMs: info.seq === 0 ? 100 : 2500 }));
      await jobsOf(c, ns).create(newJob('wq', { parallelism: 3 }));
      expect((await getJob(c, ns, 'wq')).spec.completions).toBeUndefined();
      // The first pod succeeded: counted, the others left running, nothing new, not complete.
      const mid = await waitForJob(c, ns, 'wq', 'succeeded 1', (j) => j.status?.succeeded === 1);
      expect(mid.status?.active).toBe(2);
      expect(isFinished(mid)).toBe(false);
      expect(cond(mid, 'SuccessCriteriaMet')).toBeUndefined();
      const job = await waitForFinished(c, ns, 'wq');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      await expectSettled(c, ns, job, { succeeded: 3 });
      expect((await podsOf(c, ns, 'wq')).length).toBe(3);
      // Complete came after the last pod ended.
      const lastEnd = Math.max(...c.node.history(ns).map((r) => r.endedAtMs ?? 0));
      expect(seconds(job.status?.completionTime) * 1000).toBeGreaterThanOrEqual(Math.floor(lastEnd / 1000) * 1000);
    });

    it('WQ job all finished despite one failure: Complete with succeeded 1 and failed 1, the failed pod not replaced', async () => {
      const ns = await newNamespace(c, 'wq-fail');
      c.node.script(ns, (_p, info) => (info.seq === 0 ? { runMs: 100 } : { runMs: 1500, exit: { exitCode: 1 } }));
      await jobsOf(c, ns).create(newJob('wqf', { parallelism: 2 }));
      const job = await waitForFinished(c, ns, 'wqf');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      await expectSettled(c, ns, job, { succeeded: 1, failed: 1 });
      const pods = await podsOf(c, ns, 'wqf');
      expect(pods.length).toBe(2);
      expect([phaseCount(pods, 'Succeeded'), phaseCount(pods, 'Failed')]).toEqual([1, 1]);
    });
  });

  describe('parallelism', () => {
    it('parallelism 0 creates no pods and no conditions until parallelism is raised', async () => {
      const ns = await newNamespace(c, 'par-zero');
      c.node.script(ns, { runMs: 100 });
      await jobsOf(c, ns).create(newJob('pz', { parallelism: 0, completions: 1 }));
      // The controller has synced it (status written) and chose to create nothing.
      const idle = await waitForJob(c, ns, 'pz', 'first status', (j) => j.status?.startTime !== undefined);
      expect(idle.status?.conditions).toBeUndefined();
      expect(idle.status?.ready).toBe(0);
      expect(await podsOf(c, ns, 'pz')).toEqual([]);
      await jobsOf(c, ns).patch('pz', 'merge', { spec: { parallelism: 1 } });
      const job = await waitForFinished(c, ns, 'pz');
      await expectSettled(c, ns, job, { succeeded: 1 });
    });

    it('too many active pods: lowering parallelism deletes pods without counting them (SuccessfulDelete), raising it creates pods again', async () => {
      const ns = await newNamespace(c, 'scale');
      await jobsOf(c, ns).create(newJob('sc', { completions: 6, parallelism: 3 }));
      await waitForPods(c, ns, 'sc', '3 running', (p) => running(p).length === 3);
      await waitForJob(c, ns, 'sc', 'active 3 ready 3', (j) => j.status?.active === 3 && j.status?.ready === 3);
      await jobsOf(c, ns).patch('sc', 'merge', { spec: { parallelism: 1 } });
      const down = await waitForJob(c, ns, 'sc', 'active 1', (j) => j.status?.active === 1);
      expect(down.status?.failed ?? 0).toBe(0);
      // The two victims lost the tracking finalizer before the delete, so the node removed them for good.
      const left = await waitForPods(c, ns, 'sc', 'one pod left', (p) => p.length === 1);
      expect(left[0].metadata.finalizers).toContain(TRACKING_FINALIZER);
      const deletes = (await eventsOf(c, ns, 'sc')).filter((e) => e.reason === 'SuccessfulDelete');
      expect(deletes.length).toBe(2);
      expect(deletes.every((e) => e.type === 'Normal' && /^Deleted pod: sc-/.test(e.message ?? ''))).toBe(true);
      const settledDown = await waitForJob(c, ns, 'sc', 'terminating 0', (j) => j.status?.terminating === 0);
      expect([settledDown.status?.active, settledDown.status?.failed ?? 0]).toEqual([1, 0]);

      await jobsOf(c, ns).patch('sc', 'merge', { spec: { parallelism: 2 } });
      const up = await waitForJob(c, ns, 'sc', 'active 2', (j) => j.status?.active === 2);
      expect(up.status?.failed ?? 0).toBe(0);
      expect((await podsOf(c, ns, 'sc')).length).toBe(2);
    });

    it('should update the status ready field: ready counts active pods with Ready=True', async () => {
      const ns = await newNamespace(c, 'ready');
      c.node.script(ns, (_p, info) => ({ ready: info.seq === 0 }));
      await jobsOf(c, ns).create(newJob('rd', { completions: 2, parallelism: 2 }));
      await waitForPods(c, ns, 'rd', '2 running', (p) => running(p).length === 2);
      const j = await waitForJob(c, ns, 'rd', 'active 2 ready 1', (x) => x.status?.active === 2 && x.status?.ready === 1);
      expect(j.status?.terminating).toBe(0);
      for (const p of await podsOf(c, ns, 'rd')) await c.node.end(ns, p.metadata.name!);
      const job = await waitForFinished(c, ns, 'rd');
      await expectSettled(c, ns, job, { succeeded: 2 });
    });
  });

  describe('failures, retries and limits (docs/product.md#job-settings)', () => {
    it('restartPolicy Never replaces a failed pod with a new one; the failed pod stays Failed and is counted once', async () => {
      const ns = await newNamespace(c, 'never');
      c.node.script(ns, (_p, info) => ({ runMs: 150, exit: { exitCode: info.seq === 0 ? 1 : 0 } }));
      await jobsOf(c, ns).create(newJob('nv', { completions: 2 }));
      const job = await waitForFinished(c, ns, 'nv');
      await expectSettled(c, ns, job, { succeeded: 2, failed: 1 });
      const pods = await podsOf(c, ns, 'nv');
      expect(pods.map((p) => p.status?.phase)).toEqual(['Failed', 'Succeeded', 'Succeeded']);
      expect(pods[0].status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(1);
      expect(pods[0].status?.containerStatuses?.[0].restartCount).toBe(0);
    });

    it('should fail to exceed backoffLimit: backoffLimit 1 gives exactly 2 failed pods, FailureTarget then Failed, no completionTime', async () => {
      const ns = await newNamespace(c, 'backoff-limit');
      c.node.script(ns, { runMs: 100, exit: { exitCode: 1 } });
      await jobsOf(c, ns).create(newJob('bl', { backoffLimit: 1 }));
      const job = await waitForFinished(c, ns, 'bl');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'BackoffLimitExceeded'],
        ['Failed', 'True', 'BackoffLimitExceeded'],
      ]);
      expect(cond(job, 'Failed')?.message).toBe(MSG_BACKOFF);
      expect(job.status?.completionTime).toBeUndefined();
      await expectSettled(c, ns, job, { failed: 2 });
      const pods = await podsOf(c, ns, 'bl');
      expect(pods.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed']);
      const ev = (await eventsOf(c, ns, 'bl')).filter((e) => e.reason === 'BackoffLimitExceeded');
      expect(ev.map((e) => [e.type, e.message])).toEqual([['Warning', MSG_BACKOFF]]);
    });

    it('pods the controller deletes because the Job failed are counted failed: backoffLimit 0, one pod fails, the running one is killed and counted', async () => {
      const ns = await newNamespace(c, 'kill-counted');
      c.node.script(ns, (_p, info) => (info.seq === 0 ? { runMs: 300, exit: { exitCode: 1 } } : { terminationMs: 500, killedExitCode: 143 }));
      await jobsOf(c, ns).create(newJob('kc', { completions: 2, parallelism: 2, backoffLimit: 0 }));
      const job = await waitForFinished(c, ns, 'kc');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'BackoffLimitExceeded'],
        ['Failed', 'True', 'BackoffLimitExceeded'],
      ]);
      await expectSettled(c, ns, job, { failed: 2 });
      expect(c.node.history(ns).length).toBe(2);
    });

    it('OnFailure counts container restarts toward backoffLimit (restartCount >= backoffLimit): the pod is deleted and counted failed (TestJobBackoffForOnFailure)', async () => {
      const ns = await newNamespace(c, 'onfailure-limit');
      // Two restarts, then the container keeps running: only the ">= backoffLimit" rule can fail the Job.
      c.node.script(ns, { runMs: 100, restarts: { count: 2, everyMs: 300, exitCode: 1 }, exit: 'none' });
      await jobsOf(c, ns).create(newJob('of', { backoffLimit: 2 }, { restartPolicy: 'OnFailure' }));
      const job = await waitForFinished(c, ns, 'of');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'BackoffLimitExceeded'],
        ['Failed', 'True', 'BackoffLimitExceeded'],
      ]);
      await expectSettled(c, ns, job, { failed: 1 });
      expect(c.node.history(ns).map((r) => r.restarts)).toEqual([2]);
      await waitForPods(c, ns, 'of', 'the pod deleted', (p) => p.length === 0);
    });

    it('should run a job to completion when tasks sometimes fail and are locally restarted: OnFailure restarts are not failures', async () => {
      const ns = await newNamespace(c, 'onfailure-ok');
      c.node.script(ns, { runMs: 100, restarts: { count: 1, everyMs: 300 }, exit: { exitCode: 0 } });
      await jobsOf(c, ns).create(newJob('ofok', { completions: 4, parallelism: 2 }, { restartPolicy: 'OnFailure' }));
      const job = await waitForFinished(c, ns, 'ofok');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      await expectSettled(c, ns, job, { succeeded: 4 });
      const pods = await podsOf(c, ns, 'ofok');
      expect(pods.length).toBe(4);
      expect(pods.map((p) => p.status?.containerStatuses?.[0].restartCount)).toEqual([1, 1, 1, 1]);
    });

    it('should fail when exceeds active deadline: DeadlineExceeded, active pods terminated and counted failed, Failed once they are gone', async () => {
      const ns = await newNamespace(c, 'deadline');
      c.node.script(ns, { terminationMs: 1500, killedExitCode: 143 });
      await jobsOf(c, ns).create(newJob('dl', { completions: 4, parallelism: 2, activeDeadlineSeconds: 2 }));
      await waitForPods(c, ns, 'dl', '2 running', (p) => running(p).length === 2);
      // The interim condition while the pods terminate.
      const mid = await waitForJob(c, ns, 'dl', 'FailureTarget', (j) => cond(j, 'FailureTarget') !== undefined);
      expect(conds(mid)).toEqual([['FailureTarget', 'True', 'DeadlineExceeded']]);
      expect(cond(mid, 'FailureTarget')?.message).toBe(MSG_DEADLINE);
      expect(mid.status?.terminating).toBe(2);
      expect(mid.status?.active ?? 0).toBe(0);
      const afterStart = seconds(cond(mid, 'FailureTarget')?.lastTransitionTime) - seconds(mid.status?.startTime);
      expect(afterStart).toBeGreaterThanOrEqual(2);
      expect(afterStart).toBeLessThanOrEqual(4);
      const job = await waitForFinished(c, ns, 'dl');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'DeadlineExceeded'],
        ['Failed', 'True', 'DeadlineExceeded'],
      ]);
      await expectSettled(c, ns, job, { failed: 2 });
      // Failed waited for the pods to stop.
      const stopped = Math.max(...c.node.history(ns).map((r) => r.endedAtMs ?? 0));
      expect(seconds(cond(job, 'Failed')?.lastTransitionTime) * 1000).toBeGreaterThanOrEqual(Math.floor(stopped / 1000) * 1000);
      expect((await eventsOf(c, ns, 'dl')).some((e) => e.type === 'Warning' && e.reason === 'DeadlineExceeded' && e.message === MSG_DEADLINE)).toBe(true);
    });

    it('an updated activeDeadlineSeconds re-arms the deadline timer', async () => {
      const ns = await newNamespace(c, 'ads-update');
      await jobsOf(c, ns).create(newJob('au', { activeDeadlineSeconds: 3600 }));
      await waitForPods(c, ns, 'au', 'running', (p) => running(p).length === 1);
      const started = await waitForJob(c, ns, 'au', 'active 1', (j) => j.status?.active === 1);
      const patchedAt = Date.now();
      // Two seconds from now (startTime has whole seconds).
      const ads = Math.ceil((patchedAt - Date.parse(started.status!.startTime!)) / 1000) + 2;
      await jobsOf(c, ns).patch('au', 'merge', { spec: { activeDeadlineSeconds: ads } });
      const job = await waitForFinished(c, ns, 'au');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'DeadlineExceeded'],
        ['Failed', 'True', 'DeadlineExceeded'],
      ]);
      const at = seconds(cond(job, 'FailureTarget')?.lastTransitionTime) * 1000;
      expect(at - Date.parse(started.status!.startTime!)).toBeGreaterThanOrEqual(ads * 1000);
      expect(at - patchedAt).toBeLessThan(4000);
      await expectSettled(c, ns, job, { failed: 1 });
    });

    it('completions 0 completes at once with zero pods', async () => {
      const ns = await newNamespace(c, 'zero-completions');
      await jobsOf(c, ns).create(newJob('zc', { completions: 0 }));
      const job = await waitForFinished(c, ns, 'zc');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      await expectSettled(c, ns, job, {});
      expect(job.status?.completionTime).toBeDefined();
      expect(await podsOf(c, ns, 'zc')).toEqual([]);
    });

    it('a suspended Job with completions 0 completes at once, without startTime (kubernetes#132144)', async () => {
      const ns = await newNamespace(c, 'zero-suspended');
      await jobsOf(c, ns).create(newJob('zs', { completions: 0, suspend: true }));
      const job = await waitForFinished(c, ns, 'zs', 10_000);
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      expect(job.status?.startTime).toBeUndefined();
      expect(job.status?.completionTime).toBe(cond(job, 'Complete')?.lastTransitionTime);
      await expectSettled(c, ns, job, {});
    });

    it('activeDeadlineSeconds 0 is accepted and fails the Job at once with DeadlineExceeded, with no pods', async () => {
      const ns = await newNamespace(c, 'ads-zero');
      await jobsOf(c, ns).create(newJob('az', { activeDeadlineSeconds: 0 }));
      const job = await waitForFinished(c, ns, 'az');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'DeadlineExceeded'],
        ['Failed', 'True', 'DeadlineExceeded'],
      ]);
      await expectSettled(c, ns, job, {});
      expect(await podsOf(c, ns, 'az')).toEqual([]);
    });
  });

  describe('suspend and resume', () => {
    it('should not create pods when created in suspend state; resume sets startTime and runs it to completion', async () => {
      const ns = await newNamespace(c, 'suspend-create');
      c.node.script(ns, { runMs: 100 });
      await jobsOf(c, ns).create(newJob('sc', { completions: 4, parallelism: 2, suspend: true }));
      const suspended = await waitForJob(c, ns, 'sc', 'Suspended=True', (j) => cond(j, 'Suspended')?.status === 'True');
      expect(conds(suspended)).toEqual([['Suspended', 'True', 'JobSuspended']]);
      expect(cond(suspended, 'Suspended')?.message).toBe('Job suspended');
      expect(suspended.status?.startTime).toBeUndefined();
      expect(suspended.status?.ready).toBe(0);
      expect(await podsOf(c, ns, 'sc')).toEqual([]);
      const resumedAt = Math.floor(Date.now() / 1000);
      await jobsOf(c, ns).patch('sc', 'merge', { spec: { suspend: false } });
      const job = await waitForFinished(c, ns, 'sc');
      expect(conds(job)).toEqual([
        ['Suspended', 'False', 'JobResumed'],
        ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
        ['Complete', 'True', 'CompletionsReached'],
      ]);
      expect(seconds(job.status?.startTime)).toBeGreaterThanOrEqual(resumedAt);
      await expectSettled(c, ns, job, { succeeded: 4 });
      const evs = (await eventsOf(c, ns, 'sc')).map((e) => `${e.type} ${e.reason} ${e.message}`);
      expect(evs).toEqual(expect.arrayContaining(['Normal Suspended Job suspended', 'Normal Resumed Job resumed']));
    });

    it('should delete pods when suspended: not counted as failed, startTime cleared; resume creates pods again with a new startTime', async () => {
      const ns = await newNamespace(c, 'suspend-running');
      c.node.script(ns, (_p, info) => (info.seq < 2 ? {} : { runMs: 200 }));
      await jobsOf(c, ns).create(newJob('sr', { completions: 4, parallelism: 2 }));
      await waitForPods(c, ns, 'sr', '2 running', (p) => running(p).length === 2);
      const started = await waitForJob(c, ns, 'sr', 'active 2', (j) => j.status?.active === 2);
      expect(started.status?.startTime).toBeDefined();
      await jobsOf(c, ns).patch('sr', 'merge', { spec: { suspend: true } });
      const suspended = await waitForJob(c, ns, 'sr', 'suspended, pods gone', (j) => cond(j, 'Suspended')?.status === 'True' && (j.status?.terminating ?? 0) === 0 && (j.status?.active ?? 0) === 0);
      expect(suspended.status?.failed ?? 0).toBe(0);
      // Upstream (KEP-2232 with KEP-5440): a suspended Job has no startTime.
      expect(suspended.status?.startTime).toBeUndefined();
      await waitForPods(c, ns, 'sr', 'pods gone', (p) => p.length === 0);
      expect((await eventsOf(c, ns, 'sr')).filter((e) => e.reason === 'SuccessfulDelete').length).toBe(2);
      const resumedAt = Math.floor(Date.now() / 1000);
      await jobsOf(c, ns).patch('sr', 'merge', { spec: { suspend: false } });
      const job = await waitForFinished(c, ns, 'sr');
      expect(conds(job)).toEqual([
        ['Suspended', 'False', 'JobResumed'],
        ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
        ['Complete', 'True', 'CompletionsReached'],
      ]);
      expect(seconds(job.status?.startTime)).toBeGreaterThanOrEqual(resumedAt);
      await expectSettled(c, ns, job, { succeeded: 4 });
      expect(c.node.history(ns).length).toBe(6);
    });

    it('a suspended Job never passes its deadline; resuming restarts the deadline', async () => {
      const ns = await newNamespace(c, 'suspend-deadline');
      await jobsOf(c, ns).create(newJob('sd', { parallelism: 1, activeDeadlineSeconds: 2 }));
      await waitForPods(c, ns, 'sd', 'running', (p) => running(p).length === 1);
      await jobsOf(c, ns).patch('sd', 'merge', { spec: { suspend: true } });
      await waitForJob(c, ns, 'sd', 'Suspended', (j) => cond(j, 'Suspended')?.status === 'True');
      // Longer than the deadline, suspended: no failure.
      await new Promise((r) => setTimeout(r, 3000));
      const still = await getJob(c, ns, 'sd');
      expect(cond(still, 'FailureTarget')).toBeUndefined();
      expect(isFinished(still)).toBe(false);
      const resumedAt = Date.now();
      await jobsOf(c, ns).patch('sd', 'merge', { spec: { suspend: false } });
      const job = await waitForFinished(c, ns, 'sd');
      expect(conds(job)).toEqual([
        ['Suspended', 'False', 'JobResumed'],
        ['FailureTarget', 'True', 'DeadlineExceeded'],
        ['Failed', 'True', 'DeadlineExceeded'],
      ]);
      const failedAfter = seconds(cond(job, 'FailureTarget')?.lastTransitionTime) - resumedAt / 1000;
      expect(failedAfter).toBeGreaterThanOrEqual(1);
      expect(failedAfter).toBeLessThanOrEqual(4);
      await expectSettled(c, ns, job, { failed: 1 });
    });
  });

  describe('Indexed Jobs', () => {
    it('should create pods for an Indexed job with completion indexes and specified hostname', async () => {
      const ns = await newNamespace(c, 'indexed');
      c.node.script(ns, { runMs: 200 });
      await jobsOf(c, ns).create(
        newJob('ix', { completions: 4, parallelism: 2, completionMode: 'Indexed' }, { initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'] }] }),
      );
      const job = await waitForFinished(c, ns, 'ix');
      expect(job.status?.completedIndexes).toBe('0-3');
      await expectSettled(c, ns, job, { succeeded: 4 });
      expect(c.node.maxActive(ns)).toBe(2);
      const pods = await podsOf(c, ns, 'ix');
      expect(pods.length).toBe(4);
      const indexes = pods.map((p) => p.metadata.annotations?.[INDEX_KEY]).sort();
      expect(indexes).toEqual(['0', '1', '2', '3']);
      for (const p of pods) {
        const i = p.metadata.annotations?.[INDEX_KEY];
        expect(p.metadata.labels?.[INDEX_KEY]).toBe(i);
        expect(p.spec.hostname).toBe(`ix-${i}`);
        expect(p.metadata.name).toMatch(new RegExp(`^ix-${i}-[a-z0-9]{5}$`));
        for (const ctr of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) {
          const env = ctr.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
          expect(env?.valueFrom?.fieldRef?.fieldPath, ctr.name).toBe(`metadata.labels['${INDEX_KEY}']`);
        }
      }
    });

    it('indexed job completed: two consecutive indexes are written "0,1"', async () => {
      const ns = await newNamespace(c, 'indexed-two');
      c.node.script(ns, { runMs: 100 });
      await jobsOf(c, ns).create(newJob('i2', { completions: 2, parallelism: 2, completionMode: 'Indexed' }));
      const job = await waitForFinished(c, ns, 'i2');
      expect(job.status?.completedIndexes).toBe('0,1');
      await expectSettled(c, ns, job, { succeeded: 2 });
    });

    it('indexed job: a failed index gets a new pod with the same index; completedIndexes "0-2", failed 1', async () => {
      const ns = await newNamespace(c, 'indexed-retry');
      c.node.script(ns, (_p, info) => ({ runMs: 150, exit: { exitCode: info.index === 1 && info.indexSeq === 0 ? 1 : 0 } }));
      await jobsOf(c, ns).create(newJob('ir', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
      const job = await waitForFinished(c, ns, 'ir');
      expect(job.status?.completedIndexes).toBe('0-2');
      await expectSettled(c, ns, job, { succeeded: 3, failed: 1 });
      const byIndex = (await podsOf(c, ns, 'ir')).map((p) => `${p.metadata.labels?.[INDEX_KEY]}:${p.status?.phase}`).sort();
      expect(byIndex).toEqual(['0:Succeeded', '1:Failed', '1:Succeeded', '2:Succeeded']);
    });

    it('should execute all indexes despite some failing when using backoffLimitPerIndex', async () => {
      const ns = await newNamespace(c, 'per-index');
      c.node.script(ns, (_p, info) => ({ runMs: 100, exit: { exitCode: (info.index ?? 0) % 2 } }));
      await jobsOf(c, ns).create(newJob('pi', { completions: 4, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
      const job = await waitForFinished(c, ns, 'pi');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'FailedIndexes'],
        ['Failed', 'True', 'FailedIndexes'],
      ]);
      expect(cond(job, 'Failed')?.message).toBe('Job has failed indexes');
      expect(job.spec.backoffLimit).toBe(2147483647);
      expect(job.status?.failedIndexes).toBe('1,3');
      expect(job.status?.completedIndexes).toBe('0,2');
      await expectSettled(c, ns, job, { succeeded: 2, failed: 4 });
    });

    it('should record the failure-count in the Pod annotation when using backoffLimitPerIndex', async () => {
      const ns = await newNamespace(c, 'failure-count');
      c.node.script(ns, { runMs: 100, exit: { exitCode: 1 } });
      await jobsOf(c, ns).create(newJob('fc', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
      const job = await waitForFinished(c, ns, 'fc');
      expect(job.status?.failedIndexes).toBe('0,1');
      expect(job.status?.completedIndexes ?? '').toBe('');
      await expectSettled(c, ns, job, { failed: 4 });
      const counts = (await podsOf(c, ns, 'fc')).map((p) => `${p.metadata.labels?.[INDEX_KEY]}:${p.metadata.annotations?.[FAILURE_COUNT_KEY]}`).sort();
      expect(counts).toEqual(['0:0', '0:1', '1:0', '1:1']);
    });

    it('should terminate job execution when the number of failed indexes exceeds maxFailedIndexes', async () => {
      const ns = await newNamespace(c, 'max-failed');
      c.node.script(ns, { runMs: 100, exit: { exitCode: 1 } });
      await jobsOf(c, ns).create(
        newJob('mf', { completions: 4, parallelism: 1, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 0 }),
      );
      const job = await waitForFinished(c, ns, 'mf');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'MaxFailedIndexesExceeded'],
        ['Failed', 'True', 'MaxFailedIndexesExceeded'],
      ]);
      expect(cond(job, 'Failed')?.message).toBe('Job has exceeded the specified maximal number of failed indexes');
      expect(job.status?.failedIndexes).toBe('0');
      await expectSettled(c, ns, job, { failed: 1 });
      expect(c.node.history(ns).map((r) => r.info.index)).toEqual([0]);
    });

    it('should mark indexes as failed when the FailIndex action is matched in podFailurePolicy', async () => {
      const ns = await newNamespace(c, 'fail-index');
      c.node.script(ns, (_p, info) => ({ runMs: 100, exit: { exitCode: info.index === 1 ? 1 : 0 } }));
      await jobsOf(c, ns).create(
        newJob('fi', {
          completions: 2,
          parallelism: 2,
          completionMode: 'Indexed',
          backoffLimitPerIndex: 1,
          podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] },
        }),
      );
      const job = await waitForFinished(c, ns, 'fi');
      expect(conds(job).map((x) => x[0])).toEqual(['FailureTarget', 'Failed']);
      expect(job.status?.failedIndexes).toBe('1');
      expect(job.status?.completedIndexes).toBe('0');
      await expectSettled(c, ns, job, { succeeded: 1, failed: 1 });
      // No retry for the failed index.
      expect((await podsOf(c, ns, 'fi')).length).toBe(2);
    });
  });

  describe('podFailurePolicy', () => {
    it('should allow to use the pod failure policy on exit code to fail the job early: FailJob', async () => {
      const ns = await newNamespace(c, 'fail-job');
      c.node.script(ns, (_p, info) => ({ runMs: info.seq === 0 ? 150 : 3000, exit: { exitCode: 42 } }));
      await jobsOf(c, ns).create(
        newJob('fj', {
          completions: 4,
          parallelism: 2,
          podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } }] },
        }),
      );
      const job = await waitForFinished(c, ns, 'fj');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'PodFailurePolicy'],
        ['Failed', 'True', 'PodFailurePolicy'],
      ]);
      const first = c.node.history(ns).find((r) => r.info.seq === 0)!;
      expect(cond(job, 'Failed')?.message).toBe(`Container c for pod ${ns}/${first.name} failed with exit code 42 matching FailJob rule at index 0`);
      expect(cond(job, 'FailureTarget')?.message).toBe(cond(job, 'Failed')?.message);
      // No retries: two pods in all; the second was terminated (and counted failed); once its
      // finalizer went, the node's grace-0 delete removed it.
      expect(c.node.history(ns).length).toBe(2);
      expect((await podsOf(c, ns, 'fj')).length).toBeLessThanOrEqual(2);
      expect(job.status?.failed).toBe(2);
      await expectSettled(c, ns, job, { failed: job.status?.failed });
    });

    it('should allow to use a pod failure policy to ignore failure matching on exit code: Ignore, replacements after the backoff', async () => {
      const ns = await newNamespace(c, 'ignore');
      c.node.script(ns, (_p, info) => ({ runMs: 100, exit: { exitCode: info.indexSeq === 0 ? 42 : 0 } }));
      await jobsOf(c, ns).create(
        newJob('ig', {
          completions: 3,
          parallelism: 3,
          completionMode: 'Indexed',
          backoffLimit: 0,
          podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } }] },
        }),
      );
      const job = await waitForFinished(c, ns, 'ig');
      expect(conds(job).map((x) => x[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
      expect(job.status?.completedIndexes).toBe('0-2');
      await expectSettled(c, ns, job, { succeeded: 3, failed: 0 });
      const hist = c.node.history(ns);
      expect(hist.length).toBe(6);
      // Ignored failures still feed the creation backoff (1 s here).
      const lastFailEnd = Math.max(...hist.filter((r) => r.info.indexSeq === 0).map((r) => r.endedAtMs ?? 0));
      const firstRetry = Math.min(...hist.filter((r) => r.info.indexSeq === 1).map((r) => r.seenAtMs));
      expect(firstRetry - Math.floor(lastFailEnd / 1000) * 1000).toBeGreaterThanOrEqual(1000);
    });

    it('pod failure policy on pod conditions: Ignore a DisruptionTarget failure, Count an exit code toward backoffLimit', async () => {
      const ns = await newNamespace(c, 'pfp-conditions');
      c.node.script(ns, (_p, info) =>
        info.seq === 0
          ? { runMs: 100, exit: { exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }] } }
          : { runMs: 100, exit: { exitCode: 5 } },
      );
      await jobsOf(c, ns).create(
        newJob('pc', {
          backoffLimit: 0,
          podFailurePolicy: {
            rules: [
              { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
              { action: 'Count', onExitCodes: { operator: 'In', values: [5] } },
            ],
          },
        }),
      );
      const job = await waitForFinished(c, ns, 'pc');
      expect(job.spec.podReplacementPolicy).toBe('Failed');
      expect(conds(job)).toEqual([
        ['FailureTarget', 'True', 'BackoffLimitExceeded'],
        ['Failed', 'True', 'BackoffLimitExceeded'],
      ]);
      await expectSettled(c, ns, job, { failed: 1 });
      expect((await podsOf(c, ns, 'pc')).length).toBe(2);
    });

    it('pod failure policy FailJob on a pod condition names the pod and the condition', async () => {
      const ns = await newNamespace(c, 'pfp-failjob-cond');
      c.node.script(ns, { runMs: 100, exit: { exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }] } });
      await jobsOf(c, ns).create(newJob('fc', { podFailurePolicy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }));
      const job = await waitForFinished(c, ns, 'fc');
      const [rec] = c.node.history(ns);
      expect(cond(job, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy', message: `Pod ${ns}/${rec.name} has condition DisruptionTarget matching FailJob rule at index 0` });
      await expectSettled(c, ns, job, { failed: 1 });
      const ev = (await eventsOf(c, ns, 'fc')).find((e) => e.reason === 'PodFailurePolicy');
      expect(ev?.type).toBe('Warning');
    });
  });

  describe('successPolicy', () => {
    it('with successPolicy should succeeded when all indexes succeeded: SuccessPolicy reason and message on both conditions', async () => {
      const ns = await newNamespace(c, 'success-count');
      c.node.script(ns, { runMs: 150 });
      await jobsOf(c, ns).create(
        newJob('sp', { completions: 2, parallelism: 2, completionMode: 'Indexed', successPolicy: { rules: [{ succeededCount: 2 }] } }),
      );
      const job = await waitForFinished(c, ns, 'sp');
      expect(job.status?.conditions?.map((x) => [x.type, x.reason, x.message])).toEqual([
        ['SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0'],
        ['Complete', 'SuccessPolicy', 'Matched rules at index 0'],
      ]);
      await expectSettled(c, ns, job, { succeeded: 2 });
    });

    it('with successPolicy succeededIndexes rule should succeeded even when some indexes remain pending: Complete and completionTime only once every pod ended', async () => {
      const ns = await newNamespace(c, 'success-indexes');
      c.node.script(ns, (_p, info) => (info.index === 0 ? { runMs: 300 } : { terminationMs: 1500 }));
      await jobsOf(c, ns).create(
        newJob('si', { completions: 5, parallelism: 2, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }),
      );
      const mid = await waitForJob(c, ns, 'si', 'SuccessCriteriaMet', (j) => cond(j, 'SuccessCriteriaMet') !== undefined);
      expect(conds(mid)).toEqual([['SuccessCriteriaMet', 'True', 'SuccessPolicy']]);
      // The lingering pod is still terminating: not Complete, no completionTime yet.
      expect(mid.status?.terminating).toBe(1);
      expect(mid.status?.completionTime).toBeUndefined();
      const job = await waitForFinished(c, ns, 'si');
      expect(conds(job)).toEqual([
        ['SuccessCriteriaMet', 'True', 'SuccessPolicy'],
        ['Complete', 'True', 'SuccessPolicy'],
      ]);
      expect(job.status?.completionTime).toBe(cond(job, 'Complete')?.lastTransitionTime);
      expect(job.status?.completedIndexes).toBe('0');
      expect(job.status?.succeeded).toBe(1);
      expect([job.status?.active ?? 0, job.status?.ready, job.status?.terminating]).toEqual([0, 0, 0]);
      // Indexes 2-4 never ran.
      expect(c.node.history(ns).map((r) => r.info.index).sort()).toEqual([0, 1]);
      const lingering = c.node.history(ns).find((r) => r.info.index === 1)!;
      expect(seconds(job.status?.completionTime) * 1000).toBeGreaterThanOrEqual(Math.floor(lingering.endedAtMs! / 1000) * 1000);
    });
  });

  describe('podReplacementPolicy', () => {
    it('should recreate pods only after they have failed if pod replacement policy is set to Failed', async () => {
      const ns = await newNamespace(c, 'replace-failed');
      c.node.script(ns, (_p, info) => (info.seq === 0 ? { terminationMs: 1500, killedExitCode: 143 } : { runMs: 200 }));
      await jobsOf(c, ns).create(newJob('rf', { podReplacementPolicy: 'Failed' }));
      const [pod] = await waitForPods(c, ns, 'rf', 'running', (p) => running(p).length === 1);
      await c.cs.pods.namespace(ns).delete(pod.metadata.name!, { gracePeriodSeconds: 30 });
      const mid = await waitForJob(c, ns, 'rf', 'terminating 1', (j) => j.status?.terminating === 1);
      expect([mid.status?.active ?? 0, mid.status?.failed ?? 0]).toEqual([0, 0]);
      expect((await podsOf(c, ns, 'rf')).length).toBe(1);
      const job = await waitForFinished(c, ns, 'rf');
      await expectSettled(c, ns, job, { succeeded: 1, failed: 1 });
      const [old, replacement] = c.node.history(ns);
      // The replacement came only after the old pod reached Failed.
      expect(replacement.seenAtMs).toBeGreaterThan(old.endedAtMs!);
    });

    it('WQ job: recreate pods when terminating or failed: the default policy counts a deleted pod failed at once and replaces it while it terminates', async () => {
      const ns = await newNamespace(c, 'replace-terminating');
      c.node.script(ns, (_p, info) => (info.seq === 0 ? { terminationMs: 4000, killedExitCode: 143 } : { runMs: 200 }));
      await jobsOf(c, ns).create(newJob('rt'));
      expect((await getJob(c, ns, 'rt')).spec.podReplacementPolicy).toBe('TerminatingOrFailed');
      const [pod] = await waitForPods(c, ns, 'rt', 'running', (p) => running(p).length === 1);
      await c.cs.pods.namespace(ns).delete(pod.metadata.name!, { gracePeriodSeconds: 30 });
      const mid = await waitForJob(c, ns, 'rt', 'failed 1', (j) => j.status?.failed === 1);
      expect(mid.status?.terminating).toBe(1);
      await waitForPods(c, ns, 'rt', 'a replacement', (p) => p.length === 2);
      const job = await waitForFinished(c, ns, 'rt');
      // Counted once, although it later reached Failed.
      await expectSettled(c, ns, job, { succeeded: 1, failed: 1 });
      const [old, replacement] = c.node.history(ns);
      expect(replacement.seenAtMs).toBeLessThan(old.endedAtMs!);
    });
  });

  describe('ownership, deletion and clean-up', () => {
    it('should adopt matching orphans and release non-matching pods', async () => {
      const ns = await newNamespace(c, 'adopt');
      await jobsOf(c, ns).create(newJob('ad', { completions: 4, parallelism: 2 }));
      const job = await getJob(c, ns, 'ad');
      const [a, b] = await waitForPods(c, ns, 'ad', '2 running', (p) => running(p).length === 2);
      // (a) An orphan that matches the selector is adopted again.
      await c.cs.pods.namespace(ns).patch(a.metadata.name!, 'merge', { metadata: { ownerReferences: null } });
      const adopted = await waitFor('re-adopted', async () => {
        const p = await c.cs.pods.namespace(ns).get(a.metadata.name!);
        return p.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid && r.controller) ? p : undefined;
      });
      expect(adopted.metadata.finalizers).toContain(TRACKING_FINALIZER);
      // (b) A pod that no longer matches is released, and a new pod takes its place.
      await c.cs.pods.namespace(ns).patch(b.metadata.name!, 'merge', { metadata: { labels: null } });
      const released = await waitFor('released', async () => {
        const p = await c.cs.pods.namespace(ns).get(b.metadata.name!);
        return !p.metadata.ownerReferences?.length ? p : undefined;
      });
      expect(released.metadata.finalizers ?? []).not.toContain(TRACKING_FINALIZER);
      const pods = await waitForPods(c, ns, 'ad', 'a new pod', (p) => running(p).length === 2 && !p.some((x) => x.metadata.name === b.metadata.name));
      expect(pods.map((p) => p.metadata.name)).toContain(a.metadata.name);
      const j = await waitForJob(c, ns, 'ad', 'active 2', (x) => x.status?.active === 2);
      expect(j.status?.failed ?? 0).toBe(0);
    });

    it('should remove pods when job is deleted: kubectl delete (Background); a raw DELETE orphans them', async () => {
      const ns = await newNamespace(c, 'delete');
      await jobsOf(c, ns).create(newJob('bg', { completions: 2, parallelism: 2 }));
      await jobsOf(c, ns).create(newJob('raw', { completions: 2, parallelism: 2 }));
      await waitForPods(c, ns, 'bg', '2 running', (p) => running(p).length === 2);
      await waitForPods(c, ns, 'raw', '2 running', (p) => running(p).length === 2);
      const del = await runKubectl(['--kubeconfig', c.server.kubeconfigPath, '-n', ns, 'delete', 'job', 'bg']);
      expect(del.stderr).toBe('');
      expect(del.stdout).toContain('job.batch "bg" deleted');
      await waitForPods(c, ns, 'bg', 'all gone', (p) => p.length === 0);
      await c.cs.rest.request({ method: 'DELETE', path: `/apis/batch/v1/namespaces/${ns}/jobs/raw` });
      await waitFor('raw gone', async () => getJob(c, ns, 'raw').then(() => false, (e) => isNotFound(e)));
      const orphans = await waitForPods(c, ns, 'raw', 'orphans without finalizers', (p) =>
        p.length === 2 && p.every((x) => !x.metadata.ownerReferences?.length && !x.metadata.finalizers?.length),
      );
      expect(orphans.every((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)).toBe(true);
    });

    it('keeps a Job deleted in the foreground until its pods are gone (A39c)', async () => {
      const ns = await newNamespace(c, 'foreground');
      // The node stops the containers when the deletionTimestamp passes (grace 1 s).
      c.node.script(ns, { terminationMs: 'grace' });
      await jobsOf(c, ns).create(newJob('fg', { completions: 2, parallelism: 2 }));
      await waitForPods(c, ns, 'fg', '2 running', (p) => running(p).length === 2);
      await jobsOf(c, ns).delete('fg', { propagationPolicy: 'Foreground' });
      const waiting = await getJob(c, ns, 'fg');
      expect(waiting.metadata.deletionTimestamp).toBeDefined();
      expect(waiting.metadata.finalizers).toContain('foregroundDeletion');
      await waitFor('fg gone', async () => getJob(c, ns, 'fg').then(() => false, (e) => isNotFound(e)));
      expect(await podsOf(c, ns, 'fg')).toEqual([]);
      // A Job being deleted gets no replacement pods (R17), though its pods counted as failed.
      expect(c.node.history(ns).length).toBe(2);
    });

    it('job should be deleted once it finishes after TTL seconds', async () => {
      const ns = await newNamespace(c, 'ttl');
      c.node.script(ns, (pod) => ({ runMs: 100, exit: { exitCode: pod.metadata.labels?.['batch.kubernetes.io/job-name'] === 'ttl-failed' ? 1 : 0 } }));
      await jobsOf(c, ns).create(newJob('ttl', { ttlSecondsAfterFinished: 2 }));
      await jobsOf(c, ns).create(newJob('ttl-failed', { ttlSecondsAfterFinished: 2, backoffLimit: 0 }));
      const finished = await Promise.all(
        (
          [
            ['ttl', 'Complete'],
            ['ttl-failed', 'Failed'],
          ] as const
        ).map(async ([name, type]) => [name, Date.parse(cond(await waitForFinished(c, ns, name), type)!.lastTransitionTime!)] as const),
      );
      for (const [name, finishedAt] of finished) {
        await waitFor(`${name} gone`, async () => getJob(c, ns, name).then(() => false, (e) => isNotFound(e)));
        expect(Date.now()).toBeGreaterThanOrEqual(finishedAt + 2000);
        await waitForPods(c, ns, name, 'pods gone', (p) => p.length === 0);
      }
    });

    it('should allow to delegate reconciliation to external controller: managedBy another controller gets no pods and no status', async () => {
      const ns = await newNamespace(c, 'managed-by');
      c.node.script(ns, { runMs: 100 });
      await jobsOf(c, ns).create(newJob('ext', { managedBy: 'example.com/custom-job-controller' }));
      // A Job of ours created after it, in the same namespace, runs to completion meanwhile.
      await jobsOf(c, ns).create(newJob('ours'));
      await waitForFinished(c, ns, 'ours');
      const ext = await getJob(c, ns, 'ext');
      expect(ext.status ?? {}).toEqual({});
      expect(await podsOf(c, ns, 'ext')).toEqual([]);
    });
  });

  it('events are visible in kubectl describe job: SuccessfulCreate, Completed, BackoffLimitExceeded', async () => {
    const ns = await newNamespace(c, 'describe');
    c.node.script(ns, (pod) => ({ runMs: 100, exit: { exitCode: pod.metadata.labels?.['batch.kubernetes.io/job-name'] === 'bad' ? 1 : 0 } }));
    await jobsOf(c, ns).create(newJob('good'));
    await jobsOf(c, ns).create(newJob('bad', { backoffLimit: 0 }));
    await waitForFinished(c, ns, 'good');
    await waitForFinished(c, ns, 'bad');
    // Events are written asynchronously by the recorder: wait for them before describing.
    await waitFor('events', async () => (await eventsOf(c, ns, 'good')).some((e) => e.reason === 'Completed') && (await eventsOf(c, ns, 'bad')).some((e) => e.reason === 'BackoffLimitExceeded'));
    const kubectl = (args: string[]) => runKubectl(['--kubeconfig', c.server.kubeconfigPath, '-n', ns, ...args]);
    const good = await kubectl(['describe', 'job', 'good']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Normal\s+SuccessfulCreate\s+.*job-controller\s+Created pod: good-[a-z0-9]{5}/);
    expect(good.stdout).toMatch(/Normal\s+Completed\s+.*job-controller\s+Job completed/);
    expect(good.stdout).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    const bad = await kubectl(['describe', 'job', 'bad']);
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.stdout).toMatch(/Normal\s+SuccessfulCreate\s+.*job-controller\s+Created pod: bad-[a-z0-9]{5}/);
    expect(bad.stdout).toMatch(/Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit/);
    const get = await kubectl(['get', 'jobs', 'good']);
    expect(get.stdout).toMatch(/^good\s+.*\b1\/1\b/m);
  });
});

describe.concurrent('pod-failure backoff on a server with --job-backoff-base 2 --job-backoff-max 5', () => {
  let b: Cluster;
  beforeAll(async () => {
    b = await startCluster('backoff', { base: 2, max: 5 });
  });
  afterAll(async () => {
    await stopCluster(b);
  });

  /** Gap between a pod's end (on a whole second, so finishedAt is exact) and the next pod's creation. */
  function gaps(hist: PodRecord[]): number[] {
    const out: number[] = [];
    for (let i = 1; i < hist.length; i++) out.push(hist[i].seenAtMs - hist[i - 1].endedAtMs!);
    return out;
  }

  it('exponential backoff between failure and replacement doubles from the base and stops at the configured cap', async () => {
    const ns = await newNamespace(b, 'doubling');
    b.node.script(ns, { runMs: 100, exit: { exitCode: 1 }, alignEndToSecond: true });
    await jobsOf(b, ns).create(newJob('bo', { backoffLimit: 3 }));
    const job = await waitForFinished(b, ns, 'bo', 60_000);
    expect(cond(job, 'Failed')?.reason).toBe('BackoffLimitExceeded');
    await expectSettled(b, ns, job, { failed: 4 });
    const g = gaps(b.node.history(ns));
    // 2 s, 4 s, then 5 s (the cap) rather than 8 s; the controller adds its sync latency (about
    // 0.1 s, under 1.5 s on a loaded machine), which still tells 2 from 4 and 5 from 8.
    const expected = [2000, 4000, 5000];
    expect(g.length).toBe(3);
    g.forEach((gap, i) => {
      expect(gap, `gap ${i + 1}: ${JSON.stringify(g)}`).toBeGreaterThanOrEqual(expected[i] - 50);
      expect(gap, `gap ${i + 1}: ${JSON.stringify(g)}`).toBeLessThan(expected[i] + 1500);
    });
  });

  it('failed + succeed pods: reset backoff delay: after a success the next failure waits the base delay again', async () => {
    const ns = await newNamespace(b, 'reset');
    // fail, fail, succeed, fail, succeed
    b.node.script(ns, (_p, info) => ({ runMs: 100, exit: { exitCode: [1, 1, 0, 1, 0][info.seq] ?? 0 }, alignEndToSecond: true }));
    await jobsOf(b, ns).create(newJob('rs', { completions: 2 }));
    const job = await waitForFinished(b, ns, 'rs', 60_000);
    await expectSettled(b, ns, job, { succeeded: 2, failed: 3 });
    const g = gaps(b.node.history(ns));
    expect(g.length).toBe(4);
    expect(g[0]).toBeGreaterThanOrEqual(2000 - 50);
    expect(g[1]).toBeGreaterThanOrEqual(4000 - 50);
    // After the success: no wait beyond the sync batching.
    expect(g[2], JSON.stringify(g)).toBeLessThan(2500);
    // One failure since the last success: 2 s, not 5 s (three failures).
    expect(g[3], JSON.stringify(g)).toBeGreaterThanOrEqual(2000 - 50);
    expect(g[3], JSON.stringify(g)).toBeLessThan(3500);
  });
});
