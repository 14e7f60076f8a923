// The Clusters page (deploy targets) and the header's cluster picker.
import type { Locator, Page } from 'playwright-core';
import { attrOf, textOf } from './antd.js';

export interface ClusterRow {
  name: string;
  builtIn: boolean;
  current: boolean;
  server: string;
  version: string;
  /** 'true', 'false' or 'unknown' (not probed). */
  reachable: string;
  message: string;
  context: string;
  namespace: string;
  /** The added time's RFC 3339 value ('' for local). */
  added: string;
  removable: boolean;
}

export interface PickerOption {
  name: string;
  reachable: string;
  /** The hover text: the server, or why the cluster is unreachable. */
  title: string;
  marked: boolean;
}

export type ClusterField = 'name' | 'kubeconfig' | 'context';

export class ClustersPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.origin}/settings/clusters`);
    await this.waitUntilShown();
  }

  /** Through the navigation, as a person would. */
  async openFromNav(): Promise<void> {
    await this.page.getByRole('link', { name: /^(Clusters|集群)$/ }).click();
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByRole('button', { name: /Add cluster|添加集群/ }).waitFor();
    await this.page.locator('tr[data-row-key="local"]').waitFor();
  }

  rowLocator(name: string): Locator {
    return this.page.locator(`tr[data-row-key="${name}"]`);
  }

  async names(): Promise<string[]> {
    const rows = this.page.locator('.ant-table-tbody tr[data-row-key]');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).getAttribute('data-row-key')) ?? '');
    return out;
  }

  async row(name: string): Promise<ClusterRow> {
    const r = this.rowLocator(name);
    await r.waitFor();
    const cells = r.locator('td');
    return {
      name: await textOf(r.getByTestId('cluster-name')),
      builtIn: (await r.getByText(/^(built-in|内置)$/).count()) > 0,
      current: (await r.getByText(/^(current|当前)$/).count()) > 0,
      server: await textOf(r.getByTestId('cluster-server')),
      version: await textOf(r.getByTestId('cluster-version')),
      reachable: await attrOf(r.getByTestId('cluster-status'), 'data-reachable'),
      message: await textOf(r.getByTestId('cluster-message')),
      context: await textOf(r.getByTestId('cluster-context')),
      namespace: await textOf(r.getByTestId('cluster-namespace')),
      added: await attrOf(cells.nth(6).locator('time'), 'datetime'),
      removable: (await r.getByRole('button', { name: /^(Remove|移除)$/ }).count()) > 0,
    };
  }

  async checkAgain(): Promise<void> {
    await this.page.getByRole('button', { name: /Check again|重新检测/ }).click();
  }

  // ---- Add cluster ----
  private get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  async openAddForm(): Promise<void> {
    await this.page.getByRole('button', { name: /Add cluster|添加集群/ }).first().click();
    await this.page.locator('#cluster-name').waitFor();
  }

  async setName(name: string): Promise<void> {
    await this.page.locator('#cluster-name').fill(name);
  }

  /** Pastes a kubeconfig's text into the form. */
  async pasteKubeconfig(text: string): Promise<void> {
    await this.page.locator('#cluster-kubeconfig').fill(text);
  }

  /** Chooses a kubeconfig file in the browser's file picker; the form reads its text. */
  async chooseKubeconfigFile(fileName: string, text: string): Promise<void> {
    await this.dialog.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'application/yaml', buffer: Buffer.from(text) });
    await this.dialog.getByTestId('kubeconfig-file').waitFor();
  }

  async kubeconfigText(): Promise<string> {
    return this.page.locator('#cluster-kubeconfig').inputValue();
  }

  async setContext(context: string): Promise<void> {
    await this.page.locator('#cluster-context').fill(context);
  }

  async submit(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Add cluster|添加集群)$/ }).click();
  }

  /** The server's error shown at a field of the form (waits for it). */
  async waitForFieldError(field: ClusterField): Promise<string> {
    const e = this.page.getByTestId(`error-cluster-${field}`);
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }

  async fieldError(field: ClusterField): Promise<string> {
    return textOf(this.page.getByTestId(`error-cluster-${field}`));
  }

  async waitUntilFormClosed(): Promise<void> {
    await this.page.locator('#cluster-name').waitFor({ state: 'detached' });
  }

  /** Adds a cluster from a pasted kubeconfig and waits for its row. */
  async add(name: string, kubeconfig: string, context?: string): Promise<ClusterRow> {
    await this.openAddForm();
    await this.setName(name);
    await this.pasteKubeconfig(kubeconfig);
    if (context) await this.setContext(context);
    await this.submit();
    await this.waitUntilFormClosed();
    return this.row(name);
  }

  // ---- Remove, switch ----
  async remove(name: string): Promise<void> {
    await this.rowLocator(name).getByRole('button', { name: /^(Remove|移除)$/ }).click();
    await this.page.locator('.ant-popover:not(.ant-popover-hidden) .ant-popconfirm-buttons').getByRole('button', { name: /^(Remove|移除)$/ }).click();
    await this.rowLocator(name).waitFor({ state: 'detached' });
  }

  async use(name: string): Promise<void> {
    await this.rowLocator(name).getByRole('button', { name: /Switch to|切换到此集群/ }).click();
  }
}

/** The header's cluster picker. */
export class ClusterPicker {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get combobox(): Locator {
    return this.page.getByRole('combobox', { name: /^(Cluster|集群)$/ });
  }

  /** The chosen cluster's name. */
  async current(): Promise<string> {
    return attrOf(this.page.getByTestId('cluster-picker').locator('[data-cluster]'), 'data-cluster');
  }

  private get openList(): Locator {
    return this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  }

  /** Opens the list (which probes the clusters again) and reads its options. */
  async options(): Promise<PickerOption[]> {
    await this.combobox.click();
    const labels = this.openList.locator('.ant-select-item-option [data-cluster]');
    await labels.first().waitFor();
    const out: PickerOption[] = [];
    for (let i = 0; i < (await labels.count()); i++) {
      const l = labels.nth(i);
      out.push({
        name: (await l.getAttribute('data-cluster')) ?? '',
        reachable: (await l.getAttribute('data-reachable')) ?? '',
        title: (await l.getAttribute('title')) ?? '',
        marked: (await l.locator('.ant-tag').count()) > 0,
      });
    }
    await this.page.keyboard.press('Escape');
    await this.openList.waitFor({ state: 'hidden' });
    return out;
  }

  async choose(name: string): Promise<void> {
    await this.combobox.click();
    await this.openList.locator(`.ant-select-item-option:has([data-cluster="${name}"])`).click();
    await this.openList.waitFor({ state: 'hidden' });
  }
}
