// The page after Create (docs/product.md#created-objects-page): every object the application created.
import type { Page } from 'playwright-core';

export class CreatedPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** After a Job: "View application details"; after a CronJob: "View CronJobs". */
  async waitUntilShown(): Promise<void> {
    await this.page.getByRole('button', { name: /View application details|查看应用详情|View CronJobs|查看定时任务/ }).waitFor();
  }

  /** The link of a row's name ("Kind/name"), as the page shows it. */
  async linkOf(kind: string, name: string): Promise<string> {
    const row = this.page.locator('.ant-table-tbody tr.ant-table-row', { has: this.page.locator('td', { hasText: new RegExp(`^${kind}$`) }) }).filter({ hasText: name });
    return (await row.getByRole('link', { name }).getAttribute('href')) ?? '';
  }

  async viewCronJobs(): Promise<void> {
    await this.page.getByRole('button', { name: /View CronJobs|查看定时任务/ }).click();
  }

  /** Rows of the created-objects table as "Kind/name". */
  async objects(): Promise<string[]> {
    const rows = this.page.locator('.ant-table-tbody tr.ant-table-row');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator('td');
      out.push(`${((await cells.nth(0).textContent()) ?? '').trim()}/${((await cells.nth(1).textContent()) ?? '').trim()}`);
    }
    return out;
  }

  async viewDetails(): Promise<void> {
    await this.page.getByRole('button', { name: /View application details|查看应用详情/ }).click();
  }
}
