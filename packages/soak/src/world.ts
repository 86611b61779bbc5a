import { defaultCatalog, type PlanId } from '@contox/core';
import { scaled } from '@contox/db/testing';
import { expectMatch, Mismatch } from './check';
import type { Counts } from './counts';
import { AccountModel, type RechargeSettings } from './model';
import type { Random } from './random';
import type { SoakService } from './service';

export interface World {
  service: SoakService;
  accounts: AccountModel[];
  random: Random;
  counts: Counts;
  /** Fresh ids for keys and events, so a schedule never collides with itself by accident. */
  serial: number;
}

export const fresh = (w: World, prefix: string): string => `${prefix}-${w.random.seed}-${w.serial++}`;
export const now = (w: World): Date => w.service.clock.now();

/** What a step did, in words for the failure report, and which account it touched (checked after it). */
export interface StepResult {
  account: AccountModel;
  line: string;
}

/** Saves auto-recharge settings through the API and in the model. */
export async function configure(w: World, a: AccountModel, settings: RechargeSettings): Promise<void> {
  const res = await w.service.call('PUT', '/api/billing/credits/auto-recharge', a.account.key, settings);
  expectMatch(`configure auto-recharge ${JSON.stringify(settings)}`, res, { status: 200, body: settings });
  a.configure(settings);
}

/**
 * A new account in the service and the model, with a card on file and its auto-recharge settings saved
 * (off, with `spendingLimit`), so the settings the service reports are known from the start.
 */
export async function newAccount(w: World, plan: PlanId, spendingLimit = 5000): Promise<AccountModel> {
  const n = w.accounts.length;
  const model = new AccountModel(await w.service.account(plan, n), plan, w.counts);
  await w.service.setCard(model.account.customerId, 'pm_card_visa');
  await configure(w, model, { enabled: false, threshold: 500_000, packId: 'credits_2_5m', spendingLimit });
  w.accounts.push(model);
  return model;
}

/** A buy through the API that the model says goes through. */
export async function buy(w: World, a: AccountModel, packId: keyof typeof defaultCatalog.packs): Promise<void> {
  const { expected } = a.purchase(defaultCatalog.packs[packId], null, now(w));
  const res = await w.service.call('POST', '/api/billing/credits/purchase', a.account.key, { packId });
  expectMatch(`purchase ${packId}`, { status: res.status, body: res.body }, expected);
}

/** Waits until the emulator has no webhook queued or in flight; a run that cannot settle fails. */
export async function webhooksIdle(w: World): Promise<void> {
  if (!(await w.service.emulator.control.waitForWebhooks(scaled(15_000)))) {
    throw new Mismatch('webhooks still queued or in flight after the wait: the service stopped answering them');
  }
}
