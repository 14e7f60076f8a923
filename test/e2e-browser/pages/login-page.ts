// The sign-in screen: the API token, or the printed link.
import type { Page } from 'playwright-core';

export class LoginPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.origin}/`);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Sign in|登录)$/ }).waitFor();
  }

  async signIn(token: string): Promise<void> {
    await this.page.getByLabel(/API token|API 令牌/).fill(token);
    await this.page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  }

  async error(): Promise<string> {
    const alert = this.page.getByRole('alert');
    await alert.first().waitFor();
    return (await alert.first().textContent()) ?? '';
  }
}
