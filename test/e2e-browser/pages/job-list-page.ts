// The Job list (docs/product.md#job-list-completion-time): one row per Job, live.
import type { Locator, Page } from 'playwright-core';
import { attrOf, chooseOption, textOf } from './antd.js';

export interface JobRow {
  name: string;
  namespace: string;
  status: string;
  failureReason: string;
  completions: string;
  progress: string;
  duration: string;
  completionTime: string;
}

export class JobListPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.origin}/jobs${query}`);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByRole('button', { name: /Create from image|使用镜像创建/ }).waitFor();
  }

  rowLocator(name: string): Locator {
    return this.page.locator('tr', { has: this.page.getByRole('link', { name, exact: true }) });
  }

  async row(name: string): Promise<JobRow> {
    const r = this.rowLocator(name);
    await r.waitFor();
    const cells = r.locator('td');
    return {
      name,
      namespace: await textOf(cells.nth(1)),
      status: await attrOf(r.locator('[data-status]'), 'data-status'),
      failureReason: await textOf(r.getByTestId('failure-reason')),
      completions: await textOf(r.getByTestId('completions').locator('span').first()),
      progress: await attrOf(r.getByRole('progressbar'), 'aria-valuenow'),
      duration: await textOf(r.getByTestId('duration')),
      completionTime: await attrOf(r.getByTestId('completion-time').locator('time'), 'datetime'),
    };
  }

  async hasRow(name: string): Promise<boolean> {
    return (await this.rowLocator(name).count()) > 0;
  }

  async createFromImage(): Promise<void> {
    await this.page.getByRole('button', { name: /Create from image|使用镜像创建/ }).click();
  }

  async filterByStatus(label: string): Promise<void> {
    await chooseOption(this.page, this.page.getByRole('combobox', { name: /^(Status|状态)$/ }), label);
  }

  async filterByLabel(selector: string): Promise<void> {
    const box = this.page.getByLabel(/Label selector|标签选择器/);
    await box.fill(selector);
    await box.press('Enter');
  }

  async openJob(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).click();
  }
}
