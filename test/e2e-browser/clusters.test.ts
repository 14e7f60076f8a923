// Deploying to another cluster from the console. Two real `jobyard server`s: the console of the
// first adds the second as cluster `remote` from its kubeconfig (pasted; a bad one read from a
// file first, refused at its fields), a job is created there with the wizard and runs to
// completion on the second server's node, the job list / detail / pods / logs show it through
// the first server's /clusters/remote proxy, and it exists on the second server only. An
// unreachable cluster is marked in the pickers with the reason on hover. Removing `remote`
// takes it out of the console. Needs the Docker engine (both servers' agents run pods on it).
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, ClusterList } from '../../api/clusters.js';
import { JobyardServer } from '../support/jobyard-server.js';
import { ConsoleApp } from './pages/console-app.js';
import { ImagesPage } from './pages/images-page.js';
import { ApiDriver } from './support/api-driver.js';
import { ensureConsoleBuilt, eventually, launchBrowser, newPage, withFailureShot } from './support/browser.js';

let first: JobyardServer;
let second: JobyardServer;
let browser: Browser;
let firstApi: ApiDriver;
let secondApi: ApiDriver;
const run = Date.now().toString(36);

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A kubeconfig as people often have one: the key and certificate are paths to files. */
const KUBECONFIG_WITH_FILES = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: LS0tLS1CRUdJTi0tLS0tCg==
users:
- name: me
  user:
    client-certificate: /home/me/.kube/me.crt
    client-key: /home/me/.kube/me.key
contexts:
- name: lab
  context:
    cluster: lab
    user: me
current-context: lab
`;

beforeAll(async () => {
  ensureConsoleBuilt();
  [first, second] = await Promise.all([JobyardServer.start(), JobyardServer.start()]);
  firstApi = new ApiDriver(first);
  secondApi = new ApiDriver(second);
  await Promise.all([firstApi.waitForNode(), secondApi.waitForNode()]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await first?.stop();
  await second?.stop();
});

describe('the console deploys to another cluster', () => {
  it('adds the second server as `remote`, runs a Job there from the wizard, watches it through the proxy, and removes the cluster', async () => {
    const name = `remote-${run}`;
    const { context, page } = await newPage(browser);
    await withFailureShot(page, 'clusters', async () => {
      const app = new ConsoleApp(page, first);
      await app.signInWithLink();
      const clusters = app.clusters();
      const picker = app.clusterPicker();

      // Only the built-in engine at first: reachable, with its version, not removable.
      await clusters.openFromNav();
      expect(await clusters.names()).toEqual(['local']);
      const local = await clusters.row('local');
      expect(local).toMatchObject({ builtIn: true, current: true, reachable: 'true', removable: false });
      expect(local.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(local.version).toMatch(/^v\d+\.\d+/);

      // A kubeconfig read from a file chosen in the browser, with file paths for its credentials,
      // under the name of the built-in engine: the server's causes show at both fields.
      await clusters.openAddForm();
      await clusters.setName('local');
      await clusters.chooseKubeconfigFile('lab.kubeconfig', KUBECONFIG_WITH_FILES);
      expect(await clusters.kubeconfigText()).toBe(KUBECONFIG_WITH_FILES);
      await clusters.submit();
      expect(await clusters.waitForFieldError('name')).toContain('is the name of this server’s own engine');
      const kubeconfigError = await clusters.waitForFieldError('kubeconfig');
      expect(kubeconfigError).toContain('users[me].user.client-key: Forbidden: a file the server cannot read; embed it as client-key-data');
      expect(kubeconfigError).toContain('users[me].user.client-certificate');
      await app.screenshot('clusters-add-refused');
      // Nothing was added.
      expect((await firstApi.call<ClusterList>('GET', '/clusters')).items.map((c) => c.metadata.name)).toEqual(['local']);

      // The second server's own kubeconfig, pasted: added, probed, reachable.
      const remoteKubeconfig = readFileSync(second.kubeconfig, 'utf8');
      await clusters.setName('remote');
      await clusters.pasteKubeconfig(remoteKubeconfig);
      // Editing a field clears its error.
      expect(await clusters.fieldError('name')).toBe('');
      expect(await clusters.fieldError('kubeconfig')).toBe('');
      await clusters.submit();
      await clusters.waitUntilFormClosed();
      const remote = await clusters.row('remote');
      expect(remote).toMatchObject({ builtIn: false, current: false, server: second.url, reachable: 'true', context: 'jobyard', namespace: 'default', removable: true });
      expect(remote.version).toBe(local.version);
      expect(Date.parse(remote.added)).toBeGreaterThan(Date.now() - 120_000);

      // A cluster that does not answer is added too, and marked, with the reason.
      const port = await closedPort();
      const goneKubeconfig = remoteKubeconfig.replace(second.url, `https://127.0.0.1:${port}`);
      expect(goneKubeconfig).not.toBe(remoteKubeconfig);
      const gone = await clusters.add('gone', goneKubeconfig);
      expect(gone.reachable).toBe('false');
      expect(gone.message).toMatch(/^cluster "gone" is unreachable: /);
      expect(gone.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
      expect(await clusters.names()).toEqual(['local', 'gone', 'remote']);
      await app.screenshot('clusters-list');

      // The header's picker shows every cluster; the unreachable one is marked and says why on hover.
      const options = await picker.options();
      expect(options.map((o) => [o.name, o.reachable, o.marked])).toEqual([
        ['local', 'true', false],
        ['gone', 'false', true],
        ['remote', 'true', false],
      ]);
      expect(options.find((o) => o.name === 'gone')?.title).toContain('ECONNREFUSED');
      expect(options.find((o) => o.name === 'remote')?.title).toBe(second.url);

      // Choosing the unreachable one says so on every page.
      await picker.choose('gone');
      await page.getByTestId('cluster-unreachable').waitFor();
      expect(await page.getByTestId('cluster-unreachable').textContent()).toContain('ECONNREFUSED');
      await clusters.remove('gone');
      expect(await clusters.names()).toEqual(['local', 'remote']);
      // The chosen cluster is gone: the console is back on local.
      await eventually(async () => expect(await picker.current()).toBe('local'));

      // On `remote`, the job list is the second server's (empty), and its images are its node's.
      await picker.choose('remote');
      expect(await picker.current()).toBe('remote');
      const list = app.jobs();
      await list.open();
      expect(await picker.current()).toBe('remote');
      const images = new ImagesPage(page);
      await images.openFromNav();
      expect(await images.help()).toContain('remote');
      const busybox = await eventually(async () => {
        const b = (await images.rows()).find((r) => r.repository === 'busybox');
        expect(b).toBeDefined();
        return b!;
      });
      expect(busybox.tags).toContain('1.36');

      // The wizard deploys to the chosen cluster; its deploy-cluster field lists them all.
      await list.open();
      await list.createFromImage();
      const wizard = app.wizard();
      await wizard.waitUntilShown();
      expect(await wizard.deployCluster()).toBe('remote');
      expect(await wizard.deployClusterOptions()).toEqual(['local', 'remote']);
      await wizard.setName(name);
      await app.screenshot('clusters-wizard-step1-remote');
      await wizard.next();
      await wizard.waitForContainers();
      await wizard.setImage('busybox', '1.36');
      await wizard.setCommand('/bin/busybox echo hi', '');
      await wizard.next();
      await wizard.waitForSettings();
      await wizard.chooseTemplate('parallelFixedCompletions');
      await wizard.setCompletions(2);
      await wizard.setParallelism(2);
      await app.screenshot('clusters-wizard-remote');
      await wizard.create();
      await app.created().waitUntilShown();
      expect(await page.getByTestId('created-cluster').textContent()).toContain('remote');

      // The job list shows it complete (through the proxy's watch).
      await list.open();
      await eventually(async () => {
        const row = await list.row(name);
        expect(row).toMatchObject({ status: 'Complete', completions: '2/2', progress: '100' });
        expect(row.completionTime).not.toBe('');
      }, 120_000, 500);
      await app.screenshot('clusters-remote-list');

      // Its detail: two pods, both completed, and each pod's log line.
      await list.openJob(name);
      const detail = app.job('default', name);
      await detail.waitUntilShown();
      const pods = await eventually(async () => {
        const p = await detail.pods();
        expect(p.map((x) => x.status)).toEqual(['Completed', 'Completed']);
        return p;
      }, 60_000);
      expect(await detail.completions()).toBe('2/2');
      await detail.openTab(/^(Logs|日志)$/);
      await eventually(async () => {
        const lines = await detail.logLines();
        for (const p of pods) expect(lines).toContain(`${p.name}: hi`);
      }, 30_000);
      await app.screenshot('clusters-remote-detail-logs');

      // The address names the cluster: the same link opened in a fresh tab shows the same Job on
      // `remote`, whatever that tab's console last used.
      const shared = new URL(page.url());
      expect(shared.pathname).toBe(`/jobs/default/${name}`);
      expect(shared.searchParams.get('cluster')).toBe('remote');
      const other = await context.newPage();
      await other.goto(`${app.origin}/jobs?cluster=local`);
      await eventually(async () => expect(await new ConsoleApp(other, first).clusterPicker().current()).toBe('local'));
      await other.goto(shared.href);
      const sharedApp = new ConsoleApp(other, first);
      await eventually(async () => expect(await sharedApp.clusterPicker().current()).toBe('remote'));
      const sharedDetail = sharedApp.job('default', name);
      await sharedDetail.waitUntilShown();
      expect(await sharedDetail.completions()).toBe('2/2');
      await other.close();

      // The Job is on the second server, run by its controller and node, and not on the first.
      const job = await secondApi.getJob('default', name);
      expect(job.spec.completions).toBe(2);
      expect(job.spec.parallelism).toBe(2);
      expect(job.spec.template.spec.containers[0]).toMatchObject({ image: 'busybox:1.36', command: ['/bin/busybox', 'echo', 'hi'] });
      expect(job.status?.succeeded).toBe(2);
      expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
      expect((await secondApi.listPods('default', `batch.kubernetes.io/job-name=${name}`)).map((p) => p.metadata.name).sort()).toEqual(pods.map((p) => p.name).sort());
      expect(await firstApi.jobExists('default', name)).toBe(false);
      expect(await firstApi.listPods('default', `batch.kubernetes.io/job-name=${name}`)).toEqual([]);

      // Logstores belong to the engine that ran the pods: `remote` is a jobyard server, so its
      // log service answers through the proxy (no "no log service" note).
      await page.getByRole('link', { name: /^(Logstores|日志库)$/ }).click();
      await page.getByRole('heading', { name: /^(Logstores|日志库)$/ }).waitFor();
      await page.locator('.ant-table').waitFor();
      expect(await page.getByTestId('no-log-service').count()).toBe(0);

      // In Chinese too; a reload at the page's own address keeps the language and the cluster.
      await app.setLanguage('简体中文');
      await clusters.open();
      expect(await picker.current()).toBe('remote');
      expect(await page.getByRole('columnheader', { name: '版本' }).count()).toBe(1);
      expect((await clusters.row('remote')).current).toBe(true);
      await app.screenshot('clusters-list-zh');
      await app.setLanguage('English');

      // Remove `remote`: gone from the page, the picker and the server; the console is on local again.
      await clusters.remove('remote');
      expect(await clusters.names()).toEqual(['local']);
      await eventually(async () => expect(await picker.current()).toBe('local'));
      expect((await picker.options()).map((o) => o.name)).toEqual(['local']);
      const after = await firstApi.call<ClusterList>('GET', '/clusters');
      expect(after.items.map((c: Cluster) => c.metadata.name)).toEqual(['local']);
      expect(await firstApi.status('GET', `/clusters/remote/apis/batch/v1/namespaces/default/jobs/${name}`)).toBe(404);
      // Removing the cluster deleted nothing on it.
      expect(await secondApi.jobExists('default', name)).toBe(true);
      await app.screenshot('clusters-removed');
    });
    await context.close();
  });
});
