import { allowanceRemaining } from '@contox/core';
import { z } from 'zod';
import { billingState } from '../../services/accounts/billing-state';
import { findStripeCustomerId } from '../../store/accounts';
import { stripeGateway } from '../../stripe/gateway';
import { readProcedure } from '../trpc';
import { readCounters } from '../../services/usage/read-usage';
import { readRechargeContext } from '../../services/credits/auto-recharge-run';
import { creditsSummary } from './credits.types';
import { readBalance } from '../../store/ledger';
import { readAutoRecharge } from '../../services/credits/read-credits';
import { apiTime } from '../../time';

export const getCreditsSummary = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/billing/credits/summary',
      tags: ['credits'],
      summary: 'Balance beside the plan allowance left this period, auto-recharge spend and its last failure',
      protect: true,
    },
  })
  .input(z.object({}))
  .output(creditsSummary)
  .query(async ({ ctx }) => {
    const { db } = ctx.deps.database;
    const accountId = ctx.principal.accountId;
    const state = await billingState(db, ctx.deps.catalog, accountId, ctx.deps.now());
    const [balance, autoRecharge, counters, recharge, customerId] = await Promise.all([
      readBalance(db, accountId),
      readAutoRecharge(db, accountId),
      readCounters(db, accountId, state.period.start),
      readRechargeContext(db, accountId, state.period.start),
      findStripeCustomerId(db, accountId),
    ]);
    const hasPaymentMethod = customerId
      ? (await stripeGateway(ctx.deps.stripe).defaultPaymentMethod(customerId)) !== null
      : false;
    return {
      balance,
      period: { start: apiTime(state.period.start), end: apiTime(state.period.end) },
      allowance: {
        limit: state.plan.tokenAllowance,
        used: counters.tokens,
        remaining: allowanceRemaining(state.plan, counters.tokens),
      },
      autoRecharge,
      autoRechargeSpent: recharge.chargedThisPeriod,
      lastRechargeFailure: recharge.pausedBy
        ? { at: apiTime(recharge.pausedBy.at), message: recharge.pausedBy.message }
        : null,
      hasPaymentMethod,
    };
  });
