// The busybox example as shown (docs/product.md#busybox-example), with real containers: busybox, completions 2, parallelism 2,
// two pods created at once; the job detail shows them live, their logs stream into one view, and
// the list shows the completion time once both pods have finished. Needs the whole `jobyard
// server` (controllers and node agent on a Docker engine).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ApiDriver } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, withFailureShot } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;
let api: ApiDriver;
const run = Date.now().toString(36);

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await JobyardServer.start();
  api = new ApiDriver(server);
  await api.waitForNode();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the busybox example', () => {
  it('runs busybox with completions 2 and parallelism 2 to completion, live, with both pods’ logs in one view', async () => {
    const name = `busybox-${run}`;
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'seed-example', async () => {
      const app = new ConsoleApp(page, server);
      const list = await app.signInWithLink();
      await list.createFromImage();
      const wizard = app.wizard();
      await wizard.waitUntilShown();
      await wizard.setName(name);
      await wizard.next();
      await wizard.waitForContainers();
      await wizard.pickImage('busybox');
      await wizard.setCommand('sh -c', `'echo "hello from $(hostname)"; sleep 3; echo done'`);
      await wizard.next();
      await wizard.waitForSettings();
      await wizard.chooseTemplate('parallelFixedCompletions');
      await wizard.setCompletions(2);
      await wizard.setParallelism(2);
      await wizard.create();
      await app.created().waitUntilShown();
      await app.created().viewDetails();

      const detail = app.job('default', name);
      await detail.waitUntilShown();
      // Two pods created at once.
      const pods = await eventually(async () => {
        const p = await detail.pods();
        expect(p).toHaveLength(2);
        return p;
      }, 60_000);
      const created = await api.listPods('default', `batch.kubernetes.io/job-name=${name}`);
      const times = created.map((p) => Date.parse(p.metadata.creationTimestamp ?? ''));
      expect(Math.abs(times[0] - times[1])).toBeLessThanOrEqual(2000);
      await app.screenshot('seed-detail-running');
      await eventually(async () => expect((await detail.pods()).map((p) => p.status)).toEqual(['Completed', 'Completed']), 120_000, 500);
      await eventually(async () => expect(await detail.completionTime()).not.toBe(''), 60_000);
      expect(await detail.completions()).toBe('2/2');

      // Both pods' logs in one view, searchable.
      await detail.openTab(/^(Logs|日志)$/);
      await eventually(async () => {
        const lines = await detail.logLines();
        for (const p of pods) expect(lines).toContain(`${p.name}: hello from ${p.name}`);
      }, 30_000);
      await detail.searchLogs('done');
      await eventually(async () => expect((await detail.logLines()).map((l) => l.split(': ')[1])).toEqual(['done', 'done']));
      await app.screenshot('seed-detail-logs');

      await list.open();
      const row = await list.row(name);
      expect(row).toMatchObject({ status: 'Complete', completions: '2/2', progress: '100' });
      expect(row.completionTime).not.toBe('');
      await app.screenshot('seed-list-complete');
    });
    await context.close();
  });

  it('shows a real out-of-memory failure: reason, failing pod, exit code 137 and its last log lines', async () => {
    const name = `oom-${run}`;
    await api.createJob({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'default', labels: { app: name } },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { app: name } },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'eater', image: 'busybox:latest', command: ['sh', '-c', 'echo filling memory; head -c 200m /dev/zero | tail'], resources: { limits: { memory: '16Mi' } } }],
          },
        },
      },
    });
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'seed-oom', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      const detail = app.job('default', name);
      await detail.open();
      const card = await eventually(async () => {
        const c = await detail.failureCard();
        expect(c?.exitCode).toBe('137');
        expect(c?.log).toContain('filling memory');
        // Docker may learn of the OOM kill after the exit; the agent then rewrites Error to OOMKilled.
        expect(c?.text).toContain('OOMKilled');
        return c!;
      }, 120_000, 500);
      expect(card.text).toContain('BackoffLimitExceeded');
      await app.screenshot('seed-oom-failure-card');
      const list = app.jobs();
      await list.open();
      expect(await list.row(name)).toMatchObject({ status: 'Failed', failureReason: 'BackoffLimitExceeded: Job has reached the specified backoff limit' });
    });
    await context.close();
  });
  it('shows a wrong command’s failure card: the failing pod, exit code 127 and the shell’s last words', async () => {
    const name = `wrong-cmd-${run}`;
    await api.createJob({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'default' },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; no-such-command --now'] }],
          },
        },
      },
    });
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'wrong-command', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      const detail = app.job('default', name);
      await detail.open();
      const card = await eventually(async () => {
        const c = await detail.failureCard();
        expect(c?.exitCode).toBe('127');
        expect(c?.log).toContain('no-such-command: not found');
        expect(c?.text).toMatch(new RegExp(`${name}-[a-z0-9]{5}`));
        return c!;
      }, 120_000, 500);
      expect(card.text).toContain('BackoffLimitExceeded');
      await app.screenshot('wrong-command-failure-card');
    });
    await context.close();
  });
});
