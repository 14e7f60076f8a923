// A pod's page, and its terminal tab (xterm.js draws the screen as DOM rows, readable as text).
import type { Page } from 'playwright-core';

export class PodDetailPage {
  readonly page: Page;
  private readonly url: string;

  constructor(page: Page, origin: string, namespace: string, name: string) {
    this.page = page;
    this.url = `${origin}/pods/${namespace}/${name}`;
  }

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.getByRole('tab', { name: /^(Terminal|终端)$/ }).waitFor();
  }

  async openTerminal(command?: string): Promise<void> {
    await this.page.getByRole('tab', { name: /^(Terminal|终端)$/ }).click();
    if (command !== undefined) await this.page.getByLabel(/^(Command|命令)$/).fill(command);
    await this.page.getByRole('button', { name: /^(Connect|连接)$/ }).click();
  }

  /** Types into the terminal as a person would (xterm listens on its hidden textarea). */
  async type(text: string): Promise<void> {
    await this.page.getByTestId('terminal').click();
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** What the terminal shows, row by row. */
  async screen(): Promise<string> {
    return this.page.locator('[data-testid=terminal] .xterm-rows').innerText();
  }

  /** The session's state tag: Connecting…, Connected, Exited with code N, or why it closed. */
  async state(): Promise<string> {
    return (await this.page.getByTestId('terminal-state').innerText()).trim();
  }
}
