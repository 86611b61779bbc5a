import type { Page } from 'playwright-core';
import type { BillingUnderTest } from './billing-server';
import { expectText } from './wait';

export type TabName = 'Plan' | 'Usage' | 'Credits';

/** Opens a Billing tab as a person does, by its link, and waits for its heading. */
export async function openTab(page: Page, name: TabName): Promise<void> {
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Puts a test card on file in the emulator's billing portal (opened from the Plan tab) and comes back. */
export async function putCardOnFile(page: Page, billing: BillingUnderTest, cardNumber: string): Promise<void> {
  await openTab(page, 'Plan');
  await page.getByRole('button', { name: 'Manage payment methods & invoices' }).click();
  await page.waitForURL((url) => url.href.startsWith(billing.running.emulator!.url));
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByRole('button', { name: 'Update card' }).click();
  await expectText(page.getByRole('status'), 'Your payment method has been updated.');
  await page.getByRole('link', { name: 'Return to Contox' }).click();
  await page.waitForURL('**/billing/plan');
}

/** Pays the emulator's hosted checkout page with a test card. */
export async function payOnCheckout(page: Page, billing: BillingUnderTest, cardNumber: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(billing.running.emulator!.url));
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByRole('button', { name: 'Pay' }).click();
}
