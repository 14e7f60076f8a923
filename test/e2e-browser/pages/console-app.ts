// The console as a whole: signing in and out, the shell (navigation, language), and its screens.
import type { Page } from 'playwright-core';
import type { JobyardServer } from '../../support/jobyard-server.js';
import { screenshot } from '../support/browser.js';
import { chooseOption } from './antd.js';
import { ClusterPicker, ClustersPage } from './clusters-page.js';
import { CreateJobWizard } from './create-job-wizard.js';
import { CreatedPage } from './created-page.js';
import { CronJobsPage } from './cronjobs-page.js';
import { JobDetailPage } from './job-detail-page.js';
import { JobListPage } from './job-list-page.js';
import { LoginPage } from './login-page.js';
import { PodDetailPage } from './pod-detail-page.js';

export class ConsoleApp {
  readonly page: Page;
  readonly server: JobyardServer;

  constructor(page: Page, server: JobyardServer) {
    this.page = page;
    this.server = server;
  }

  /** The console's origin (loopback HTTP). */
  get origin(): string {
    return new URL(this.server.consoleUrl).origin;
  }

  /** Follows the sign-in link the server printed; lands on the job list. */
  async signInWithLink(): Promise<JobListPage> {
    await this.page.goto(this.server.consoleUrl);
    const list = new JobListPage(this.page, this.origin);
    await list.waitUntilShown();
    return list;
  }

  login(): LoginPage {
    return new LoginPage(this.page, this.origin);
  }

  jobs(): JobListPage {
    return new JobListPage(this.page, this.origin);
  }

  wizard(): CreateJobWizard {
    return new CreateJobWizard(this.page);
  }

  created(): CreatedPage {
    return new CreatedPage(this.page);
  }

  job(namespace: string, name: string): JobDetailPage {
    return new JobDetailPage(this.page, this.origin, namespace, name);
  }

  pod(namespace: string, name: string): PodDetailPage {
    return new PodDetailPage(this.page, this.origin, namespace, name);
  }

  cronJobs(): CronJobsPage {
    return new CronJobsPage(this.page, this.origin);
  }

  clusters(): ClustersPage {
    return new ClustersPage(this.page, this.origin);
  }

  /** The header's cluster picker. */
  clusterPicker(): ClusterPicker {
    return new ClusterPicker(this.page);
  }

  async setLanguage(label: 'English' | '简体中文'): Promise<void> {
    await chooseOption(this.page, this.page.getByRole('combobox', { name: /Language|语言/ }), label);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: /Sign out|退出登录/ }).click();
    await this.login().waitUntilShown();
  }

  screenshot(name: string): Promise<string> {
    return screenshot(this.page, name);
  }
}
