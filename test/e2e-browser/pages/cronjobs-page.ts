// The CronJobs page: one row per CronJob (live), its switches and actions, the Jobs under an
// expanded row, and the Create CronJob form.
import type { Locator, Page } from 'playwright-core';
import { attrOf, textOf } from './antd.js';

export interface CronJobRow {
  name: string;
  schedule: string;
  timeZone: string;
  suspended: boolean;
  active: string;
  /** RFC 3339 values of the shown times ('' when none). */
  lastSchedule: string;
  lastSuccessful: string;
}

export interface CronJobJobRow {
  name: string;
  href: string;
  status: string;
  manual: boolean;
}

export interface CronJobFormInput {
  name: string;
  schedule: string;
  timeZone?: string;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  image: string;
  command?: string;
  restartPolicy?: 'Never' | 'OnFailure';
}

export class CronJobsPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.origin}/cronjobs${query}`);
    await this.waitUntilShown();
  }

  /** Through the side navigation, as a person would. */
  async openFromNav(): Promise<void> {
    await this.page.getByRole('link', { name: /^(CronJobs|定时任务)$/ }).click();
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByRole('button', { name: /Create CronJob|创建定时任务/ }).waitFor();
  }

  rowLocator(namespace: string, name: string): Locator {
    return this.page.locator(`tr[data-row-key="${namespace}/${name}"]`);
  }

  async hasRow(namespace: string, name: string): Promise<boolean> {
    return (await this.rowLocator(namespace, name).count()) > 0;
  }

  async row(namespace: string, name: string): Promise<CronJobRow> {
    const r = this.rowLocator(namespace, name);
    await r.waitFor();
    return {
      name: await textOf(r.getByTestId('cronjob-name')),
      schedule: await textOf(r.getByTestId('schedule')),
      timeZone: await textOf(r.getByTestId('time-zone')),
      suspended: (await attrOf(r.getByRole('switch'), 'aria-checked')) === 'true',
      active: await textOf(r.getByTestId('active')),
      lastSchedule: await attrOf(r.getByTestId('last-schedule').locator('time'), 'datetime'),
      lastSuccessful: await attrOf(r.getByTestId('last-successful').locator('time'), 'datetime'),
    };
  }

  async toggleSuspend(namespace: string, name: string): Promise<void> {
    await this.rowLocator(namespace, name).getByRole('switch').click();
  }

  /** Presses Run now and returns the new Job's detail path from the message's link. */
  async runNow(namespace: string, name: string): Promise<{ job: string; href: string }> {
    await this.rowLocator(namespace, name).getByRole('button', { name: /Run now|立即运行/ }).click();
    const link = this.page.getByTestId('run-now-done').getByRole('link');
    await link.waitFor();
    return { job: ((await link.textContent()) ?? '').trim(), href: (await link.getAttribute('href')) ?? '' };
  }

  /** Follows the Run now message's link to the Job. */
  async followRunNowLink(): Promise<void> {
    await this.page.getByTestId('run-now-done').getByRole('link').click();
  }

  async expand(namespace: string, name: string): Promise<void> {
    if ((await this.expandedJobs(namespace, name).count()) > 0) return;
    await this.rowLocator(namespace, name).locator('.ant-table-row-expand-icon').click();
    await this.expandedJobs(namespace, name).waitFor();
  }

  /** The Jobs table in the row that opens below this CronJob's row. */
  private expandedJobs(namespace: string, name: string): Locator {
    return this.page.locator(`tr[data-row-key="${namespace}/${name}"] + tr.ant-table-expanded-row`).getByTestId('cronjob-jobs');
  }

  async jobs(namespace: string, name: string): Promise<CronJobJobRow[]> {
    const rows = this.expandedJobs(namespace, name).locator('tbody tr', { has: this.page.locator('a[href^="/jobs/"]') });
    const out: CronJobJobRow[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const r = rows.nth(i);
      out.push({
        name: await textOf(r.locator('a')),
        href: await attrOf(r.locator('a'), 'href'),
        status: await attrOf(r.locator('[data-status]'), 'data-status'),
        manual: (await r.getByTestId('manual-run').count()) > 0,
      });
    }
    return out;
  }

  async delete(namespace: string, name: string): Promise<void> {
    await this.rowLocator(namespace, name).getByRole('button', { name: new RegExp(`^(Delete|删除) ${name}$`) }).click();
    await this.page.locator('.ant-popconfirm').getByRole('button', { name: /^(Delete|删除)$/ }).click();
  }

  // ---- Create CronJob ----
  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  async openCreate(): Promise<void> {
    await this.page.getByRole('button', { name: /Create CronJob|创建定时任务/ }).click();
    await this.page.locator('#cj-name').waitFor();
  }

  async fillCreate(f: CronJobFormInput): Promise<void> {
    const d = this.dialog;
    await d.locator('#cj-name').fill(f.name);
    await d.locator('#cj-schedule').fill(f.schedule);
    await d.locator('#cj-timezone').fill(f.timeZone ?? '');
    if (f.concurrencyPolicy) await d.getByRole('radio', { name: f.concurrencyPolicy, exact: true }).check({ force: true });
    await d.locator('#cj-image').fill(f.image);
    await d.locator('#cj-command').fill(f.command ?? '');
    if (f.restartPolicy) await d.getByRole('radio', { name: f.restartPolicy, exact: true }).check({ force: true });
  }

  async submitCreate(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Create|创建)$/ }).click();
  }

  async cancelCreate(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Cancel|取 ?消)$/ }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }

  /** The server's refusal shown in the form (waits for it). */
  async createError(): Promise<string> {
    const alert = this.dialog.getByTestId('cronjob-create-error');
    await alert.waitFor();
    return textOf(alert);
  }

  /** The message shown at a form field (its antd help text), '' when none. */
  async fieldError(id: 'cj-name' | 'cj-schedule' | 'cj-timezone' | 'cj-image' | 'cj-command'): Promise<string> {
    return textOf(this.dialog.locator('.ant-form-item', { has: this.page.locator(`#${id}`) }).locator('.ant-form-item-explain-error'));
  }
}
