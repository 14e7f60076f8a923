// The Create Job wizard with the type CronJob: the schedule settings in step 1, the server's own
// schedule check shown on the field, the same containers and job settings as the CronJob's
// jobTemplate, the created page linking to the CronJobs page. No controllers or agent run (the
// schedule, 1 January 00:00, does not come round during the test anyway): this is about what
// the console writes.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronJob } from '../../api/batch.js';
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
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  api = new ApiDriver(server);
  // A node that reports the engine's images, as the agent does: the image picker lists them.
  await api.registerNode('e2e-node', [['docker.io/library/busybox:1.36', 'busybox:latest']]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Create Job wizard with the type CronJob', () => {
  it('creates a CronJob whose jobTemplate is the wizard’s Job, after the server refused a bad schedule on its field', async () => {
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'wizard-cronjob', async () => {
      const app = new ConsoleApp(page, server);
      const list = await app.signInWithLink();
      await list.createFromImage();
      const wizard = app.wizard();
      await wizard.waitUntilShown();

      // Step 1: the type CronJob brings the schedule settings, with upstream's defaults shown.
      await wizard.chooseType('CronJob');
      expect(await wizard.cronSettings()).toEqual({ schedule: '', timeZone: '', concurrencyPolicy: 'Allow', startingDeadlineSeconds: '', successfulJobsHistoryLimit: '3', failedJobsHistoryLimit: '1' });
      await page.getByText(/at most 52 characters/).waitFor();
      const name = `nightly-${run}`;
      await wizard.setName(name);

      // A minute of 61: the server's own parser refuses it, and says so on the schedule field.
      await wizard.setSchedule('61 * * * *');
      await wizard.next();
      expect(await wizard.waitForFieldError('f-cron-schedule')).toMatch(/61.*0-59/);
      await app.screenshot('wizard-cronjob-1-schedule-error');
      await wizard.setSchedule('0 0 1 1 *');
      await eventually(async () => expect(await wizard.fieldError('f-cron-schedule')).toBe(''));
      await wizard.next();

      // Step 2: the containers, as for a Job.
      await wizard.waitForContainers();
      await wizard.setImage('busybox', 'latest');
      await wizard.setCommand('sh -c', "'echo hello from the wizard'");
      await wizard.next();

      // Step 3: the job settings become the CronJob's jobTemplate.spec.
      await wizard.waitForSettings();
      await wizard.setCompletions(2);
      const yaml = await wizard.showYaml();
      await eventually(async () => expect(await yaml.inputValue()).toContain('kind: CronJob'));
      expect(await yaml.inputValue()).toMatch(/schedule: "?0 0 1 1 \*"?\n/);
      expect(await yaml.getAttribute('aria-label')).toBe('CronJob YAML');
      await app.screenshot('wizard-cronjob-3-settings-yaml');
      await wizard.create();

      // The created page (docs/product.md#created-objects-page) lists the CronJob and links it to the CronJobs page of its namespace.
      const created = app.created();
      await created.waitUntilShown();
      expect(await created.objects()).toEqual([`CronJob/${name}`]);
      expect(await created.linkOf('CronJob', name)).toBe('/cronjobs?namespace=default');
      await app.screenshot('created-cronjob');

      // What the console wrote, through the API.
      const stored = await api.call<CronJob>('GET', `/apis/batch/v1/namespaces/default/cronjobs/${name}`);
      expect(stored.metadata.labels).toEqual({ app: name });
      expect(stored.spec).toMatchObject({ schedule: '0 0 1 1 *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false });
      expect(stored.spec.timeZone).toBeUndefined();
      expect(stored.spec.jobTemplate.metadata?.labels).toEqual({ app: name });
      const jobSpec = stored.spec.jobTemplate.spec!;
      expect([jobSpec.completions, jobSpec.parallelism, jobSpec.backoffLimit]).toEqual([2, 1, 6]);
      expect(jobSpec.template.spec.restartPolicy).toBe('Never');
      expect(jobSpec.template.spec.containers).toEqual([
        expect.objectContaining({ name: 'container-0', image: 'busybox:latest', command: ['sh', '-c'], args: ['echo hello from the wizard'] }),
      ]);
      // The wizard made no Job: the CronJob's first one is due on 1 January.
      expect(await api.listJobs('default')).toEqual([]);

      // From the created page to the CronJobs page, where it is listed.
      await created.viewCronJobs();
      const cronJobs = app.cronJobs();
      await cronJobs.waitUntilShown();
      expect(new URL(page.url()).search).toBe('?namespace=default');
      expect(await cronJobs.row('default', name)).toMatchObject({ name, schedule: '0 0 1 1 *', suspended: false });
    });
    await context.close();
  });
});
