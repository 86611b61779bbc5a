import { defaultCatalog, type Interval, type PlanId } from '@contox/core';
import { expectMatch, Mismatch } from './check';
import { isoSecond } from './calendar';
import { deliverSubscriptionEvents } from './faults';
import type { AccountModel } from './model';
import { billingPeriod, PAID_PLANS, type Subscription, seatsFor } from './subscription';
import { newAccount, now, type StepResult, type World } from './world';

const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';

const checkoutSession = (url: string): string => {
  const id = /\/c\/pay\/(cs_[^/?#]+)/.exec(url)?.[1];
  if (!id) throw new Mismatch(`checkout answered no checkout page: ${url}`);
  return id;
};

/** Runs `change` and then makes sure each subscription event it caused reached the service. */
async function withEvents<T>(w: World, change: () => Promise<T>): Promise<T> {
  const since = await w.service.emulator.control.now();
  const result = await change();
  await deliverSubscriptionEvents(w, since);
  return result;
}

/** An account that can subscribe now: one that started free and has no live subscription, else a new one. */
async function subscriber(w: World): Promise<AccountModel> {
  const free = w.accounts.filter((a) => a.subscribes && !a.live(now(w)));
  return free.length > 0 ? w.random.pick(free) : newAccount(w, 'free');
}

/** Checkout through the API, paid on Stripe's page (sometimes after a declined card), as a customer does. */
export async function subscribe(w: World, interval?: Interval, choice?: PlanId): Promise<StepResult> {
  const account = await subscriber(w);
  const r = w.random;
  const plan = choice ?? r.pick(PAID_PLANS);
  const seats = seatsFor(plan, (min, max) => r.int(min, max));
  const every =
    interval ??
    r.weighted<Interval>([
      ['month', 3],
      ['year', 1],
    ]);
  const declineFirst = r.chance(0.2);
  const res = await w.service.call('POST', '/api/billing/checkout', account.account.key, {
    planId: plan,
    seats,
    interval: every,
  });
  expectMatch(`checkout ${plan} × ${seats} per ${every}`, res.status, 200);
  const session = checkoutSession(String(res.body.url));
  const control = w.service.emulator.control;
  await withEvents(w, async () => {
    if (declineFirst) {
      const refused = await control.completeCheckout(session, DECLINED_CARD).then(() => 'paid', String);
      expectMatch('checkout with a declined card', /declined/.test(refused), true);
    }
    await control.completeCheckout(session, GOOD_CARD);
  });
  // When the payment went through is Stripe's fact; the periods that follow from it are the model's own.
  const subs = await w.service.admin.subscriptions.list({ customer: account.account.customerId, limit: 1 });
  const anchor = subs.data[0]?.billing_cycle_anchor;
  if (anchor === undefined) throw new Mismatch('checkout paid, but Stripe holds no subscription');
  account.subscribe({ plan, seats, interval: every, anchor: anchor * 1000, cancelAt: null });
  w.counts.add('subscriptions started');
  return { account, line: `subscribe ${plan} × ${seats} per ${every}${declineFirst ? ' after a decline' : ''}` };
}

const seatRange = (plan: PlanId) => defaultCatalog.plans[plan].maxSeats !== defaultCatalog.plans[plan].minSeats;

/**
 * An account with a live subscription and no pending cancellation (on a plan sold with a range of seats,
 * when `seats`): one of those there are, or a new one.
 */
export async function liveSubscriber(w: World, seats = false): Promise<AccountModel> {
  const live = w.accounts.filter((a) => {
    const sub = a.live(now(w));
    return sub?.cancelAt === null && (!seats || seatRange(sub.plan));
  });
  if (live.length > 0) return w.random.pick(live);
  return (await subscribe(w, 'month', seats ? 'team' : undefined)).account;
}

/** Another plan (or, with `seatsOnly`, the same one) and a seat count it sells, not the subscription's own. */
function changeTo(w: World, sub: Subscription, seatsOnly: boolean): { plan: PlanId; seats: number } {
  const plan = seatsOnly ? sub.plan : w.random.pick(PAID_PLANS.filter((p) => p !== sub.plan));
  const seats = seatsFor(plan, (min, max) => w.random.int(min, max));
  if (plan !== sub.plan || seats !== sub.seats) return { plan, seats };
  return { plan, seats: seatsFor(plan, (min) => (min === sub.seats ? min + 1 : min)) };
}

/**
 * An upgrade, a downgrade or a seat change: checkout with a subscription running opens Stripe's portal on
 * the change, and confirming it there changes the one subscription. Same interval, no pending cancellation:
 * the period stays where it is, whichever policy applies to those other cases.
 */
export async function changePlan(w: World, seatsOnly = false): Promise<StepResult> {
  const a = await liveSubscriber(w, seatsOnly);
  const sub = a.live(now(w))!;
  const { plan, seats } = changeTo(w, sub, seatsOnly);
  const res = await w.service.call('POST', '/api/billing/checkout', a.account.key, {
    planId: plan,
    seats,
    interval: sub.interval,
  });
  expectMatch(
    `change to ${plan} × ${seats}`,
    { status: res.status, portal: /\/p\/session\//.test(String(res.body.url)) },
    {
      status: 200,
      portal: true,
    },
  );
  const confirmed = await withEvents(w, () => w.service.submitPage(String(res.body.url), { action: 'confirm_update' }));
  expectMatch(
    'portal confirmation redirects back',
    confirmed.location,
    'http://localhost:3000/billing/plan?checkout=success',
  );
  const what = plan === sub.plan ? 'seat changes' : 'plan changes';
  a.change(now(w), plan, seats);
  w.counts.add(what);
  return { account: a, line: `change ${sub.plan} × ${sub.seats} → ${plan} × ${seats}` };
}

/** Cancel at the period end; repeating it answers the same. Without a subscription: 409. */
export async function cancel(w: World, a: AccountModel): Promise<string> {
  const t = now(w);
  const sub = a.live(t);
  const res = await withEvents(w, () => w.service.call('POST', '/api/billing/cancel', a.account.key));
  if (!sub) {
    expectMatch('cancel without a subscription', res.status, 409);
    return 'cancel → 409 (no subscription)';
  }
  const end = billingPeriod(sub, t.getTime()).end;
  const cancelAt = sub.cancelAt ?? end;
  expectMatch('cancel', res, { status: 200, body: { status: 'cancelled', cancelAt: isoSecond(cancelAt) } });
  sub.cancelAt = cancelAt;
  w.counts.add('cancellations');
  return `cancel ${sub.plan}, ends ${isoSecond(cancelAt)}`;
}

/** Undo a pending cancellation; with nothing pending (or no subscription): 409. */
export async function resume(w: World, a: AccountModel): Promise<string> {
  const sub = a.live(now(w));
  const res = await withEvents(w, () => w.service.call('POST', '/api/billing/resume', a.account.key));
  if (sub?.cancelAt == null) {
    expectMatch('resume with nothing to resume', res.status, 409);
    return 'resume → 409 (nothing to resume)';
  }
  expectMatch('resume', res, { status: 200, body: { status: 'active' } });
  sub.cancelAt = null;
  w.counts.add('resumes');
  return `resume ${sub.plan}`;
}
