// The Images page: repositories and tags the current cluster's nodes report (status.images).
import type { Page } from 'playwright-core';

export interface ImageRow {
  repository: string;
  tags: string[];
}

export class ImagesPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Through the navigation menu. */
  async openFromNav(): Promise<void> {
    await this.page.getByRole('link', { name: /^(Images|镜像)$/ }).click();
    await this.page.getByRole('heading', { name: /^(Images|镜像)$/ }).waitFor();
  }

  /** The info line naming the cluster the images come from. */
  async help(): Promise<string> {
    return ((await this.page.locator('.ant-alert-info').first().textContent()) ?? '').trim();
  }

  async rows(): Promise<ImageRow[]> {
    const rows = this.page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    const out: ImageRow[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator('td');
      out.push({ repository: ((await cells.nth(0).textContent()) ?? '').trim(), tags: (await cells.nth(1).locator('.ant-tag').allTextContents()).map((t) => t.trim()) });
    }
    return out;
  }
}
