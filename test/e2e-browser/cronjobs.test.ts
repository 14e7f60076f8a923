// The CronJobs page against the whole `jobyard server` (controllers and the node agent on
// Docker): create a CronJob in the form, suspend and resume it, run it now and watch that Job
// complete, see the server refuse a bad schedule in the form, delete it with its Jobs.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronJob, Job } from '../../api/batch.js';
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

const cronJobPath = (name: string) => `/apis/batch/v1/namespaces/default/cronjobs/${name}`;

describe('the CronJobs page', () => {
  it('creates a CronJob, suspends it, runs it now to completion, shows a bad schedule’s error, and deletes it with its Jobs', async () => {
    const name = `hello-${run}`;
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'cronjobs', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      const cronJobs = app.cronJobs();
      await cronJobs.openFromNav();

      // Create: a schedule that does not come round by itself during the test (1 January, 00:00).
      await cronJobs.openCreate();
      await cronJobs.fillCreate({ name, schedule: '0 0 1 1 *', image: 'busybox:latest', command: 'echo "hello from $(hostname)"', restartPolicy: 'Never' });
      await cronJobs.submitCreate();
      await cronJobs.dialog.waitFor({ state: 'hidden' });
      const row = await eventually(() => cronJobs.row('default', name));
      expect(row).toMatchObject({ name, schedule: '0 0 1 1 *', timeZone: '', suspended: false, active: '0', lastSchedule: '' });
      const stored = await api.call<CronJob>('GET', cronJobPath(name));
      expect(stored.spec).toMatchObject({ schedule: '0 0 1 1 *', concurrencyPolicy: 'Allow', suspend: false });
      expect(stored.spec.jobTemplate.spec?.template.spec).toMatchObject({ restartPolicy: 'Never', containers: [{ image: 'busybox:latest', command: ['sh', '-c', 'echo "hello from $(hostname)"'] }] });

      // Suspend and resume through the switch: spec.suspend changes on the server, the row follows.
      await cronJobs.toggleSuspend('default', name);
      await eventually(async () => expect((await api.call<CronJob>('GET', cronJobPath(name))).spec.suspend).toBe(true));
      await eventually(async () => expect((await cronJobs.row('default', name)).suspended).toBe(true));
      await cronJobs.toggleSuspend('default', name);
      await eventually(async () => expect((await api.call<CronJob>('GET', cronJobPath(name))).spec.suspend).toBe(false));
      await eventually(async () => expect((await cronJobs.row('default', name)).suspended).toBe(false));

      // Run now: a Job as kubectl create job --from=cronjob/NAME makes it, run to completion by the node.
      const { job, href } = await cronJobs.runNow('default', name);
      expect(job).toMatch(new RegExp(`^${name}-manual-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(href).toBe(`/jobs/default/${job}`);
      const created = await api.getJob('default', job);
      expect(created.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
      expect(created.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'CronJob', name, uid: stored.metadata.uid, controller: true })]);

      // The message's link opens the Job's page: Complete, with the line it printed.
      await cronJobs.followRunNowLink();
      const detail = app.job('default', job);
      await detail.waitUntilShown();
      expect(new URL(page.url()).pathname).toBe(href);
      await eventually(async () => expect(await detail.status()).toBe('Complete'), 120_000, 500);
      await detail.openTab(/^Logs$/);
      await eventually(async () => expect((await detail.logLines()).some((l) => /: hello from hello-/.test(l))).toBe(true));

      // Back on the list, the expanded row shows the CronJob's Job, Complete, and the CronJob saw it succeed.
      await cronJobs.open();
      await cronJobs.expand('default', name);
      await eventually(async () => expect(await cronJobs.jobs('default', name)).toEqual([{ name: job, href, status: 'Complete', manual: true }]));
      await eventually(async () => expect((await cronJobs.row('default', name)).lastSuccessful).not.toBe(''), 60_000, 500);
      await app.screenshot('cronjobs');

      // A bad schedule: the server's message, with its field path, in the form that stays open.
      await cronJobs.open();
      await cronJobs.openCreate();
      await cronJobs.fillCreate({ name: `bad-${run}`, schedule: '61 * * * *', image: 'busybox:latest' });
      await cronJobs.submitCreate();
      const error = await cronJobs.createError();
      expect(error).toContain('spec.schedule');
      expect(error).toContain('61 * * * *');
      expect(await cronJobs.fieldError('cj-schedule')).toContain('spec.schedule');
      expect(await cronJobs.dialog.isVisible()).toBe(true);
      await app.screenshot('cronjobs-invalid-schedule');
      await cronJobs.cancelCreate();
      expect(await api.status('GET', cronJobPath(`bad-${run}`))).toBe(404);

      // Delete: the CronJob goes, and the garbage collector deletes its Job.
      await cronJobs.delete('default', name);
      await eventually(async () => expect(await cronJobs.hasRow('default', name)).toBe(false));
      expect(await api.status('GET', cronJobPath(name))).toBe(404);
      await eventually(async () => expect((await api.listJobs('default')).filter((j: Job) => j.metadata.name === job)).toEqual([]), 60_000, 500);
    });
    await context.close();
  });
});
