// A terminal in a running container from the pod's page: Chromium ↔ jobyard (pods/exec over
// WebSocket, the session cookie) ↔ Docker exec with a tty. Needs the whole `jobyard server`.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ApiDriver } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, withFailureShot } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;
let api: ApiDriver;
const POD = `shell-${Date.now().toString(36)}`;

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await JobyardServer.start();
  api = new ApiDriver(server);
  await api.waitForNode();
  await api.call('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:latest', command: ['sh', '-c', 'echo ready > /tmp/marker; sleep 3600'] }] },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the pod terminal', () => {
  it('opens a shell in the running container, runs what is typed, and shows the exit code', async () => {
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'pod-terminal', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      const pod = app.pod('default', POD);
      await eventually(async () => {
        await pod.open();
        expect(await page.getByRole('cell', { name: 'Running', exact: true }).count()).toBeGreaterThan(0);
      }, 60_000, 1000);
      await pod.openTerminal('sh');
      await eventually(async () => expect(await pod.state()).toBe('Connected'));
      await pod.type('cat /tmp/marker; echo $((6*7)); tty');
      await pod.press('Enter');
      await eventually(async () => {
        const screen = await pod.screen();
        expect(screen).toContain('ready');
        expect(screen).toMatch(/^42$/m);
        expect(screen).toMatch(/\/dev\/pts\/\d+/);
      });
      // The terminal's size reached the process (xterm fits the box; the shell sees it).
      await pod.type('stty size');
      await pod.press('Enter');
      await eventually(async () => expect(await pod.screen()).toMatch(/^\d{2,3} \d{2,3}$/m));
      await app.screenshot('pod-terminal');
      await pod.type('exit 7');
      await pod.press('Enter');
      await eventually(async () => expect(await pod.state()).toBe('Exited with code 7'));
    });
    await context.close();
  });
});
