import { isoSecond } from './calendar';
import { expectMatch } from './check';
import type { AccountModel } from './model';
import { liveView } from './subscription';
import { now, type World } from './world';

/** `GET /api/billing/subscription` as the model has it. */
function subscriptionView(a: AccountModel, t: Date): Record<string, unknown> {
  const sub = a.live(t);
  if (sub) return liveView(sub, t.getTime());
  return {
    plan: a.plan(t).id,
    status: a.lastStatus,
    seats: 1,
    interval: null,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
  };
}

/**
 * The account as the API shows it against the model, value by value: plan and subscription, the usage
 * period's bounds, balance, allowance used, auto-recharge settings, spend and pause, and every meter.
 */
export async function checkAccount(w: World, a: AccountModel): Promise<void> {
  const key = a.account.key;
  const [summary, usage, subscription] = await Promise.all([
    w.service.call('GET', '/api/billing/credits/summary', key),
    w.service.call('GET', '/api/billing/usage', key),
    w.service.call('GET', '/api/billing/subscription', key),
  ]);
  const t = now(w);
  const plan = a.plan(t);
  const span = a.span(t);
  const period = { start: isoSecond(span.start), end: isoSecond(span.end) };
  const id = a.account.accountId;
  expectMatch(`subscription of ${id}`, subscription.body, subscriptionView(a, t));
  expectMatch(`credits summary of ${id}`, summary.body, {
    balance: a.balance,
    period,
    allowance: { limit: plan.tokenAllowance, used: a.tokensUsed.get(a.period(t)) ?? 0 },
    autoRecharge: a.recharge,
    autoRechargeSpent: a.rechargeSpent.get(a.period(t)) ?? 0,
  });
  expectMatch(`recharge paused on ${id}`, summary.body.lastRechargeFailure !== null, a.paused);
  const meter = (metric: 'sessions' | 'events' | 'enrichments' | 'storage') => ({
    used: a.counter(metric, t),
    limit: plan.limits[metric],
  });
  expectMatch(`usage of ${id}`, usage.body, {
    plan: plan.id,
    period,
    usage: {
      sessions: meter('sessions'),
      events: meter('events'),
      enrichments: meter('enrichments'),
      storage: meter('storage'),
    },
  });
}
