import { creditsNotAllowed, DomainError, getPack, type Pack } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { newId } from '../../ids';
import { readBalance } from '../../store/ledger';
import { findPaymentByCheckoutSession, insertPendingPurchase } from '../../store/payments';
import { creditCheckoutGateway } from '../../stripe/credit-checkout';
import { billingState } from '../accounts/billing-state';
import { ensureCustomer } from '../accounts/ensure-customer';
import { allowedRedirect } from '../subscriptions/redirect-url';
import { type CheckoutSettlement, settleCreditCheckout } from './settle-checkout';

export interface CreditCheckoutRequest {
  packId: string;
  successUrl?: string | undefined;
  cancelUrl?: string | undefined;
}

/** Stripe puts the session's id here on the way back, so the return can settle the purchase at once. */
const SESSION_PLACEHOLDER = 'session_id={CHECKOUT_SESSION_ID}';

function withSessionId(url: string): string {
  const u = new URL(url);
  // Assigned as text: URLSearchParams would encode the braces Stripe replaces.
  u.search = u.search ? `${u.search}&${SESSION_PLACEHOLDER}` : `?${SESSION_PLACEHOLDER}`;
  return u.href;
}

const tokensLabel = (pack: Pack) => `Contox credits: ${pack.tokens.toLocaleString('en-US')} tokens`;

/**
 * Opens a Stripe Checkout page to buy one pack with the payer present: any card, 3-D Secure included, and no
 * saved card needed. The session is opened first and recorded after, so a URL is only ever handed out for a
 * payment we hold a row for; the pack is credited once it is paid (see settleCreditCheckout).
 */
export async function startCreditCheckout(
  deps: Pick<BillingDeps, 'catalog' | 'config' | 'database' | 'stripe' | 'now' | 'log'>,
  accountId: string,
  request: CreditCheckoutRequest,
): Promise<{ url: string }> {
  const pack = getPack(deps.catalog, request.packId);
  const { db } = deps.database;
  const state = await billingState(db, deps.catalog, accountId, deps.now());
  if (!state.plan.creditsAllowed) throw creditsNotAllowed(state.plan.id);
  const base = `${deps.config.appUrl}/billing/credits`;
  const successUrl = allowedRedirect(deps.config, 'successUrl', request.successUrl, `${base}?purchase=success`);
  const cancelUrl = allowedRedirect(deps.config, 'cancelUrl', request.cancelUrl, `${base}?purchase=cancelled`);
  const customerId = await ensureCustomer(deps, accountId);
  const payment = { id: newId('pay'), accountId, packId: pack.id, tokens: pack.tokens, price: pack.price };
  const { sessionId, url } = await creditCheckoutGateway(deps.stripe).open({
    accountId,
    customerId,
    paymentId: payment.id,
    pack: { id: pack.id, name: tokensLabel(pack), price: pack.price },
    successUrl: withSessionId(successUrl),
    cancelUrl,
  });
  await insertPendingPurchase(db, { ...payment, kind: 'purchase' }, state.period.start, sessionId);
  return { url };
}

export interface CreditCheckoutView {
  sessionId: string;
  status: CheckoutSettlement;
  packId: string;
  purchased: number;
  balance: number;
}

/**
 * The return from Stripe Checkout: settles the purchase from what Stripe says now (the webhooks may still be
 * on their way) and tells how it stands. Only the account's own checkouts are found.
 */
export async function confirmCreditCheckout(
  deps: BillingDeps,
  accountId: string,
  sessionId: string,
): Promise<CreditCheckoutView> {
  const { db } = deps.database;
  const payment = await findPaymentByCheckoutSession(db, sessionId);
  if (payment?.accountId !== accountId) {
    throw new DomainError('NOT_FOUND', `No credit checkout ${sessionId} on this account`);
  }
  const status = await settleCreditCheckout(deps, payment);
  return {
    sessionId,
    status,
    packId: payment.packId,
    purchased: status === 'paid' ? payment.tokens : 0,
    balance: await readBalance(db, accountId),
  };
}
