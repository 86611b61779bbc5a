import { scaled } from '@contox/db/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP } from '../src/audit';
import { launchChromium } from '../src/browser';
import { openTab } from '../src/journey';
import { type RestartableBilling, startRestartableBilling } from '../src/restartable-server';
import { screenshot } from '../src/screenshots';
import { eventually, expectText } from '../src/wait';

// README, "Restarts and stopping": a restart on the same data folder loses nothing (embedded Postgres, the
// emulator's snapshot, its port). Sessions are rows in that database, so the promise covers them too: a
// customer who is mid-journey when the operator restarts the server keeps the page, the session and the card.

interface Credits {
  balance: number;
  transactions: { type: string; amount: number; description: string }[];
}
interface Summary {
  balance: number;
  allowance: { limit: number; remaining: number };
}

let billing: RestartableBilling;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const credits = async () => (await billing.api<Credits>('GET', '/api/billing/credits?limit=100')).json;
const purchases = async () => (await credits()).transactions.filter((t) => t.type === 'purchase').map((t) => t.amount);
/**
 * What a person does by switching back to the tab: the dashboard refetches then. Data it has shown is not
 * asked for again otherwise; only a read that failed to reach the service is retried on its own.
 */
const returnToTab = () => page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
const sessionCookie = async () => (await context.cookies(billing.banner.url)).map((c) => `${c.name}=${c.value}`);
const onEmulator = (url: URL) => url.href.startsWith(billing.banner.emulatorUrl);
const toTrpc = (url: URL) => url.pathname.startsWith('/trpc/');
const outageAlert = () => page.getByRole('alert').filter({ hasText: 'Could not load your balance' });

/** Confirms a pack in the dialog; resolves once the pack card reports what was added. */
async function buyPack(label: string, title: string, price: string): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await expectText(dialog.getByTestId('purchase-facts'), 'Visa •••• 4242');
  await dialog.getByRole('button', { name: `Pay ${price}` }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Neither a raw fault nor the generic "our side" sentence: the restart must not look like a server bug. */
async function expectNoServerFault(): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/internal server error|something went wrong on our side/i);
}

describe('a restart of the billing server in the middle of a browser journey', () => {
  beforeAll(async () => {
    billing = await startRestartableBilling();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(scaled(30_000));
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
      await screenshot(page, `failed-restart-${name}`).catch(() => {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await billing?.close();
  });

  it('before it: subscribes to Team through checkout and buys a pack on the Credits page', async () => {
    await page.goto(billing.banner.signInUrl);
    await page.waitForURL('**/billing/plan');
    const team = page.getByTestId('plan-team');
    await team.getByLabel('Seats').fill('2');
    await team.getByRole('button', { name: 'Subscribe to Team' }).click();
    await page.waitForURL(onEmulator);
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL('**/billing/plan**');
    await expectText(page.getByTestId('current-plan'), 'Team', scaled(30_000));
    await expectText(page.getByTestId('subscription-status'), 'Active');

    await openTab(page, 'Credits');
    await buyPack('Buy 1,000,000 tokens for €5.00', 'Buy 1M tokens?', '€5.00');
    await expectText(page.getByTestId('balance'), '1,000,000 tokens');
    expect(await purchases()).toEqual([1_000_000]);
  });

  it('stops on SIGTERM with exit 0, and the open page says the service cannot be reached', async () => {
    expect(await billing.terminate()).toBe(0);
    // The page was looked at again while the server was down: its data could not be refreshed.
    await returnToTab();
    await expectText(outageAlert(), 'Cannot reach the billing service.', scaled(30_000));
    await expectNoServerFault();
    expect(page.url()).toBe(`${billing.banner.url}/billing/credits`);
  });

  it('starts again on the same data folder: same address, same emulator, same demo key', async () => {
    // The page retries on its own and would read the restarted server at once. Until the next step has
    // changed the data there, its calls are refused as they were while the server was down, so the numbers
    // it shows later can only come from its own retries against the restarted server.
    await page.route(toTrpc, (route) => route.abort('connectionrefused'));
    const before = billing.banner;
    const after = await billing.start();
    expect(after.url).toBe(before.url);
    expect(after.emulatorUrl).toBe(before.emulatorUrl);
    expect(after.apiKey).toBe(before.apiKey);
    expect((await credits()).balance).toBe(1_000_000);
  });

  it('the same page recovers with fresh data and is still signed in, without a reload', async () => {
    const cookieBefore = await sessionCookie();
    expect(cookieBefore).toHaveLength(1);
    // A service spends while the page still shows the outage: all of the allowance and 400,000 credits, so
    // only numbers read from the restarted server can match.
    const { json: summary } = await billing.api<Summary>('GET', '/api/billing/credits/summary');
    const spent = await billing.api('POST', '/api/billing/credits/spend', {
      amount: summary.allowance.remaining + 400_000,
      description: 'Enrichment - session sess_after_restart',
      idempotencyKey: 'e2e-after-restart-1',
    });
    expect(spent.status).toBe(200);
    expect(await outageAlert().count()).toBe(1);

    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    // The page can reach the server again; nothing else is done to it (no focus, no click, no reload). Its
    // retries wait at most ~18 s once the outage has lasted a while.
    await page.unroute(toTrpc);
    await expectText(page.getByTestId('balance'), '600,000 tokens', scaled(30_000));
    await expectText(page.getByTestId('allowance-left'), '0 tokens');
    await expectText(page.getByTestId('transactions'), 'sess_after_restart');
    await eventually(
      () => page.getByText(/^Could not load/).count(),
      (n) => n === 0,
      'every panel to load again',
    );
    await expectNoServerFault();
    // Signed in with the very session from before: no sign-in screen, no new cookie, no reload.
    expect(await page.getByRole('heading', { name: 'Sign in to Billing' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await sessionCookie()).toEqual(cookieBefore);
    expect(navigations).toEqual([]);
  });

  it('the next pack is bought on the same page: shown there and in the API, charged once', async () => {
    await buyPack('Buy 2,500,000 tokens for €10.00', 'Buy 2.5M tokens?', '€10.00');
    await expectText(page.getByTestId('pack-credits_2_5m'), 'Added 2,500,000 tokens. New balance: 3,100,000.');
    await expectText(page.getByTestId('balance'), '3,100,000 tokens');
    expect((await credits()).balance).toBe(3_100_000);
    expect(await purchases()).toEqual([2_500_000, 1_000_000]);
    await expectNoServerFault();
  });

  it('changes seats through the restored subscription in the billing portal', async () => {
    await openTab(page, 'Plan');
    const team = page.getByTestId('plan-team');
    await team.getByLabel('Seats').fill('3');
    await team.getByRole('button', { name: 'Change Team to 3 seats' }).click();
    await page.waitForURL(onEmulator);
    await page.getByRole('button', { name: 'Confirm change' }).click();
    await page.waitForURL('**/billing/plan**');
    // The emulator's webhook reaches the restarted server (its new secret) and the page shows the result.
    await expectText(page.getByTestId('current-seats'), /^3$/, scaled(30_000));
    const { json: subscription } = await billing.api<{ plan: string; seats: number; status: string }>(
      'GET',
      '/api/billing/subscription',
    );
    expect(subscription).toMatchObject({ plan: 'team', seats: 3, status: 'active' });
    await expectNoServerFault();
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
