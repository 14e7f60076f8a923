// Pages for pods, configMaps and secrets (values hidden until asked) and images, as far
// as the wizard needs them.
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
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  api = new ApiDriver(server);
  await api.registerNode('e2e-node', [['busybox:1.36', 'busybox:latest']]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('secrets, configMaps and images', () => {
  it('hides a secret’s values until asked, and lists configMaps with their data', async () => {
    const secretName = `db-${run}`;
    await api.call('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName }, type: 'Opaque', stringData: { password: 's3cr3t-value' } });
    await api.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${run}` }, data: { 'db.host': 'db.internal' } });
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'secrets', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      await page.goto(`${app.origin}/secrets?namespace=default`);
      const row = page.locator('tr', { hasText: secretName });
      await row.locator('.ant-table-row-expand-icon').click();
      const value = page.getByTestId('secret-value');
      await value.waitFor();
      expect(await value.textContent()).toBe('••••••••');
      expect(await page.content()).not.toContain('s3cr3t-value');
      await page.getByRole('button', { name: /(^|\s)Show$/ }).click();
      await eventually(async () => expect(await value.textContent()).toBe('s3cr3t-value'));
      await app.screenshot('secrets');

      await page.goto(`${app.origin}/configmaps?namespace=default`);
      const cm = page.locator('tr', { hasText: `settings-${run}` });
      await cm.locator('.ant-table-row-expand-icon').click();
      await page.getByText('db.internal').waitFor();

      // A secret made from the Secrets page is stored base64-encoded.
      await page.goto(`${app.origin}/secrets?namespace=default`);
      await page.getByRole('button', { name: /Create secret/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#data-name').fill(`made-${run}`);
      await dialog.getByLabel('Key 1').fill('token');
      await dialog.getByLabel('Value 1').fill('abc');
      await dialog.getByRole('button', { name: /^Create$/ }).click();
      await eventually(async () => {
        const s = await api.call<{ data: Record<string, string> }>('GET', `/api/v1/namespaces/default/secrets/made-${run}`);
        expect(s.data).toEqual({ token: Buffer.from('abc').toString('base64') });
      });
    });
    await context.close();
  });

  it('lists the images the engine has', async () => {
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'images', async () => {
      const app = new ConsoleApp(page, server);
      await app.signInWithLink();
      await page.goto(`${app.origin}/images`);
      const row = page.locator('tr', { hasText: 'busybox' });
      await row.waitFor();
      expect(await row.textContent()).toContain('1.36');
      await app.screenshot('images');
    });
    await context.close();
  });
});
