// The log service screens: the logstore list, a logstore's search, and the job detail's
// Collected logs tab (same search component).
import type { Locator, Page } from 'playwright-core';
import { textOf } from './antd.js';

export interface ShownLine {
  pod: string;
  source: string;
  text: string;
}

/** The search component wherever it is shown. */
export class LogSearchPanel {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  private get results(): Locator {
    return this.page.getByRole('log', { name: /Log lines|日志行/ });
  }

  async waitUntilShown(): Promise<void> {
    await this.results.waitFor();
  }

  /** The lines on screen, top to bottom. */
  async lines(): Promise<ShownLine[]> {
    const rows = this.results.locator('.logstore-line');
    const out: ShownLine[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({ pod: (await row.getAttribute('data-pod')) ?? '', source: (await row.getAttribute('data-source')) ?? '', text: (await row.locator('.logstore-text').textContent()) ?? '' });
    }
    return out;
  }

  async search(text: string): Promise<void> {
    const box = this.page.getByRole('searchbox', { name: /Search text|搜索文本/ });
    await box.fill(text);
    await box.press('Enter');
  }

  async filterPod(pod: string): Promise<void> {
    const box = this.page.getByLabel(/^(Pod|容器组)$/);
    await box.fill(pod);
    await box.press('Enter');
  }

  async setLive(on: boolean): Promise<void> {
    const sw = this.page.getByRole('switch', { name: /Live tail|实时跟踪/ });
    if ((await sw.getAttribute('aria-checked')) !== String(on)) await sw.click();
  }

  /** "N lines in the range" under the histogram. */
  async histogramTotal(): Promise<number> {
    return Number((await textOf(this.page.getByTestId('histogram-total'))).replace(/\D+/g, ''));
  }

  /** Bars of the histogram with lines in them. */
  async histogramBars(): Promise<number> {
    const bars = this.page.getByRole('img', { name: /Lines over time|日志数量/ }).locator('rect');
    let n = 0;
    for (let i = 0; i < (await bars.count()); i++) if (Number(await bars.nth(i).getAttribute('data-count')) > 0) n++;
    return n;
  }
}

export class LogstoresPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  /** Through the navigation menu. */
  async openFromNav(): Promise<void> {
    await this.page.getByRole('link', { name: /^(Logstores|日志库)$/ }).click();
    await this.page.getByRole('heading', { name: /^(Logstores|日志库)$/ }).waitFor();
  }

  /** The row of a logstore as its cells' texts (waits a little for it to be listed). */
  async row(name: string): Promise<string[]> {
    await this.page.getByRole('link', { name, exact: true }).waitFor({ timeout: 3000 });
    const row = this.page.locator('tr', { has: this.page.getByRole('link', { name, exact: true }) });
    return row.locator('td').allTextContents();
  }

  async open(name: string): Promise<LogSearchPanel> {
    await this.page.getByRole('link', { name, exact: true }).click();
    const panel = new LogSearchPanel(this.page);
    await panel.waitUntilShown();
    return panel;
  }
}
