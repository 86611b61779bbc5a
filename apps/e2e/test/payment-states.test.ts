import { scaled } from '@contox/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, DESKTOP, type ScreenCheck } from '../src/audit';
import { type BillingUnderTest, startBillingUnderTest } from '../src/billing-server';
import { launchChromium } from '../src/browser';
import { openTab, payOnCheckout, putCardOnFile } from '../src/journey';
import { screenshot } from '../src/screenshots';
import { eventually, expectText, lookAgainUntilShown } from '../src/wait';

// The states a paying customer can act on, each reached the way it happens: a server fault, a card the bank
// wants confirmed, an automatic recharge that fails, a renewal that cannot be charged.

interface Credits {
  balance: number;
  autoRecharge: { enabled: boolean; status: 'active' | 'paused'; pausedReason: string | null };
}

let billing: BillingUnderTest;
let browser: Browser;
let page: Page;
const audits: ScreenCheck[] = [];
const pageErrors: string[] = [];

const credits = async () => (await billing.api<Credits>('GET', '/api/billing/credits?limit=1')).json;

describe('states a paying customer can act on, in a browser', () => {
  beforeAll(async () => {
    billing = await startBillingUnderTest();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(scaled(30_000));
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-states-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(
        () => {},
      );
    }
  });

  afterAll(async () => {
    await browser?.close();
    await billing?.stop();
  });

  it('subscribes to Team', async () => {
    await page.goto(billing.running.demo!.signInUrl);
    await page.waitForURL('**/billing/plan');
    const team = page.getByTestId('plan-team');
    await team.getByLabel('Seats').fill('2');
    await team.getByRole('button', { name: 'Subscribe to Team' }).click();
    await payOnCheckout(page, billing, '4242 4242 4242 4242');
    await page.waitForURL('**/billing/plan**');
    await expectText(page.getByTestId('current-plan'), 'Team', scaled(30_000));
  });

  it('says what to do about a server fault, with the request id to quote', async () => {
    let requestId = '';
    // The real server answers; only the daily usage in it is turned into the fault a bug would cause.
    await page.route('**/trpc/**usage.daily**', async (route) => {
      const response = await route.fetch();
      requestId = response.headers()['x-request-id'] ?? '';
      const procedures = new URL(route.request().url()).pathname.split('/').pop()!.split(',');
      const body = (await response.json()) as unknown[];
      const fault = {
        error: {
          message: 'Internal server error',
          code: -32603,
          data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 },
        },
      };
      const batch = Array.isArray(body);
      const answer = batch ? body.map((item, i) => (procedures[i] === 'usage.daily' ? fault : item)) : fault;
      await route.fulfill({ response, status: batch ? 207 : 500, json: answer });
    });
    try {
      await openTab(page, 'Plan');
      await openTab(page, 'Usage');
      const alert = page.getByRole('alert').filter({ hasText: 'Could not load daily usage' });
      await expectText(alert, 'Something went wrong on our side.');
      expect(requestId).toMatch(/\S/);
      await expectText(alert, `quote request id ${requestId}.`);
      audits.push(...(await checkScreen(page, 'usage-fault')));
    } finally {
      await page.unroute('**/trpc/**usage.daily**');
    }
  });

  it('sends a payment the bank wants confirmed to the pack checkout, and credits it on the return', async () => {
    await putCardOnFile(page, billing, '4000 0027 6000 3184');
    await openTab(page, 'Credits');
    await page.getByRole('button', { name: 'Buy 1,000,000 tokens for €5.00' }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy 1M tokens?' });
    await expectText(dialog.getByTestId('purchase-facts'), 'Visa •••• 3184');
    await dialog.getByRole('button', { name: 'Pay €5.00' }).click();
    const outcome = page.getByTestId('pack-credits_1m').getByRole('alert');
    await expectText(outcome, 'Your bank wants you to confirm this payment.');
    expect((await credits()).balance).toBe(0);
    audits.push(...(await checkScreen(page, 'credits-authentication-required')));

    await outcome.getByRole('button', { name: 'Pay on the secure checkout page' }).click();
    await payOnCheckout(page, billing, '4242 4242 4242 4242');
    await page.waitForURL('**/billing/credits**');
    await expectText(
      page.getByTestId('credit-checkout-banner'),
      'Paid. Added 1,000,000 tokens. New balance: 1,000,000.',
    );
    await expectText(page.getByTestId('balance'), '1,000,000 tokens');
    expect(new URL(page.url()).search).toBe('');
    expect((await credits()).balance).toBe(1_000_000);
  });

  it('shows auto-recharge paused with the reason, and lifts it after the card is updated in the portal', async () => {
    await putCardOnFile(page, billing, '4000 0000 0000 0341');
    await openTab(page, 'Credits');
    const form = page.getByRole('form', { name: 'Auto-recharge settings' });
    await form.getByLabel('Recharge automatically').check();
    await form.getByRole('button', { name: 'Save auto-recharge' }).click();
    await eventually(credits, (c) => c.autoRecharge.enabled, 'auto-recharge on');
    // The whole Team allowance and then credits down to 100,000, under the 500,000 threshold: the recharge fails.
    const spent = await billing.api('POST', '/api/billing/credits/spend', {
      amount: 5_000_000 + 900_000,
      description: 'Enrichment - session sess_states',
      idempotencyKey: 'states-spend-1',
    });
    expect(spent.status).toBe(200);
    const paused = await eventually(credits, (c) => c.autoRecharge.status === 'paused', 'auto-recharge paused');
    expect(paused.autoRecharge.pausedReason).toMatch(/\S/);

    const notice = page.getByTestId('recharge-paused');
    await lookAgainUntilShown(page, notice);
    await expectText(notice, 'Auto-recharge is paused.');
    await expectText(notice, paused.autoRecharge.pausedReason!.slice(0, 40));
    audits.push(...(await checkScreen(page, 'credits-recharge-paused')));

    await notice.getByRole('button', { name: 'Update card' }).click();
    await page.waitForURL((url) => url.href.startsWith(billing.running.emulator!.url));
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expectText(page.getByRole('status'), 'Your payment method has been updated.');
    await page.getByRole('link', { name: 'Return to Contox' }).click();
    await page.waitForURL('**/billing/credits');
    await eventually(credits, (c) => c.autoRecharge.status === 'active', 'auto-recharge active again');
    await notice.waitFor({ state: 'detached' });
  });

  it('shows a past-due renewal on every screen, with the link to pay it', async () => {
    await putCardOnFile(page, billing, '4000 0000 0000 0341');
    const sub = await billing.api<{ currentPeriodEnd: string }>('GET', '/api/billing/subscription');
    const seconds = Math.ceil((Date.parse(sub.json.currentPeriodEnd) - Date.now()) / 1000) + 3600;
    const moved = await billing.api('POST', '/api/dev/clock/advance', { seconds });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    await eventually(
      async () => (await billing.api<{ status: string }>('GET', '/api/billing/subscription')).json.status,
      (status) => status === 'past_due',
      'the subscription past due',
    );

    // A month later the session has expired: the customer signs in again with the key.
    await page.goto(billing.running.url);
    await page.getByLabel('API key').fill(billing.running.demo!.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
    for (const name of ['Plan', 'Usage', 'Credits'] as const) {
      await openTab(page, name);
      const banner = page.getByTestId('past-due-banner');
      await expectText(banner, 'Payment past due.');
      expect(await banner.getByRole('link', { name: 'Pay the open invoice' }).getAttribute('href')).toMatch(/^https?:/);
    }
    audits.push(...(await checkScreen(page, 'credits-past-due')));
  });

  it('axe finds no serious or critical violation and nothing scrolls sideways on these screens', () => {
    expect(audits.length).toBe(8);
    const problems = audits.filter((a) => a.violations.length > 0 || a.overflow > 0 || a.cutOff.length > 0);
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
