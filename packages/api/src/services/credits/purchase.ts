import { creditsNotAllowed, getPack, type Pack } from '@contox/core';
import { billingState } from '../accounts/billing-state';
import type { BillingDeps } from '../../deps';
import { newId } from '../../ids';
import { findPayment, insertPendingPurchase, type PaymentRow } from '../../store/payments';
import { chargePayment } from './charge-payment';
import { idempotent } from './idempotency';

export interface PurchaseResult {
  transactionId: string;
  balance: number;
  purchased: number;
}

async function purchaseOnce(
  deps: BillingDeps,
  accountId: string,
  pack: Pack,
  resume: string | undefined,
  remember: (paymentId: string) => Promise<void>,
): Promise<PurchaseResult> {
  const { db } = deps.database;
  const now = deps.now();
  const state = await billingState(db, deps.catalog, accountId, now);
  if (!state.plan.creditsAllowed) throw creditsNotAllowed(state.plan.id);
  let payment: PaymentRow | null = resume ? await findPayment(db, resume) : null;
  if (!payment) {
    payment = {
      id: newId('pay'),
      accountId,
      packId: pack.id,
      tokens: pack.tokens,
      price: pack.price,
      kind: 'purchase',
    };
    await insertPendingPurchase(db, payment, state.period.start);
    await remember(payment.id);
  }
  const settled = await chargePayment(deps, payment);
  return { transactionId: settled.transactionId, balance: settled.balance, purchased: settled.tokens };
}

/** Buys a pack with the saved card; with an Idempotency-Key a retry returns the first answer and charges once. */
export function purchasePack(
  deps: BillingDeps,
  accountId: string,
  packId: string,
  idempotencyKey: string | null,
): Promise<PurchaseResult> {
  // An invalid request is refused before its Idempotency-Key is claimed, as Stripe does: otherwise the
  // corrected retry under the same key would meet a 409 for a request that never ran.
  const pack = getPack(deps.catalog, packId);
  if (!idempotencyKey) return purchaseOnce(deps, accountId, pack, undefined, async () => {});
  return idempotent(
    deps.database.db,
    { accountId, operation: 'credits.purchase', key: idempotencyKey, request: { packId } },
    (resume, remember) => purchaseOnce(deps, accountId, pack, resume, remember),
  );
}
