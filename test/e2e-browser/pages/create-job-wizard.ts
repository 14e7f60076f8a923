// The Create Job wizard (docs/product.md#the-wizard): its three steps, fields found by their labels.
import type { Locator, Page } from 'playwright-core';
import { chooseOption } from './antd.js';

export type Template = 'oneShot' | 'fixedCompletions' | 'parallelFixedCompletions' | 'workQueue';

export class CreateJobWizard {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** A field's control by its id (the form path: f-containers-0-image). */
  field(id: string): Locator {
    return this.page.locator(`#${id}`);
  }

  /** The server's error shown on a field ('' when none). */
  async fieldError(id: string): Promise<string> {
    const e = this.page.getByTestId(`error-${id}`);
    return (await e.count()) > 0 ? ((await e.textContent()) ?? '') : '';
  }

  async waitForFieldError(id: string): Promise<string> {
    const e = this.page.getByTestId(`error-${id}`);
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }

  async waitUntilShown(): Promise<void> {
    await this.field('f-name').waitFor();
  }

  // ---- step 1: basic information ----
  async setName(name: string): Promise<void> {
    await this.field('f-name').fill(name);
  }

  /** The deploy cluster chosen in step 1 (docs/product.md#wizard-basic-info). */
  async deployCluster(): Promise<string> {
    const label = this.page.locator('.ant-select', { has: this.field('f-cluster') }).locator('[data-cluster]').first();
    return (await label.count()) > 0 ? ((await label.getAttribute('data-cluster')) ?? '') : '';
  }

  /** The deploy cluster options as "name" or "name (unreachable)". */
  async deployClusterOptions(): Promise<string[]> {
    await this.field('f-cluster').click();
    const list = this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    const labels = list.locator('.ant-select-item-option [data-cluster]');
    await labels.first().waitFor();
    const out: string[] = [];
    for (let i = 0; i < (await labels.count()); i++) {
      const l = labels.nth(i);
      out.push(`${await l.getAttribute('data-cluster')}${(await l.getAttribute('data-reachable')) === 'false' ? ' (unreachable)' : ''}`);
    }
    await this.page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    return out;
  }

  async namespace(): Promise<string> {
    return ((await this.page.locator('.ant-select', { has: this.field('f-namespace') }).locator('.ant-select-content, .ant-select-selection-item').first().textContent()) ?? '').trim();
  }

  async chooseNamespace(ns: string): Promise<void> {
    await chooseOption(this.page, this.field('f-namespace'), ns);
  }

  async createNamespace(name: string): Promise<void> {
    await this.page.getByRole('button', { name: /New namespace|新建命名空间/ }).click();
    await this.page.locator('#new-namespace').fill(name);
    await this.page.getByRole('dialog').getByRole('button', { name: /^(Create|创建)$/ }).click();
    await this.page.getByRole('dialog').waitFor({ state: 'hidden' });
  }

  /** The type of step 1: Job or CronJob (the schedule settings appear with CronJob). */
  async chooseType(type: 'Job' | 'CronJob'): Promise<void> {
    const label = type === 'CronJob' ? /^(CronJob|定时任务)$/ : /^(Job|任务)$/;
    await this.page.locator('.ant-radio-button-wrapper', { has: this.page.getByText(label) }).click();
    if (type === 'CronJob') await this.field('f-cron-schedule').waitFor();
    else await this.field('f-cron-schedule').waitFor({ state: 'detached' });
  }

  async setSchedule(schedule: string): Promise<void> {
    await this.field('f-cron-schedule').fill(schedule);
  }

  /** Clicks one of the examples under the schedule field. */
  async useScheduleExample(schedule: string): Promise<void> {
    await this.page.locator(`[data-schedule="${schedule}"]`).click();
  }

  async setTimeZone(zone: string): Promise<void> {
    await this.field('f-cron-timeZone').fill(zone);
  }

  async chooseConcurrencyPolicy(policy: 'Allow' | 'Forbid' | 'Replace'): Promise<void> {
    await this.field('f-cron-concurrencyPolicy').locator('.ant-radio-button-wrapper', { hasText: policy }).click();
  }

  async setStartingDeadline(seconds: number): Promise<void> {
    await this.field('f-cron-startingDeadlineSeconds').fill(String(seconds));
  }

  async setHistoryLimits(successful: number, failed: number): Promise<void> {
    await this.field('f-cron-successfulJobsHistoryLimit').fill(String(successful));
    await this.field('f-cron-failedJobsHistoryLimit').fill(String(failed));
  }

  /** The schedule settings as shown (the history limits come pre-filled with upstream's 3 and 1). */
  async cronSettings(): Promise<{ schedule: string; timeZone: string; concurrencyPolicy: string; startingDeadlineSeconds: string; successfulJobsHistoryLimit: string; failedJobsHistoryLimit: string }> {
    const checked = this.page.locator('#f-cron-concurrencyPolicy .ant-radio-button-wrapper-checked');
    return {
      schedule: await this.field('f-cron-schedule').inputValue(),
      timeZone: await this.field('f-cron-timeZone').inputValue(),
      concurrencyPolicy: ((await checked.textContent()) ?? '').trim(),
      startingDeadlineSeconds: await this.field('f-cron-startingDeadlineSeconds').inputValue(),
      successfulJobsHistoryLimit: await this.field('f-cron-successfulJobsHistoryLimit').inputValue(),
      failedJobsHistoryLimit: await this.field('f-cron-failedJobsHistoryLimit').inputValue(),
    };
  }

  async next(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Next|下一步)$/ }).click();
  }

  async previous(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Previous|上一步)$/ }).click();
  }

  // ---- step 2: containers ----
  async waitForContainers(): Promise<void> {
    await this.field('f-containers-0-image').waitFor();
  }

  async setImage(image: string, tag?: string, container = 0): Promise<void> {
    await this.field(`f-containers-${container}-image`).fill(image);
    await this.field(`f-containers-${container}-image`).blur();
    if (tag !== undefined) await this.field(`f-containers-${container}-tag`).fill(tag);
  }

  /** Opens "Select image" and picks a repository from the engine's images. */
  async pickImage(repository: string): Promise<void> {
    await this.page.getByRole('button', { name: /Select image|选择镜像/ }).first().click();
    const dialog = this.page.getByRole('dialog');
    await dialog.locator('tr', { hasText: repository }).first().click();
    await dialog.getByRole('button', { name: /OK|确定/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async imageTag(container = 0): Promise<{ image: string; tag: string }> {
    return { image: await this.field(`f-containers-${container}-image`).inputValue(), tag: await this.field(`f-containers-${container}-tag`).inputValue() };
  }

  async openSection(label: RegExp): Promise<void> {
    const header = this.page.locator('.ant-collapse-header', { hasText: label }).first();
    const item = this.page.locator('.ant-collapse-item', { has: header }).first();
    if (!((await item.getAttribute('class')) ?? '').includes('ant-collapse-item-active')) await header.click();
  }

  async setAlwaysPull(on: boolean, container = 0): Promise<void> {
    const box = this.field(`f-containers-${container}-imagePullPolicy`);
    if ((await box.isChecked()) !== on) await box.click();
  }

  async setResources(r: { cpuLimit?: number; memoryLimit?: number; cpuRequest?: number; memoryRequest?: number }, container = 0): Promise<void> {
    const c = `f-containers-${container}`;
    if (r.cpuLimit !== undefined) await this.field(`${c}-limits-cpu-millicores`).fill(String(r.cpuLimit));
    if (r.memoryLimit !== undefined) await this.field(`${c}-limits-memory-amount`).fill(String(r.memoryLimit));
    if (r.cpuRequest !== undefined) await this.field(`${c}-requests-cpu-millicores`).fill(String(r.cpuRequest));
    if (r.memoryRequest !== undefined) await this.field(`${c}-requests-memory-amount`).fill(String(r.memoryRequest));
  }

  async addEnv(name: string, value: string, container = 0): Promise<void> {
    await this.openSection(/Environment variables|环境变量/);
    const count = await this.page.locator(`[id^="f-containers-${container}-env-"][id$="-name"]`).count();
    await this.page.getByRole('button', { name: /Add variable|添加环境变量/ }).click();
    await this.field(`f-containers-${container}-env-${count}-name`).fill(name);
    await this.field(`f-containers-${container}-env-${count}-value`).fill(value);
  }

  /** Ticks the liveness check (HTTP by default) and returns the pre-filled initial delay. */
  async enableLiveness(container = 0): Promise<string> {
    await this.openSection(/Health checks|健康检查/);
    await this.field(`f-containers-${container}-livenessProbe-enabled`).check();
    return this.field(`f-containers-${container}-livenessProbe-initialDelaySeconds`).inputValue();
  }

  async setLivenessHttp(path: string, port: string, container = 0): Promise<void> {
    await this.field(`f-containers-${container}-livenessProbe-path`).fill(path);
    await this.field(`f-containers-${container}-livenessProbe-port`).fill(port);
  }

  async chooseLivenessType(label: RegExp, container = 0): Promise<string> {
    await this.page.getByTestId('probe-liveness').getByText(label).click();
    return this.field(`f-containers-${container}-livenessProbe-initialDelaySeconds`).inputValue();
  }

  async setCommand(command: string, args: string, container = 0): Promise<void> {
    await this.openSection(/Lifecycle|生命周期/);
    await this.field(`f-containers-${container}-command`).fill(command);
    await this.field(`f-containers-${container}-args`).fill(args);
  }

  async addHostPathVolume(hostPath: string, mountPath: string, container = 0): Promise<void> {
    await this.openSection(/Volumes|数据卷/);
    const n = await this.page.locator('[data-testid^="volume-"]').count();
    await this.page.getByRole('button', { name: /Add local storage|添加本地存储/ }).click();
    await this.field(`f-containers-${container}-volumes-${n}-source`).fill(hostPath);
    await this.field(`f-containers-${container}-volumes-${n}-mountPath`).fill(mountPath);
  }

  async addLogCollection(logstore: string, path: string, tags: [string, string][], container = 0): Promise<void> {
    await this.openSection(/Log service|日志服务/);
    const n = await this.page.locator(`[id^="f-containers-${container}-logs-"][id$="-logstore"]`).count();
    await this.page.getByRole('button', { name: /Add collection|添加采集配置/ }).click();
    await this.field(`f-containers-${container}-logs-${n}-logstore`).fill(logstore);
    await this.field(`f-containers-${container}-logs-${n}-path`).fill(path);
    for (const [i, [k, v]] of tags.entries()) {
      await this.page.getByRole('button', { name: /Add tag|添加 Tag/ }).last().click();
      await this.page.getByLabel(new RegExp(`(Custom tags|自定义 Tag) (Key|键) ${i + 1}$`)).last().fill(k);
      await this.page.getByLabel(new RegExp(`(Custom tags|自定义 Tag) (Value|值) ${i + 1}$`)).last().fill(v);
    }
  }

  // ---- step 3: job settings ----
  async waitForSettings(): Promise<void> {
    await this.field('f-completions').waitFor();
  }

  async chooseTemplate(t: Template): Promise<void> {
    await this.page.getByTestId(`template-${t}`).click();
  }

  async settings(): Promise<{ completions: string; parallelism: string; backoffLimit: string; activeDeadlineSeconds: string }> {
    return {
      completions: await this.field('f-completions').inputValue(),
      parallelism: await this.field('f-parallelism').inputValue(),
      backoffLimit: await this.field('f-backoffLimit').inputValue(),
      activeDeadlineSeconds: await this.field('f-activeDeadlineSeconds').inputValue(),
    };
  }

  async setCompletions(n: number): Promise<void> {
    await this.field('f-completions').fill(String(n));
  }

  async setParallelism(n: number): Promise<void> {
    await this.field('f-parallelism').fill(String(n));
  }

  async create(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Create|创建)$/ }).click();
  }

  // ---- YAML view ----
  async showYaml(): Promise<Locator> {
    await this.page.getByRole('switch', { name: 'YAML' }).click();
    // "CronJob YAML" / "定时任务 YAML" when the type is CronJob.
    const editor = this.page.getByLabel(/Job YAML|任务 YAML/);
    await editor.waitFor();
    return editor;
  }
}
