import { readFileSync } from 'node:fs';
import { scaled } from '@contox/db/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, checkScreen, DESKTOP, type ScreenCheck } from '../src/audit';
import { type BillingUnderTest, startBillingUnderTest } from '../src/billing-server';
import { launchChromium } from '../src/browser';
import { openTab, type TabName } from '../src/journey';
import { focusedName, tabTo } from '../src/keyboard';
import { screenshot } from '../src/screenshots';
import { eventually, expectText, lookAgainUntilShown } from '../src/wait';

interface Credits {
  balance: number;
  autoRecharge: { enabled: boolean; threshold: number; packId: string; spendingLimit: number };
  transactions: { type: string; amount: number }[];
}

let billing: BillingUnderTest;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
// Every screen checked at 1280 and 390 px, judged together at the end so one run lists every problem.
const audits: ScreenCheck[] = [];
const audit = async (name: string, opts?: Parameters<typeof checkScreen>[2], on: Page = page) => {
  audits.push(...(await checkScreen(on, name, opts)));
};

const open = (name: TabName) => openTab(page, name);

/** What a person does by switching back to the tab: the page must show fresh data without a reload. */
/** Toasts float over the page; the pictures in the docs should show the page itself. */
async function dismissToasts(): Promise<void> {
  const close = page.getByRole('button', { name: 'Dismiss' });
  while ((await close.count()) > 0) await close.first().click();
}

const credits = async () => (await billing.api<Credits>('GET', '/api/billing/credits?limit=100')).json;

describe('the billing dashboard in a browser', () => {
  beforeAll(async () => {
    billing = await startBillingUnderTest();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    // Playwright's 30 s for every wait and action, stretched with the rest of the suite's budgets.
    context.setDefaultTimeout(scaled(30_000));
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  // A picture of the page at the moment a step failed says more than the assertion alone.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await screenshot(page, `failed-${name}`).catch(() => {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await billing?.stop();
  });

  it('has an accessibility audit that catches low contrast and focusable hidden content', async () => {
    const probe = await context.newPage();
    try {
      await probe.setContent(
        '<main><h1>Probe</h1><p style="color:#059669">3.76:1 green</p><div aria-hidden="true" tabindex="0">chart</div></main>',
      );
      const found = (await axeViolations(probe)).map((v) => v.split(':')[0]);
      expect(found).toEqual(expect.arrayContaining(['serious color-contrast', 'serious aria-hidden-focus']));
    } finally {
      await probe.close();
    }
  });

  it('signs in with the printed link and shows the free plan', async () => {
    await page.goto(billing.running.demo!.signInUrl);
    await page.waitForURL('**/billing/plan');
    await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
    await expectText(page.getByTestId('current-plan'), 'Free');
    await expectText(page.getByTestId('plan-team'), '€19');
    await audit('plan-free');
  });

  it('disables buying and auto-recharge on the free plan, with the reason and an upgrade button in one block', async () => {
    await open('Credits');
    await expectText(page.getByTestId('balance'), '0 tokens');
    const gate = page.getByTestId('plan-gate');
    await expectText(gate, 'The Free plan cannot buy credits or use auto-recharge.');
    // One block: the whole reason is one paragraph, not text split around a link into columns.
    expect(await gate.locator('p').count()).toBe(1);
    const buy = page.getByRole('button', { name: 'Buy 1,000,000 tokens for €5.00' });
    expect(await buy.isDisabled()).toBe(true);
    expect(await buy.getAttribute('aria-describedby')).toBe('credits-plan-notice');
    const form = page.getByRole('form', { name: 'Auto-recharge settings' });
    expect(await form.getByLabel('Recharge automatically').isDisabled()).toBe(true);
    await audit('credits-free');
    await gate.getByRole('link', { name: 'Upgrade to a paid plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
  });

  it('subscribes to Team with 3 seats through Stripe Checkout and shows it on return', async () => {
    const team = page.getByTestId('plan-team');
    const seats = team.getByLabel('Seats');
    // Out of range is refused before anything is sent.
    await seats.fill('1');
    await expectText(team, 'This plan takes 2–100 seats.');
    expect(await team.getByRole('button', { name: 'Subscribe to Team' }).isDisabled()).toBe(true);
    await seats.fill('3');
    await expectText(team, '€57.00 / month');
    await team.getByRole('button', { name: 'Subscribe to Team' }).click();

    await page.waitForURL((url) => url.href.startsWith(billing.running.emulator!.url));
    await page.getByLabel('Card number').waitFor();
    await screenshot(page, 'checkout');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Pay' }).click();

    await page.waitForURL('**/billing/plan**');
    await expectText(page.getByTestId('current-plan'), 'Team', scaled(30_000));
    await expectText(page.getByTestId('current-seats'), '3', scaled(30_000));
    await expectText(page.getByTestId('subscription-status'), 'Active');
    await expectText(page.getByTestId('checkout-banner'), 'You are now on the Team plan with 3 seats');
    await audit('plan', { docs: true });
  });

  it('buys a pack with the keyboard alone, after a dialog states pack, price, card and limit', async () => {
    await open('Credits');
    await expectText(page.getByTestId('balance'), '0 tokens');
    await tabTo(page, 'Buy 1,000,000 tokens for €5.00');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Buy 1M tokens?' });
    await dialog.waitFor();
    // Nothing is charged yet, and an accidental Enter would only close the dialog.
    expect(await focusedName(page)).toBe('Cancel');
    expect((await credits()).balance).toBe(0);
    const facts = page.getByTestId('purchase-facts');
    await expectText(facts, '1,000,000 tokens');
    await expectText(facts, '€5.00, charged now');
    await expectText(facts, 'Visa •••• 4242');
    await expectText(facts, 'Auto-recharge is off, so no limit applies.');
    const pay = dialog.getByRole('button', { name: 'Pay €5.00' });
    await audit('credits-purchase-dialog', { fits: [dialog, pay, dialog.getByRole('button', { name: 'Cancel' })] });
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Pay €5.00');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expectText(page.getByTestId('pack-credits_1m'), 'Added 1,000,000 tokens. New balance: 1,000,000.');
    await expectText(page.getByTestId('balance'), '1,000,000 tokens');
    await expectText(page.getByTestId('transactions'), 'Purchase');
    expect((await credits()).balance).toBe(1_000_000);
  });

  it('validates and saves auto-recharge settings', async () => {
    const form = page.getByRole('form', { name: 'Auto-recharge settings' });
    await form.getByLabel('Recharge automatically').check();
    await form.getByLabel('When the balance falls below (tokens)').fill('500000');
    await form.getByLabel('Pack to buy').selectOption('credits_2_5m');
    const limit = form.getByLabel('Spending limit per billing period (€)');
    await limit.fill('5');
    await form.getByRole('button', { name: 'Save auto-recharge' }).click();
    await expectText(form, 'the limit must be at least €10.00');
    expect(await limit.getAttribute('aria-invalid')).toBe('true');

    await limit.fill('50');
    await form.getByRole('button', { name: 'Save auto-recharge' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Auto-recharge is on.' }).waitFor();
    const preview = page.getByTestId('recharge-preview');
    await expectText(preview, 'When the balance falls below 500,000 tokens, Visa •••• 4242 is charged €10.00');
    await expectText(preview, '€50.00 of the €50.00 limit is left, enough for 5 more recharges');
    const saved = await eventually(credits, (c) => c.autoRecharge.enabled, 'auto-recharge to be saved');
    expect(saved.autoRecharge).toMatchObject({
      enabled: true,
      threshold: 500_000,
      packId: 'credits_2_5m',
      spendingLimit: 5000,
    });
  });

  it('shows an automatic recharge after services spend through the REST API', async () => {
    // Team includes 5M tokens a month, used first; the credits go after that and the recharge follows.
    for (let i = 1; i <= 12; i++) {
      const spent = await billing.api('POST', '/api/billing/credits/spend', {
        amount: 1_000_000,
        description: `Enrichment - session sess_e2e_${i}`,
        idempotencyKey: `e2e-spend-${i}`,
      });
      expect(spent.status).toBe(200);
      if ((await credits()).transactions.some((t) => t.type === 'auto_recharge')) break;
    }
    expect((await credits()).transactions.some((t) => t.type === 'auto_recharge')).toBe(true);

    await lookAgainUntilShown(page, page.locator('[data-testid="transactions"] tr[data-type="auto_recharge"]'));
    await expectText(page.locator('tr[data-type="auto_recharge"]').first(), 'Auto-recharge');
    await expectText(page.getByTestId('balance'), '2,500,000 tokens');
    await expectText(page.getByText(/€10\.00 of €50\.00 spent this period/), '€10.00');
    // Everything happened today: over 90 days the area is a sliver at the right edge, drawn but barely visible.
    await page.locator('.recharts-area').first().waitFor({ state: 'attached' });
    await dismissToasts();
    await audit('credits', { docs: true });
  });

  it('lists balance changes only, filters them by type and exports the filtered rows as CSV', async () => {
    const { transactions } = await credits();
    const changes = transactions.filter((t) => t.amount !== 0);
    const rows = page.locator('[data-testid="transactions"] tbody tr');
    expect(await rows.count()).toBe(changes.length);
    expect(await page.locator('[data-testid="transactions"] td[data-label="Tokens"]').allTextContents()).not.toContain(
      '0',
    );
    await page.getByLabel('Type').selectOption('auto_recharge');
    const recharges = changes.filter((t) => t.type === 'auto_recharge').length;
    await eventually(
      () => rows.count(),
      (n) => n === recharges,
      'only auto-recharges listed',
    );
    expect(await page.locator('[data-testid="transactions"] tbody tr:not([data-type="auto_recharge"])').count()).toBe(
      0,
    );
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('date,type,tokens,price_eur,description,id');
    expect(csv.slice(1).map((line) => line.split(',')[1])).toEqual(Array(recharges).fill('Auto-recharge'));
    await page.getByLabel('Type').selectOption('all');
  });

  it('draws the balance over the 90 days it names, ticked in days', async () => {
    const ticks = await page
      .locator('figure[aria-label^="Credit balance"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents();
    expect(ticks.length).toBeGreaterThan(3);
    for (const tick of ticks) expect(tick).toMatch(/^\d{1,2} [A-Z][a-z]{2,3}$/);
    const day = 86_400_000;
    const start = new Date(Math.floor(Date.now() / day) * day - 90 * day);
    const label = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(start);
    expect(ticks[0]).toBe(label);
    // aria-hidden drawings must not take focus either.
    expect(await page.locator('.chart [tabindex]:not([tabindex="-1"])').count()).toBe(0);
  });

  it('shows usage meters with limits and the daily chart', async () => {
    // Shares of whatever the plan allows, so one meter shows the amber warning.
    type Usage = { usage: Record<'sessions' | 'events' | 'enrichments' | 'storage', { used: number; limit: number }> };
    const { usage } = (await billing.api<Usage>('GET', '/api/billing/usage')).json;
    const quantity = { sessions: 0.62, events: 0.865, enrichments: 0.37, storage: 0.1 };
    const events = Object.entries(quantity).map(([metric, share]) => ({
      id: `e2e-${metric}`,
      metric,
      quantity: Math.floor(usage[metric as keyof typeof quantity].limit * share),
    }));
    const recorded = await billing.api<{ results: { status: string }[] }>('POST', '/api/billing/usage/events', {
      events,
    });
    expect(recorded.status).toBe(200);
    expect(recorded.json.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    await open('Usage');
    const sessions = page.getByRole('progressbar', { name: 'Sessions' });
    await sessions.waitFor();
    expect(await sessions.getAttribute('aria-valuenow')).toBe(String(events[0]!.quantity));
    expect(await sessions.getAttribute('aria-valuemax')).toBe(String(usage.sessions.limit));
    expect(await page.getByRole('progressbar').count()).toBe(4);
    await expectText(page.getByTestId('meter-events'), '86%');
    expect(await page.getByTestId('meter-events').getAttribute('data-level')).toBe('warn');
    expect(await page.getByTestId('meter-sessions').getAttribute('data-level')).toBe('ok');
    await expectText(page.getByTestId('meter-storage'), '51.2 MB / 512 MB');
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    // The daily chart and the meter tell the same number.
    await expectText(
      page.locator('figcaption').filter({ hasText: 'Sessions per day' }),
      `${events[0]!.quantity} total`,
    );
    await dismissToasts();
    await audit('usage', { docs: true });
  });

  it('explains a declined card after it was put on file in the billing portal', async () => {
    await open('Plan');
    await page.getByRole('button', { name: 'Manage payment methods & invoices' }).click();
    await page.waitForURL((url) => url.href.startsWith(billing.running.emulator!.url));
    // As with real Stripe, 4000 0000 0000 0002 is refused when it is attached; 0341 attaches and then
    // declines every charge, which is the card on file that a purchase runs into.
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expectText(page.getByRole('alert'), 'Your card was declined.');
    await page.getByLabel('Card number').fill('4000 0000 0000 0341');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expectText(page.getByRole('status'), 'Your payment method has been updated.');
    await expectText(page.locator('body'), '•••• 0341');
    await screenshot(page, 'portal');
    await page.getByRole('link', { name: 'Return to Contox' }).click();
    await page.waitForURL('**/billing/plan');

    await open('Credits');
    await page.getByRole('button', { name: 'Buy 2,500,000 tokens for €10.00' }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy 2.5M tokens?' });
    await expectText(dialog.getByTestId('purchase-facts'), 'Visa •••• 0341');
    await dialog.getByRole('button', { name: 'Pay €10.00' }).click();
    const outcome = page.getByTestId('pack-credits_2_5m').getByRole('alert');
    await expectText(outcome, 'Payment declined:');
    await expectText(outcome, 'declined');
    await expectText(outcome, 'Update payment method');
    await screenshot(page, 'credits-declined');
  });

  it('cancels after a confirmation that states the end date, then resumes', async () => {
    await open('Plan');
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel your subscription?' });
    await dialog.waitFor();
    await expectText(dialog, /stays active until the end of the current period, \d{1,2} \w{3} \d{4}/);
    const buttons = dialog.getByRole('button');
    await audit('plan-cancel-dialog', { fits: [dialog, buttons.nth(0), buttons.nth(1)] });
    await dialog.getByRole('button', { name: 'Cancel subscription' }).click();

    const pending = page.getByTestId('pending-cancellation');
    await expectText(pending, /stays active until \d{1,2} \w{3} \d{4}/);
    await expectText(page.getByTestId('subscription-status'), 'Cancels at period end');
    await screenshot(page, 'plan-cancelling');

    await pending.getByRole('button', { name: 'Resume subscription' }).click();
    await pending.waitFor({ state: 'detached' });
    await expectText(page.getByTestId('subscription-status'), 'Active');
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Billing' }).waitFor();
    // The cookie is gone: a fresh load still asks for a key.
    await page.reload();
    await page.getByLabel('API key').waitFor();
  });

  it('axe finds no serious or critical violation on any screen, at 1280 and 390 px', () => {
    expect(audits.length).toBeGreaterThanOrEqual(14);
    expect(audits.filter((a) => a.violations.length > 0).map((a) => `${a.name}:\n${a.violations.join('\n')}`)).toEqual(
      [],
    );
  });

  it('needs no sideways scrolling at 390 px, and its dialogs fit', () => {
    const problems = audits.filter((a) => a.overflow > 0 || a.cutOff.length > 0);
    expect(problems.map((a) => `${a.name}: page ${a.overflow}px too wide; ${a.cutOff.join('; ')}`)).toEqual([]);
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
