import { ALL_SCOPES, addMember, createApiKey } from '@contox/api';
import { scaled } from '@contox/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, DESKTOP, type ScreenCheck } from '../src/audit';
import { type BillingUnderTest, startBillingUnderTest } from '../src/billing-server';
import { launchChromium } from '../src/browser';
import { payOnCheckout } from '../src/journey';
import { screenshot } from '../src/screenshots';
import { eventually, expectText } from '../src/wait';

// Settings > Members and Settings > API keys, as the owner uses them, checked against the REST API; and what an
// admin signed in with a key sees of billing.

let billing: BillingUnderTest;
let browser: Browser;
let page: Page;
const audits: ScreenCheck[] = [];

type Members = { members: { email: string; role: string }[] };
const members = async () => (await billing.api<Members>('GET', '/api/account/members')).json.members;
const alertThreshold = async () =>
  (await billing.api<{ alerts: { threshold: number | null } }>('GET', '/api/billing/credits')).json.alerts.threshold;

async function openSettings(name: 'Members' | 'API keys'): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('settings pages and roles in a browser', () => {
  beforeAll(async () => {
    billing = await startBillingUnderTest();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(scaled(30_000));
    page = await context.newPage();
    await page.goto(billing.running.demo!.signInUrl);
    await page.waitForURL('**/billing/plan');
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-settings-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(
        () => {},
      );
    }
  });

  afterAll(async () => {
    await browser?.close();
    await billing?.stop();
  });

  it('subscribes to Team, so the admin below meets a paid plan', async () => {
    const team = page.getByTestId('plan-team');
    await team.getByLabel('Seats').fill('2');
    await team.getByRole('button', { name: 'Subscribe to Team' }).click();
    await payOnCheckout(page, billing, '4242 4242 4242 4242');
    await page.waitForURL('**/billing/plan**');
    await expectText(page.getByTestId('current-plan'), 'Team', scaled(30_000));
  });

  it('adds a member with a sign-in link, changes their role and removes them', async () => {
    await openSettings('Members');
    const form = page.getByRole('form', { name: 'Add a member' });
    await form.getByLabel('Email').fill('new@demo.contox.dev');
    await form.getByLabel('Name (optional)').fill('Nia New');
    await form.getByRole('button', { name: 'Add member' }).click();
    const link = form.getByLabel('Sign-in link for new@demo.contox.dev');
    expect(await link.inputValue()).toMatch(/\/auth\/sign-in\?token=/);
    const row = page.locator('tr[data-member="new@demo.contox.dev"]');
    await expectText(row, 'Nia New');
    await audit('settings-members');

    await row.getByLabel('Role of Nia New').selectOption('admin');
    await eventually(members, (m) => m.some((x) => x.email === 'new@demo.contox.dev' && x.role === 'admin'), 'admin');

    await row.getByRole('button', { name: 'Remove Nia New' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove this member?' });
    await expectText(dialog, 'loses access at once');
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await members()).map((m) => m.email)).not.toContain('new@demo.contox.dev');
  });

  it('creates an API key shown once, which works until it is revoked', async () => {
    await openSettings('API keys');
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('e2e widget');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = await form.getByLabel('Secret of “e2e widget”').inputValue();
    expect(secret).toMatch(/^contox_sk_/);
    const row = page.locator('tr[data-key="e2e widget"]');
    await expectText(row, 'read');
    expect((await billing.api('GET', '/api/billing/credits', undefined, secret)).status).toBe(200);
    await audit('settings-api-keys', { docs: true });

    await row.getByRole('button', { name: 'Revoke e2e widget' }).click();
    await page.getByRole('dialog', { name: 'Revoke this key?' }).getByRole('button', { name: 'Revoke key' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await billing.api('GET', '/api/billing/credits', undefined, secret)).status).toBe(401);
  });

  it('lets an admin sign in with an API key and shows billing actions disabled with the reason', async () => {
    const me = await billing.api<{ account: { id: string } }>('GET', '/api/account');
    const db = billing.running.database.db;
    const memberId = await addMember(db, {
      accountId: me.json.account.id,
      email: 'admin@demo.contox.dev',
      name: 'Ada Admin',
      role: 'admin',
    });
    const adminKey = await createApiKey(db, {
      accountId: me.json.account.id,
      memberId,
      name: 'e2e admin',
      scopes: ALL_SCOPES,
    });

    const adminContext = await browser.newContext({ viewport: DESKTOP });
    adminContext.setDefaultTimeout(scaled(30_000));
    const admin = await adminContext.newPage();
    try {
      await admin.goto(billing.running.url);
      const key = admin.getByLabel('API key');
      await key.fill('contox_sk_not_a_real_key_000000');
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await expectText(admin.getByRole('alert'), 'Invalid or revoked API key');
      await audit('signin', {}, admin);

      await key.fill(adminKey);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await admin.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
      await expectText(admin.locator('#plan-owner-notice'), 'Only the account owner can change billing');
      expect(await admin.getByRole('button', { name: 'Manage payment methods & invoices' }).isDisabled()).toBe(true);
      expect(await admin.getByRole('button', { name: 'Cancel subscription' }).isDisabled()).toBe(true);

      await admin.getByRole('link', { name: 'Credits' }).click();
      await admin.getByRole('heading', { level: 1, name: 'Credits' }).waitFor();
      expect(await admin.getByRole('button', { name: 'Buy 1,000,000 tokens for €5.00' }).isDisabled()).toBe(true);
      // The low-credit alert is a setting an admin may change; the owner's key reads it back.
      const alert = admin.getByTestId('low-credit-alert');
      const threshold = alert.getByLabel('Alert below (tokens)');
      await threshold.fill('lots');
      await alert.getByRole('button', { name: 'Save alert' }).click();
      await expectText(alert.getByRole('alert'), 'Enter a whole number of tokens');
      await threshold.fill('250,000');
      await alert.getByRole('button', { name: 'Save alert' }).click();
      await eventually(alertThreshold, (t) => t === 250_000, 'the alert saved');
      await expectText(alert, 'fall below 250,000 tokens');
      await audit('credits-admin', {}, admin);
      await alert.getByRole('button', { name: 'Turn off' }).click();
      await eventually(alertThreshold, (t) => t === null, 'the alert switched off');

      await admin.getByRole('button', { name: 'Sign out' }).click();
      await admin.getByRole('heading', { name: 'Sign in to Billing' }).waitFor();
    } finally {
      await adminContext.close();
    }
  });

  it('axe finds no serious or critical violation and nothing scrolls sideways on the settings pages', () => {
    expect(audits.length).toBe(8);
    expect(audits.filter((a) => a.violations.length > 0 || a.overflow > 0 || a.cutOff.length > 0)).toEqual([]);
  });
});

async function audit(name: string, opts?: Parameters<typeof checkScreen>[2], on: Page = page): Promise<void> {
  audits.push(...(await checkScreen(on, name, opts)));
}
