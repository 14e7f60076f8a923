// Debian's Chromium driven by playwright-core (never a downloaded browser), screenshots under
// artifacts/screenshots/, and the built console the server serves.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../support/jobyard-server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOTS = join(REPO_ROOT, 'artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --with-browser (apt-get install -y chromium); browsers are never downloaded`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, locale: 'en-US' | 'zh-CN' = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1440, height: 1000 }, timezoneId: 'UTC' });
  const page = await context.newPage();
  // A deadline, not a speed goal: the test run's two lanes share 2 cores with Chromium.
  page.setDefaultTimeout(45_000);
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist (what `jobyard server` serves at /) when it is missing or older than web/src. */
export function ensureConsoleBuilt(): void {
  const index = join(REPO_ROOT, 'web', 'dist', 'index.html');
  const src = Math.max(newestMtime(join(REPO_ROOT, 'web', 'src')), statSync(join(REPO_ROOT, 'web', 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= src) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'], { cwd: REPO_ROOT, stdio: 'pipe' });
}

/** Polls `check` until it passes (no sleeps to pass by luck: a deadline, then the last failure). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 45_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs a journey step and, when it fails, saves a screenshot named after it before rethrowing. */
export async function withFailureShot<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
    throw err;
  }
}
