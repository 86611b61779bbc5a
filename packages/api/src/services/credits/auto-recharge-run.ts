import { type AutoRechargeSettings, decideAutoRecharge, decideShortfallRecharge, type PackId } from '@contox/core';
import type { Executor } from '@contox/db';
import { type BillingState, billingState } from '../accounts/billing-state';
import type { BillingDeps } from '../../deps';
import { newId } from '../../ids';
import { lockBalance } from '../../store/ledger';
import {
  claimPendingRecharge,
  findAutoRechargeSettings,
  listRecentRecharges,
  type PaymentRow,
} from '../../store/payments';
import { chargePayment } from './charge-payment';
import type { Settled } from './settle-payment';

/** A recharge still pending after this long lost its answer (an outage): retry it under the same key. */
const STALE_PENDING_MS = 60_000;

export interface RechargeContextRow {
  settings: AutoRechargeSettings;
  chargedThisPeriod: number;
  pending: (PaymentRow & { updatedAt: Date }) | null;
  /** The failed recharge that paused auto-recharge until the owner saves the settings again. */
  pausedBy: { at: Date; message: string } | null;
}

export async function readRechargeContext(
  tx: Executor,
  accountId: string,
  periodStart: Date,
): Promise<RechargeContextRow> {
  const settingsRow = await findAutoRechargeSettings(tx, accountId);
  const payments = await listRecentRecharges(tx, accountId, 200);
  const settings: AutoRechargeSettings = settingsRow
    ? {
        enabled: settingsRow.enabled,
        threshold: settingsRow.threshold,
        packId: settingsRow.packId as PackId,
        spendingLimit: settingsRow.spendingLimit,
      }
    : { enabled: false, threshold: 0, packId: 'credits_2_5m', spendingLimit: 0 };
  const chargedThisPeriod = payments
    .filter((p) => p.periodStart.getTime() === periodStart.getTime() && p.status !== 'failed')
    .reduce((sum, p) => sum + p.price, 0);
  const pending = payments.find((p) => p.status === 'pending') ?? null;
  const paused = settingsRow?.pausedPaymentId ? payments.find((p) => p.id === settingsRow.pausedPaymentId) : undefined;
  return {
    settings,
    chargedThisPeriod,
    pending: pending && { ...pending, kind: 'auto_recharge' },
    pausedBy: paused
      ? { at: paused.updatedAt, message: paused.failureMessage ?? 'The last auto-recharge failed' }
      : null,
  };
}

async function claimRecharge(
  deps: BillingDeps,
  accountId: string,
  state: BillingState,
  mode: 'threshold' | 'shortfall',
): Promise<PaymentRow | null> {
  const now = deps.now();
  return deps.database.db.transaction(async (tx) => {
    const balance = await lockBalance(tx, accountId);
    const ctx = await readRechargeContext(tx, accountId, state.period.start);
    if (ctx.pending) {
      return now.getTime() - ctx.pending.updatedAt.getTime() > STALE_PENDING_MS ? ctx.pending : null;
    }
    if (ctx.pausedBy) return null;
    const args = {
      settings: ctx.settings,
      plan: state.plan,
      catalog: deps.catalog,
      chargedThisPeriod: ctx.chargedThisPeriod,
    };
    const decision = mode === 'threshold' ? decideAutoRecharge({ ...args, balance }) : decideShortfallRecharge(args);
    if (!decision.recharge) return null;
    const payment: PaymentRow = {
      id: newId('pay'),
      accountId,
      packId: decision.pack.id,
      tokens: decision.pack.tokens,
      price: decision.pack.price,
      kind: 'auto_recharge',
    };
    // One pending recharge per account: a racing claim inserts nothing.
    return (await claimPendingRecharge(tx, payment, state.period.start, now)) ? payment : null;
  });
}

/**
 * Buys the configured pack when the rules allow it. Failures are recorded on the payment row (visible in
 * the credits summary) and never thrown at the spender: the spend itself already has its answer.
 */
export async function runAutoRecharge(
  deps: BillingDeps,
  accountId: string,
  mode: 'threshold' | 'shortfall',
): Promise<Settled | null> {
  const state = await billingState(deps.database.db, deps.catalog, accountId, deps.now());
  const payment = await claimRecharge(deps, accountId, state, mode);
  if (!payment) return null;
  try {
    return await chargePayment(deps, payment);
  } catch (err) {
    deps.log.warn('auto-recharge failed', { accountId, paymentId: payment.id, error: String(err) });
    return null;
  }
}
