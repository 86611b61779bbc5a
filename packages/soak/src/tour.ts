import { ABSORBED } from './faults';
import { burst } from './burst';
import type { AccountModel } from './model';
import { purchaseOutage, purchaseWith, spendAs } from './steps-money';
import { cancel, changePlan, liveSubscriber, resume, subscribe } from './steps-subscription';
import { advanceDays, nextPeriod } from './steps-time';
import { buy, configure, fresh, newAccount, now, type StepResult, type World } from './world';

/**
 * What every run must have done at least once, whatever the seed: the runner places each stop at a seeded
 * position in every round of the schedule, so the run's counts (recharges, declines, pauses, faults, plan
 * changes, unlimited spends) are above zero by construction, not by luck. Each stop finds or makes the
 * account it needs and is checked against the model like any other step.
 */
export const TOUR: readonly (readonly [string, (w: World) => Promise<StepResult>])[] = [
  ['spend on an unlimited plan holding credits', unlimitedSpend],
  ['auto-recharge through Stripe faults', rechargeThroughFaults],
  ['declined auto-recharge pauses it; declined purchase', declinedRecharge],
  ['purchase whose answer Stripe lost', (w) => outage(w, 'timeout')],
  ['purchase during a Stripe outage', (w) => outage(w, w.random.pick(['500', '429'] as const))],
  ['subscribe through checkout', (w) => subscribe(w)],
  ['change plan through the portal', (w) => changePlan(w)],
  ['change seats through the portal', (w) => changePlan(w, true)],
  ['cancel, then resume', cancelThenResume],
  ['burst racing auto-recharges', burstRacingRecharges],
  ['into the next usage period', async (w) => on(w.random.pick(w.accounts), (a) => nextPeriod(w, a))],
  ['cancel and let the period end', cancelUntilEnd],
];

const on = async (a: AccountModel, run: (a: AccountModel) => Promise<string>): Promise<StepResult> => ({
  account: a,
  line: await run(a),
});

/** A new personal account holding 1M credits, auto-recharging 2.5M below 2M: one allowance + 1 token away. */
async function rechargeReady(w: World): Promise<AccountModel> {
  const a = await newAccount(w, 'personal');
  await buy(w, a, 'credits_1m');
  await configure(w, a, { enabled: true, threshold: 2_000_000, packId: 'credits_2_5m', spendingLimit: 5000 });
  return a;
}

async function unlimitedSpend(w: World): Promise<StepResult> {
  const holder = w.accounts.find((a) => a.plan(now(w)).tokenAllowance === null && a.balance > 0);
  const a =
    holder ?? w.accounts.find((x) => x.plan(now(w)).tokenAllowance === null) ?? (await newAccount(w, 'enterprise'));
  if (a.balance === 0) {
    await w.service.setCard(a.account.customerId, 'pm_card_visa');
    a.card = 'pm_card_visa';
    await buy(w, a, 'credits_1m');
  }
  // The allowance is unlimited, so the credits must stay untouched whatever the amount.
  return on(a, () => spendAs(w, a, fresh(w, 'spend'), w.random.int(2_000_000, 9_000_000)));
}

async function rechargeThroughFaults(w: World): Promise<StepResult> {
  const a = await rechargeReady(w);
  return on(a, () => spendAs(w, a, fresh(w, 'spend'), 1_000_001, w.random.int(1, ABSORBED)));
}

async function declinedRecharge(w: World): Promise<StepResult> {
  const a = await rechargeReady(w);
  await w.service.setCard(a.account.customerId, 'pm_card_chargeCustomerFail');
  a.card = 'pm_card_chargeCustomerFail';
  return on(a, async () => {
    const spent = await spendAs(w, a, fresh(w, 'spend'), 1_000_001);
    return `${spent}; ${await purchaseWith(w, a, 'credits_1m', fresh(w, 'buy'))}`;
  });
}

async function outage(w: World, kind: '500' | '429' | 'timeout'): Promise<StepResult> {
  const able = w.accounts.filter((a) => a.plan(now(w)).creditsAllowed && a.card !== null);
  const a = able.length > 0 ? w.random.pick(able) : await newAccount(w, 'personal');
  return on(a, () => purchaseOutage(w, a, kind));
}

async function cancelThenResume(w: World): Promise<StepResult> {
  const a = await liveSubscriber(w);
  return on(a, async () => `${await cancel(w, a)}; ${await resume(w, a)}`);
}

async function burstRacingRecharges(w: World): Promise<StepResult> {
  const a = await rechargeReady(w);
  return on(a, () => burst(w, a, w.random.int(300_000, 900_000)));
}

async function cancelUntilEnd(w: World): Promise<StepResult> {
  const a = await liveSubscriber(w);
  return on(a, async () => {
    const line = await cancel(w, a);
    const end = a.live(now(w))!.cancelAt!;
    const days = Math.ceil((end - now(w).getTime()) / 86_400_000);
    await advanceDays(w, days);
    return `${line}; clock +${days} days`;
  });
}
