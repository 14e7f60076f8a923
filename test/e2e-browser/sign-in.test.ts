// Sign-in (docs/product.md#sign-in) with the API token (the printed link or the form), a session the browser keeps
// safely (HttpOnly cookie, CSRF protection), sign-out.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ensureConsoleBuilt, launchBrowser, newPage } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('signing in to the console', () => {
  it('refuses a wrong token, signs in with the right one, and signs out', async () => {
    const { context, page } = await newPage(browser);
    const app = new ConsoleApp(page, server);
    const login = app.login();
    await login.open();
    await app.screenshot('sign-in');
    await login.signIn('not-the-token');
    expect(await login.error()).toContain('This token is not valid for this server.');
    await login.signIn(server.token);
    await app.jobs().waitUntilShown();
    await app.signOut();
    // Signed out for real: a reload shows the sign-in form again.
    await page.reload();
    await login.waitUntilShown();
    await context.close();
  });

  it('signs in through the printed link into an HttpOnly session that needs the CSRF token for writes', async () => {
    const { context, page } = await newPage(browser);
    const app = new ConsoleApp(page, server);
    await app.signInWithLink();
    expect(new URL(page.url()).pathname).toBe('/jobs');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'jobyard_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    // Scripts cannot read the session, and a write without the CSRF header is refused.
    expect(await page.evaluate('document.cookie')).not.toContain('jobyard_session');
    const results = await page.evaluate(async () => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'csrf-check' } });
      const headers = { 'Content-Type': 'application/json' };
      const without = await fetch('/api/v1/namespaces', { method: 'POST', headers, body });
      const session = (await (await fetch('/auth/session')).json()) as { csrfToken: string };
      const withToken = await fetch('/api/v1/namespaces', { method: 'POST', headers: { ...headers, 'X-CSRF-Token': session.csrfToken }, body });
      return [without.status, withToken.status];
    });
    expect(results).toEqual([403, 201]);
    await context.close();
  });

  it('sends a browser without a session to the sign-in form on any console path', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${new URL(server.consoleUrl).origin}/jobs/default/anything`);
    await new ConsoleApp(page, server).login().waitUntilShown();
    await context.close();
  });
});
