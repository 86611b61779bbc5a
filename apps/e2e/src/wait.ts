import { scaled } from '@contox/db/testing';
import type { Locator, Page } from 'playwright-core';

/** Polls until `check` holds, then returns the value; the error says what was last seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = scaled(15_000),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for the element to show the text (a substring, or a pattern). */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = scaled(15_000),
): Promise<string> {
  await locator.first().waitFor({ timeout: timeoutMs });
  return eventually(
    async () => ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    (text) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text)),
    `text ${String(expected)}`,
    timeoutMs,
  );
}

/**
 * The customer looks at the tab again (`visibilitychange`, on which the dashboard refetches) until `locator`
 * shows. A refetch already under way when they look is reused, not repeated, and may hold what was read before
 * the change, so on a loaded machine one look is not always enough: they look again until it shows.
 */
export async function lookAgainUntilShown(page: Page, locator: Locator, timeoutMs = scaled(15_000)): Promise<void> {
  await eventually(
    async () => {
      if (await locator.first().isVisible()) return true;
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
      return false;
    },
    (shown) => shown,
    'it to show after looking at the tab again',
    timeoutMs,
  );
}
