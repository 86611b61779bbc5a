import type { PlanId } from '@contox/core';
import { schema } from '@contox/db';
import { eq } from 'drizzle-orm';
import { ensureCustomer } from '../../src/services/accounts/ensure-customer';
import type { Harness } from '../harness';

export type Card = 'pm_card_visa' | 'pm_card_authenticationRequired' | null;

/**
 * An account on a paid plan with a Stripe customer and, unless `card` is null, a default card: what a completed
 * checkout leaves behind, without the checkout's round trips (the subscription flow has its own tests).
 */
export async function paidAccount(h: Harness, opts: { plan?: PlanId; card?: Card } = {}) {
  const a = await h.account();
  await h.db.db
    .update(schema.accounts)
    .set({ plan: opts.plan ?? 'personal' })
    .where(eq(schema.accounts.id, a.accountId));
  const customerId = await ensureCustomer(h.deps, a.accountId);
  await setCard(h, customerId, opts.card === undefined ? 'pm_card_visa' : opts.card);
  return { ...a, customerId };
}

/** Replaces the customer's cards with one default card, or with none. */
export async function setCard(h: Harness, customerId: string, card: Card): Promise<void> {
  const { stripe } = h.deps;
  for (const pm of (await stripe.paymentMethods.list({ customer: customerId, type: 'card' })).data) {
    await stripe.paymentMethods.detach(pm.id);
  }
  const pm = card ? await stripe.paymentMethods.attach(card, { customer: customerId }) : null;
  await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm?.id ?? '' } });
}

/** Buys the 1M-token pack with the saved card, under an idempotency key when one is given. */
export function purchasePack(h: Harness, key: string, idempotencyKey?: string) {
  return h.fetch('/api/billing/credits/purchase', {
    method: 'POST',
    key,
    body: { packId: 'credits_1m' },
    ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
  });
}

/** PaymentIntents Stripe holds for a customer: what was really charged, whatever our database says. */
export async function chargesOf(h: Harness, customerId: string) {
  return (await h.deps.stripe.paymentIntents.list({ customer: customerId, limit: 100 })).data;
}

export async function ledgerOf(h: Harness, accountId: string) {
  return h.db.db
    .select()
    .from(schema.creditTransactions)
    .where(eq(schema.creditTransactions.accountId, accountId))
    .orderBy(schema.creditTransactions.seq);
}
