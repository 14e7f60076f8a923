// The job list (docs/product.md#job-list-completion-time) and job detail (#job-detail), live. The test plays the Job controller and
// the node through the API (as Kubernetes' integration tests do), so every state the console
// must show is reached on cue: pods appearing and running, the completion time appearing once
// every pod has finished, a failure with its exit code. Then the actions on a Job.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../api/batch.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ApiDriver, now, runningStatus, terminatedStatus } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, withFailureShot } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;
let api: ApiDriver;
const run = Date.now().toString(36);

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  api = new ApiDriver(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function jobManifest(name: string, spec: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      completions: 2,
      parallelism: 2,
      ...spec,
      template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'container-0', image: 'busybox:latest', command: ['sh', '-c', 'echo hello'] }] } },
    },
  };
}

async function journey(page: Page, name: string, body: (app: ConsoleApp) => Promise<void>): Promise<void> {
  await withFailureShot(page, name, () => body(new ConsoleApp(page, server)));
}

describe('a job’s life in the console, live', () => {
  it('shows pods as they are created and run, and the completion time once every pod has finished', async () => {
    const name = `live-${run}`;
    const job = await api.createJob(jobManifest(name));
    const { context, page } = await newPage(browser);
    const other = await context.newPage();
    await journey(page, 'live', async (app) => {
      await app.signInWithLink();
      const detail = app.job('default', name);
      await detail.open();
      expect(await detail.pods()).toEqual([]);

      // The controller creates two pods at once: they appear without a reload.
      await api.createPodFor(job, `${name}-a`);
      await api.createPodFor(job, `${name}-b`);
      await api.setJobStatus('default', name, { active: 2, startTime: now() });
      await eventually(async () => expect((await detail.pods()).map((p) => p.name)).toEqual([`${name}-a`, `${name}-b`]));
      expect((await detail.pods()).map((p) => p.status)).toEqual(['Pending', 'Pending']);
      await app.screenshot('detail-pods-created');

      await api.setPodStatus('default', `${name}-a`, runningStatus());
      await api.setPodStatus('default', `${name}-b`, runningStatus());
      await eventually(async () => expect((await detail.pods()).map((p) => p.status)).toEqual(['Running', 'Running']));

      // The list, in another tab, follows too.
      const list = new ConsoleApp(other, server).jobs();
      await list.open();
      expect(await list.row(name)).toMatchObject({ status: 'Running', completions: '0/2', progress: '0', completionTime: '' });

      // One pod done: still no completion time.
      await api.setPodStatus('default', `${name}-a`, terminatedStatus(0, 'Completed'));
      await api.setJobStatus('default', name, { active: 1, succeeded: 1 });
      await eventually(async () => expect(await list.row(name)).toMatchObject({ completions: '1/2', progress: '50', completionTime: '' }));
      await eventually(async () => expect((await detail.pods()).map((p) => [p.status, p.exitCode])).toEqual([['Completed', '0'], ['Running', '']]));
      expect(await detail.completionTime()).toBe('');

      // Both pods done and the Job complete: the completion time shows, once.
      await api.setPodStatus('default', `${name}-b`, terminatedStatus(0, 'Completed'));
      const done = now();
      await api.setJobStatus('default', name, {
        active: 0,
        succeeded: 2,
        completionTime: done,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastTransitionTime: done },
          { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastTransitionTime: done },
        ],
      });
      await eventually(async () => expect(await list.row(name)).toMatchObject({ status: 'Complete', completions: '2/2', progress: '100', completionTime: done }));
      await eventually(async () => expect(await detail.completionTime()).toBe(done));
      await other.screenshot({ path: `${(await import('./support/browser.js')).SCREENSHOTS}/list-complete.png`, fullPage: true });
      await app.screenshot('detail-complete');
    });
    await context.close();
  });

  it('shows a failed job’s reason in the list and a failure card with the failing pod and exit code', async () => {
    const name = `oom-${run}`;
    const job = await api.createJob(jobManifest(name, { completions: 1, parallelism: 1, backoffLimit: 0 }));
    await api.createPodFor(job, `${name}-x`);
    await api.setPodStatus('default', `${name}-x`, terminatedStatus(137, 'OOMKilled'));
    const t = now();
    await api.setJobStatus('default', name, {
      failed: 1,
      startTime: t,
      conditions: [
        { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: t },
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: t },
      ],
    });
    const { context, page } = await newPage(browser);
    await journey(page, 'failure', async (app) => {
      const list = await app.signInWithLink();
      expect(await list.row(name)).toMatchObject({ status: 'Failed', failureReason: 'BackoffLimitExceeded: Job has reached the specified backoff limit', completionTime: '' });
      await list.filterByStatus('Failed');
      await eventually(async () => expect(await list.hasRow(`live-${run}`)).toBe(false));
      expect(await list.hasRow(name)).toBe(true);
      await app.screenshot('list-failed');
      await list.openJob(name);
      const detail = app.job('default', name);
      await detail.waitUntilShown();
      const card = await eventually(async () => {
        const c = await detail.failureCard();
        expect(c?.exitCode).toBe('137');
        return c!;
      });
      expect(card.text).toContain('BackoffLimitExceeded');
      expect(card.text).toContain(`${name}-x`);
      expect(card.text).toContain('OOMKilled');
      expect(card.text).toContain('raise the memory limit');
      await app.screenshot('detail-failure-card');
    });
    await context.close();
  });

  it('suspends, resumes, changes parallelism, clones, reruns and deletes a job', async () => {
    const name = `act-${run}`;
    await api.createJob(jobManifest(name));
    const { context, page } = await newPage(browser);
    await journey(page, 'actions', async (app) => {
      await app.signInWithLink();
      const detail = app.job('default', name);
      await detail.open();

      await detail.suspend();
      await eventually(async () => expect((await api.getJob('default', name)).spec.suspend).toBe(true));
      await detail.resume();
      await eventually(async () => expect((await api.getJob('default', name)).spec.suspend).toBe(false));
      await detail.changeParallelism(5);
      await eventually(async () => expect((await api.getJob('default', name)).spec.parallelism).toBe(5));

      // Clone opens the wizard pre-filled; Create makes the copy.
      await detail.clone();
      const wizard = app.wizard();
      await wizard.waitUntilShown();
      expect(await wizard.field('f-name').inputValue()).toBe(`${name}-copy`);
      await wizard.next();
      await wizard.waitForContainers();
      expect(await wizard.imageTag()).toEqual({ image: 'busybox', tag: 'latest' });
      expect(await wizard.field('f-containers-0-command').inputValue()).toBe("sh -c 'echo hello'");
      await wizard.next();
      await wizard.waitForSettings();
      expect(await wizard.settings()).toMatchObject({ completions: '2', parallelism: '5' });
      await wizard.create();
      await app.created().waitUntilShown();
      const copy = await api.getJob('default', `${name}-copy`);
      expect(copy.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'echo hello']);

      // Rerun: the same spec under a generated name.
      await detail.open();
      await detail.rerun();
      await eventually(async () => expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/jobs/default/${name}-[a-z0-9]{5}$`)));
      const rerunName = new URL(page.url()).pathname.split('/').pop() as string;
      expect((await api.getJob('default', rerunName)).metadata.annotations?.['jobyard.io/rerun-of']).toBe(name);

      // Delete, keeping the pods (Orphan) or with them (Background): the console asks for exactly that.
      const policies: unknown[] = [];
      page.on('request', (r) => {
        if (r.method() === 'DELETE') policies.push((r.postDataJSON() as { propagationPolicy?: string }).propagationPolicy);
      });
      await detail.open();
      await detail.delete(true);
      await app.jobs().waitUntilShown();
      const other = app.job('default', `${name}-copy`);
      await other.open();
      await other.delete(false);
      await app.jobs().waitUntilShown();
      expect(policies).toEqual(['Orphan', 'Background']);
      await eventually(async () => expect(await api.jobExists('default', `${name}-copy`)).toBe(false));
    });
    await context.close();
  });
});
