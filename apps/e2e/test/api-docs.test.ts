import { fileURLToPath } from 'node:url';
import { scaled } from '@contox/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillingUnderTest, startBillingUnderTest } from '../src/billing-server';
import { launchChromium } from '../src/browser';
import { publishToDocs } from '../src/screenshots';

// The API reference at /api/docs as a developer meets it, on a machine with no way out: every request to
// another origin is refused and listed, and the page must render whole without one.
describe('the API reference in a browser', () => {
  let billing: BillingUnderTest;
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    billing = await startBillingUnderTest();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(scaled(30_000));
    const origin = new URL(billing.running.url).origin;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    await billing?.stop();
  });

  it('shows contents, every operation with its example and curl line, and the error codes, offline', async () => {
    await page.goto(`${billing.running.url}/api/docs`);
    await page.getByRole('heading', { name: 'Contox Billing API', level: 1 }).waitFor();
    // The introduction's error table, and the contents: a group per tag with its operations.
    await page.getByText('insufficient_credits', { exact: true }).first().waitFor();
    const contents = page.getByRole('complementary');
    for (const tag of ['account', 'credits', 'plans', 'subscription', 'usage']) {
      await contents.getByRole('link', { name: tag, exact: true }).waitFor();
    }
    await contents.getByRole('link', { name: 'credits', exact: true }).click();
    await contents.getByRole('link', { name: /^Spend tokens/ }).click();
    // The operation's example body and its curl line.
    await page.getByText('Enrichment - session sess_xyz').first().waitFor();
    await page
      .getByText(/curl .*\/api\/billing\/credits\/spend/)
      .first()
      .waitFor();
    expect(pageErrors).toEqual([]);
    expect(outside).toEqual([]);
    const path = fileURLToPath(new URL('../test-output/api-docs.png', import.meta.url));
    await page.screenshot({ path });
    publishToDocs(path, 'api-docs');
  });
});
