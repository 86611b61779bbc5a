import { scaled } from '@contox/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, DESKTOP, type ScreenCheck } from '../src/audit';
import { type BillingUnderTest, startBillingUnderTest } from '../src/billing-server';
import { launchChromium } from '../src/browser';
import { screenshot } from '../src/screenshots';
import { eventually, expectText } from '../src/wait';

// Settings > Members and Settings > API keys, as the owner uses them, checked against the REST API.

let billing: BillingUnderTest;
let browser: Browser;
let page: Page;
const audits: ScreenCheck[] = [];

type Members = { members: { email: string; role: string }[] };
const members = async () => (await billing.api<Members>('GET', '/api/account/members')).json.members;

async function openSettings(name: 'Members' | 'API keys'): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('settings pages in a browser', () => {
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

  it('axe finds no serious or critical violation and nothing scrolls sideways on the settings pages', () => {
    expect(audits.length).toBe(4);
    expect(audits.filter((a) => a.violations.length > 0 || a.overflow > 0 || a.cutOff.length > 0)).toEqual([]);
  });
});

async function audit(name: string, opts?: Parameters<typeof checkScreen>[2]): Promise<void> {
  audits.push(...(await checkScreen(page, name, opts)));
}
