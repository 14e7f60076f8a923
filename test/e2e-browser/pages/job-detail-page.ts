// Job detail (docs/product.md#job-detail): summary, failure card, pods live, events, logs, YAML, actions.
import type { Page } from 'playwright-core';
import { attrOf, textOf } from './antd.js';

export interface PodRow {
  name: string;
  status: string;
  exitCode: string;
}

export class JobDetailPage {
  readonly page: Page;
  readonly origin: string;
  readonly namespace: string;
  readonly name: string;

  constructor(page: Page, origin: string, namespace: string, name: string) {
    this.page = page;
    this.origin = origin;
    this.namespace = namespace;
    this.name = name;
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.origin}/jobs/${this.namespace}/${this.name}`);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByTestId('detail-completions').waitFor();
  }

  async status(): Promise<string> {
    return attrOf(this.page.locator('[data-status]'), 'data-status');
  }

  async completions(): Promise<string> {
    return textOf(this.page.getByTestId('detail-completions'));
  }

  async completionTime(): Promise<string> {
    return attrOf(this.page.getByTestId('detail-completion-time').locator('time'), 'datetime');
  }

  async failureCard(): Promise<{ text: string; exitCode: string; log: string } | undefined> {
    const card = this.page.getByTestId('failure-card');
    if ((await card.count()) === 0) return undefined;
    return { text: (await card.textContent()) ?? '', exitCode: await textOf(card.getByTestId('exit-code')), log: await textOf(card.getByTestId('failure-log')) };
  }

  async pods(): Promise<PodRow[]> {
    const rows = this.page.locator('tr', { has: this.page.locator('a[href^="/pods/"]') });
    const out: PodRow[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const r = rows.nth(i);
      out.push({ name: await textOf(r.locator('a')), status: await attrOf(r.locator('[data-status]'), 'data-status'), exitCode: await textOf(r.locator('td').nth(4)) });
    }
    return out;
  }

  async openTab(label: RegExp): Promise<void> {
    await this.page.getByRole('tab', { name: label }).click();
  }

  /** Opens the Logs tab (all pods) and returns the shown lines as "pod: text". */
  async logLines(): Promise<string[]> {
    const lines = this.page.locator('.log-line');
    const out: string[] = [];
    for (let i = 0; i < (await lines.count()); i++) out.push(`${await lines.nth(i).getAttribute('data-pod')}: ${(await lines.nth(i).locator('.log-text').textContent()) ?? ''}`);
    return out;
  }

  async searchLogs(text: string): Promise<void> {
    await this.page.getByLabel(/Search logs|搜索日志/).fill(text);
  }

  async suspend(): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Suspend|暂停)$/ }).click();
  }

  async resume(): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Resume|恢复)$/ }).click();
  }

  async changeParallelism(n: number): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Parallelism|并行数)$/ }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('spinbutton').fill(String(n));
    await dialog.getByRole('button', { name: /OK|确定/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async clone(): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Clone|复制创建)$/ }).click();
  }

  async rerun(): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Rerun|重新运行)$/ }).click();
  }

  async delete(keepPods: boolean): Promise<void> {
    await this.page.getByRole('button', { name: /(^|\s)(Delete|删除)$/ }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('radio', { name: keepPods ? /keep its pods|保留其容器组/ : /and its pods|及其容器组/ }).check();
    await dialog.getByRole('button', { name: /(^|\s)(Delete|删除)$/ }).click();
  }
}
