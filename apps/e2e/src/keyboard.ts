import type { Page } from 'playwright-core';

/** What has focus, as a person would name it: the accessible label or the text of the element. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return (el?.getAttribute('aria-label') ?? el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab (only the keyboard, no clicks) until the named control has focus; fails after `max` presses. */
export async function tabTo(page: Page, name: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return;
  }
  throw new Error(`"${name}" was not reached with ${max} presses of Tab; focus ended on "${await focusedName(page)}"`);
}
