// The log service in the console, with real containers: a Job's pods write lines into a
// logstore; the logstore list shows it; its page searches the lines (words, a pod), shows the
// histogram, follows new lines live; the job detail page's Collected logs tab shows the job's
// lines, also after its pods are deleted. Needs the whole `jobyard server` on a Docker engine.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { LogSearchPanel, LogstoresPage } from './pages/logstore-page.js';
import { ApiDriver } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, screenshot, withFailureShot } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;
let api: ApiDriver;
const run = Date.now().toString(36);
const STORE = `journey-${run}`;

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

function logEnv(extra: Record<string, string> = {}) {
  return [{ name: `aliyun_logs_${STORE}`, value: 'stdout' }, { name: `aliyun_logs_${STORE}_tags`, value: 'team=journey' }, ...Object.entries(extra).map(([name, value]) => ({ name, value }))];
}

describe('log service in the console', () => {
  it('lists the logstore, searches its lines, shows the histogram, follows live, and keeps a job’s lines after its pods are deleted', async () => {
    const job = `logjob-${run}`;
    await api.call('POST', '/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: job },
      spec: {
        completions: 2,
        parallelism: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'main', image: 'busybox:1.36', command: ['/bin/busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo "work $(hostname) step $i"; done; echo "ERROR $(hostname) disk full" >&2'], env: logEnv() }],
          },
        },
      },
    });
    const pods = await eventually(async () => {
      const p = await api.listPods('default', `batch.kubernetes.io/job-name=${job}`);
      expect(p.map((x) => x.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
      return p.map((x) => x.metadata.name ?? '').sort();
    }, 120_000, 500);

    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'logstore-journey', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      const stores = new LogstoresPage(page, app.origin);
      await stores.openFromNav();
      await eventually(async () => {
        await page.reload();
        expect((await stores.row(STORE))[0]).toBe(STORE);
      }, 30_000, 1000);
      const search = await stores.open(STORE);

      // Every line of both pods, newest first, with the histogram.
      await eventually(async () => {
        await search.search('');
        expect(await search.lines()).toHaveLength(12);
      }, 30_000, 1000);
      expect(await search.histogramTotal()).toBe(12);
      expect(await search.histogramBars()).toBeGreaterThan(0);
      await screenshot(page, 'logstore-search');

      // Words, then a pod.
      await search.search('ERROR disk');
      await eventually(async () => expect((await search.lines()).map((l) => `${l.source} ${l.text}`).sort()).toEqual(pods.map((p) => `stderr ERROR ${p} disk full`)));
      await search.search('');
      await search.filterPod(pods[0]);
      await eventually(async () => {
        const lines = await search.lines();
        expect(lines).toHaveLength(6);
        expect(new Set(lines.map((l) => l.pod))).toEqual(new Set([pods[0]]));
      });

      // Live tail: a new pod's lines appear without a reload.
      await page.getByLabel(/^(Pod|容器组)$/).fill('');
      await search.search('');
      await search.setLive(true);
      const live = `live-${run}`;
      await api.call('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: live },
        spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox:1.36', command: ['/bin/busybox', 'sh', '-c', 'echo "live line one"; echo "live line two"'], env: logEnv() }] },
      });
      await eventually(async () => expect((await search.lines()).slice(0, 2).map((l) => l.text)).toEqual(['live line two', 'live line one']), 60_000, 500);
      await search.setLive(false);

      // The job's page: its lines in the Collected logs tab, also once its pods are gone.
      const detail = app.job('default', job);
      await detail.open();
      await detail.openTab(/^(Collected logs|日志服务)$/);
      const collected = new LogSearchPanel(page);
      await collected.waitUntilShown();
      await eventually(async () => expect(await collected.lines()).toHaveLength(12));
      for (const p of pods) await api.call('DELETE', `/api/v1/namespaces/default/pods/${p}`);
      await eventually(async () => expect(await api.listPods('default', `batch.kubernetes.io/job-name=${job}`)).toEqual([] as Pod[]), 60_000, 500);
      await detail.open();
      await detail.openTab(/^(Collected logs|日志服务)$/);
      await eventually(async () => expect((await collected.lines()).map((l) => l.text).filter((t) => t.startsWith('work')).length).toBe(10));
      await screenshot(page, 'job-collected-logs');

      // The Chinese console.
      await app.setLanguage('简体中文');
      await page.getByRole('tab', { name: '日志服务' }).waitFor();
      await screenshot(page, 'job-collected-logs-zh');
    });
    await context.close();
  });
});
