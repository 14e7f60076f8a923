// The Create Job wizard (docs/product.md#the-wizard) — its three steps and every field group, errors on the
// field from the server's own rules (dry run), the YAML view both ways, templates, the created
// page (docs/product.md#created-objects-page), the Chinese UI. No controllers or agent run: this is about what the console writes.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../api/batch.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ApiDriver } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, withFailureShot } from './support/browser.js';

let server: JobyardServer;
let browser: Browser;
let api: ApiDriver;
const run = Date.now().toString(36);

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await JobyardServer.start({ args: ['--no-controllers', '--no-agent'] });
  api = new ApiDriver(server);
  // A node that reports the engine's images, as the agent does: the image picker lists them.
  await api.registerNode('e2e-node', [['docker.io/library/busybox:1.36', 'busybox:latest'], ['jobyard/pause:latest']]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Create Job wizard', () => {
  it('creates a Job with every field group of the wizard, checked by the server on the way', async () => {
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'wizard', async () => {
    const app = new ConsoleApp(page, server);
    const list = await app.signInWithLink();
    await list.createFromImage();
    const wizard = app.wizard();
    await wizard.waitUntilShown();

    // Step 1: basic information. Namespace defaults to `default`; a new one can be made here.
    expect(await wizard.namespace()).toBe('default');
    const ns = `wizard-${run}`;
    await wizard.createNamespace(ns);
    expect(await wizard.namespace()).toBe(ns);
    await wizard.setName('Bad_Name');
    await wizard.next();
    expect(await wizard.waitForFieldError('f-name')).toMatch(/RFC 1123/);
    await app.screenshot('wizard-1-name-error');
    const name = `report-${run}`;
    await wizard.setName(name);
    await eventually(async () => expect(await wizard.fieldError('f-name')).toBe(''));
    await wizard.next();

    // Step 2: containers.
    await wizard.waitForContainers();
    await wizard.pickImage('busybox');
    expect(await wizard.imageTag()).toEqual({ image: 'busybox', tag: 'latest' });
    await wizard.field('f-containers-0-tag').fill('1.36');
    await wizard.setAlwaysPull(true);
    await wizard.setResources({ cpuLimit: 500, memoryLimit: 256, cpuRequest: 250, memoryRequest: 128 });
    await wizard.addEnv('MODE', 'full');
    // The form's probe defaults (docs/product.md#health-checks): HTTP 3 s, TCP 15 s, command 5 s.
    expect(await wizard.enableLiveness()).toBe('3');
    expect(await wizard.chooseLivenessType(/^(TCP connection|TCP连接)$/)).toBe('15');
    expect(await wizard.chooseLivenessType(/^(Command|命令行)$/)).toBe('5');
    expect(await wizard.chooseLivenessType(/^(HTTP request|HTTP请求)$/)).toBe('3');
    await wizard.setLivenessHttp('/healthz', '8080');
    await wizard.setCommand('sh -c', "'echo hello; sleep 1'");
    await wizard.addHostPathVolume('/tmp', '/data');
    await wizard.addLogCollection('report-stdout', 'stdout', [['app', 'report']]);
    await app.screenshot('wizard-2-containers');
    await wizard.next();

    // Step 3: job settings, the form's defaults (docs/product.md#job-settings), then a template.
    await wizard.waitForSettings();
    expect(await wizard.settings()).toEqual({ completions: '1', parallelism: '1', backoffLimit: '6', activeDeadlineSeconds: '' });
    await wizard.chooseTemplate('parallelFixedCompletions');
    expect(await wizard.settings()).toMatchObject({ completions: '4', parallelism: '2' });
    await wizard.setCompletions(2);

    // The YAML view shows the Job being built and edits flow back into the form.
    const yaml = await wizard.showYaml();
    await eventually(async () => expect(await yaml.inputValue()).toContain('completions: 2'));
    expect(await yaml.inputValue()).toContain('name: aliyun_logs_report-stdout');
    await yaml.fill((await yaml.inputValue()).replace('backoffLimit: 6', 'backoffLimit: 3'));
    await eventually(async () => expect(await wizard.field('f-backoffLimit').inputValue()).toBe('3'));
    await app.screenshot('wizard-3-settings-yaml');

    // A YAML edit the server refuses (successThreshold must be 1 for a liveness check): Create
    // goes back to the containers step and shows the error on that field.
    await yaml.fill((await yaml.inputValue()).replace('successThreshold: 1', 'successThreshold: 2'));
    await eventually(async () => expect(await wizard.field('f-backoffLimit').inputValue()).toBe('3'));
    await wizard.create();
    expect(await wizard.waitForFieldError('f-containers-0-livenessProbe-successThreshold')).toContain('must be 1');
    await app.screenshot('wizard-4-field-error');
    await wizard.field('f-containers-0-livenessProbe-successThreshold').fill('1');
    await wizard.next();
    await wizard.waitForSettings();
    await wizard.create();

    // The created page: every object the application created.
    const created = app.created();
    await created.waitUntilShown();
    expect(await created.objects()).toEqual([`Namespace/${ns}`, `Job/${name}`]);
    await app.screenshot('created');

    // What the console wrote, field by field.
    const job: Job = await api.getJob(ns, name);
    expect([job.spec.completions, job.spec.parallelism, job.spec.backoffLimit]).toEqual([2, 2, 3]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const c = job.spec.template.spec.containers[0];
    expect([c.image, c.imagePullPolicy]).toEqual(['busybox:1.36', 'Always']);
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    expect(c.env).toEqual([
      { name: 'MODE', value: 'full' },
      { name: 'aliyun_logs_report-stdout', value: 'stdout' },
      { name: 'aliyun_logs_report-stdout_tags', value: 'app=report' },
    ]);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect([c.command, c.args]).toEqual([['sh', '-c'], ['echo hello; sleep 1']]);
    expect(c.volumeMounts).toEqual([{ name: 'hostpath-1', mountPath: '/data' }]);
    expect(job.spec.template.spec.volumes).toEqual([{ name: 'hostpath-1', hostPath: { path: '/tmp', type: '' } }]);

    // From the created page to the detail, and the job is in the list.
    await created.viewDetails();
    const detail = app.job(ns, name);
    await detail.waitUntilShown();
    expect(await detail.completions()).toBe('0/2');
    await list.open(`?namespace=${ns}`);
    const row = await list.row(name);
    expect(row).toMatchObject({ namespace: ns, status: 'Running', completions: '0/2', progress: '0', completionTime: '' });
    });
    await context.close();
  });

  it('reads like the product in Chinese, with dates in the user’s locale', async () => {
    const { context, page } = await newPage(browser, 'zh-CN');
    await withFailureShot(page, 'zh', async () => {
    const app = new ConsoleApp(page, server);
    await api.createJob({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `dated-${run}`, namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const list = await app.signInWithLink();
    // A browser asking for Chinese gets the Chinese UI; the switch is in the header.
    await page.getByRole('button', { name: '使用镜像创建' }).waitFor();
    await list.rowLocator(`dated-${run}`).waitFor();
    const created = (await page.locator('td time').first().textContent()) ?? '';
    expect(created).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await app.screenshot('zh-job-list');
    await list.createFromImage();
    const wizard = app.wizard();
    await wizard.waitUntilShown();
    for (const label of ['应用名称', '部署集群', '命名空间', '类型', '应用基本信息', '容器配置', '高级配置']) await page.getByText(label, { exact: true }).first().waitFor();
    await wizard.setName(`zh-${run}`);
    await wizard.next();
    await wizard.waitForContainers();
    for (const label of ['镜像名称', '镜像版本', '总是拉取镜像', '资源限制', '所需资源']) await page.getByText(label, { exact: true }).first().waitFor();
    await wizard.setImage('busybox');
    await app.screenshot('zh-wizard-containers');
    await wizard.next();
    await wizard.waitForSettings();
    for (const label of ['一次性Job', '固定结束次数的Job', '固定结束次数的并行Job', '成功运行的Pod数', '并行运行的Pod数', '重试次数', '重启策略']) await page.getByText(label, { exact: true }).first().waitFor();
    await app.screenshot('zh-wizard-settings');
    // Back to English through the header's switch.
    await app.setLanguage('English');
    await page.getByText('Completions', { exact: true }).first().waitFor();
    });
    await context.close();
  });
});
