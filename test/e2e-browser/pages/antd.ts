// Small helpers for antd controls that are not plain inputs.
import type { Locator, Page } from 'playwright-core';

/** Opens an antd Select (found by its label) and picks the option with this text. */
export async function chooseOption(page: Page, select: Locator, optionText: string): Promise<void> {
  await select.click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first();
  await option.click();
}

/** Text of a locator, trimmed ('' when missing). */
export async function textOf(l: Locator): Promise<string> {
  return ((await l.count()) > 0 ? ((await l.first().textContent()) ?? '') : '').trim();
}

/** An attribute of the first match, or '' when nothing matches (never waits for the element to appear). */
export async function attrOf(l: Locator, name: string): Promise<string> {
  return (await l.count()) > 0 ? ((await l.first().getAttribute(name)) ?? '') : '';
}
