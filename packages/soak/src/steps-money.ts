import { defaultCatalog, type Metric, PACK_IDS, type PackId } from '@contox/core';
import { expectMatch } from './check';
import { ABSORBED, type ChargeFault, expectFaultsConsumed, failCharges, OUTAGE } from './faults';
import type { AccountModel } from './model';
import type { Card } from './service';
import { configure, fresh, now, webhooksIdle, type World } from './world';

export function spendAmount(w: World): number {
  // Large enough, against the allowances and packs, that balances keep crossing the recharge thresholds.
  return w.random.weighted([
    [w.random.int(1, 5_000), 2],
    [w.random.int(10_000, 400_000), 3],
    [w.random.int(500_000, 3_000_000), 4],
    [w.random.int(3_000_000, 8_000_000), 1],
  ] as const);
}

export const spendBody = (amount: number, key: string) => ({
  amount,
  description: 'Enrichment - soak',
  idempotencyKey: key,
});

/**
 * One spend, compared with the model. With `faults`, the charges it makes (auto-recharges) first meet that
 * many Stripe failures, which the client's retries must absorb: the answer is the same as without them.
 */
export async function spendAs(w: World, a: AccountModel, key: string, amount: number, faults = 0): Promise<string> {
  const { expected, charges } = a.spend(key, amount, now(w));
  const faulted = faults > 0 && charges > 0;
  const kind: ChargeFault = faulted ? w.random.pick(['500', 'timeout']) : '500';
  if (faulted) await failCharges(w, Math.min(faults, ABSORBED), kind);
  const res = await w.service.call('POST', '/api/billing/credits/spend', a.account.key, spendBody(amount, key));
  expectMatch(
    `spend ${amount} (${key})`,
    { status: res.status, ...(expected.body ? { body: res.body } : {}) },
    expected,
  );
  if (faulted) await expectFaultsConsumed(w);
  if (res.status === 200 && a.plan(now(w)).tokenAllowance === null) w.counts.add('spends on unlimited plans');
  const recorded = a.spends.get(key);
  if (res.status === 200 && recorded && recorded.transactionId === null)
    recorded.transactionId = String(res.body.transactionId);
  return `spend ${amount} → ${res.status}${charges > 0 ? `, ${charges} recharge charge(s)` : ''}${faulted ? ` through ${kind} faults` : ''}`;
}

export function spendReplay(w: World, a: AccountModel): Promise<string> | string {
  const known = [...a.spends.keys()];
  if (known.length === 0) return 'spend-replay: nothing to replay';
  const key = w.random.pick(known);
  const amount = w.random.chance(0.8) ? a.spends.get(key)!.amount : a.spends.get(key)!.amount + 1;
  return spendAs(w, a, key, amount).then((line) => `replay ${line}`);
}

function pickPack(w: World): PackId {
  return w.random.weighted<PackId>([
    ['credits_1m', 4],
    ['credits_2_5m', 3],
    ['credits_7m', 1],
    ['credits_15m', 1],
  ]);
}

async function purchaseCall(w: World, a: AccountModel, packId: PackId, key: string | null) {
  return w.service.call(
    'POST',
    '/api/billing/credits/purchase',
    a.account.key,
    { packId },
    key ? { 'idempotency-key': key } : {},
  );
}

/** A purchase, with a new key, an earlier one (same or another pack), or none. */
export function purchase(w: World, a: AccountModel): Promise<string> {
  const r = w.random;
  const reuse = [...a.purchases.keys()];
  const key = reuse.length > 0 && r.chance(0.2) ? r.pick(reuse) : r.chance(0.5) ? fresh(w, 'buy') : null;
  const prior = key === null ? undefined : a.purchases.get(key);
  return purchaseWith(w, a, prior && r.chance(0.8) ? prior.packId : pickPack(w), key);
}

export async function purchaseWith(w: World, a: AccountModel, packId: PackId, key: string | null): Promise<string> {
  const { expected } = a.purchase(defaultCatalog.packs[packId], key, now(w));
  const res = await purchaseCall(w, a, packId, key);
  expectMatch(
    `purchase ${packId} (key ${key})`,
    { status: res.status, ...(expected.body ? { body: res.body } : {}) },
    expected,
  );
  return `purchase ${packId}${key ? ` key ${key}` : ''} → ${res.status}`;
}

/**
 * A keyed purchase during a Stripe outage (every attempt of the client fails), then the client's retry with
 * the same key once Stripe is back. A lost answer (`timeout`) means Stripe charged: the payment's webhook
 * credits it before the retry, and the retry answers that same payment instead of charging again.
 */
export async function purchaseOutage(w: World, a: AccountModel, kind: ChargeFault): Promise<string> {
  const packId = pickPack(w);
  const pack = defaultCatalog.packs[packId];
  const key = fresh(w, 'outage');
  // Only a purchase that reaches the charge meets the fault; the others are plain purchases.
  if (!a.plan(now(w)).creditsAllowed || a.card === null) return purchase(w, a);
  await failCharges(w, kind === '429' ? 1 : OUTAGE, kind);
  const first = await purchaseCall(w, a, packId, key);
  expectMatch(
    `purchase ${packId} during a Stripe outage (${kind})`,
    { status: first.status },
    a.purchaseOutage(pack, key, kind),
  );
  await expectFaultsConsumed(w);
  await webhooksIdle(w);
  const { expected } = a.purchase(pack, key, now(w));
  const retry = await purchaseCall(w, a, packId, key);
  expectMatch(
    `purchase ${packId} retried after the outage (${kind})`,
    { status: retry.status, ...(expected.body ? { body: retry.body } : {}) },
    expected,
  );
  return `purchase ${packId} during a ${kind} outage → ${first.status}, retried → ${retry.status}`;
}

export async function configureStep(w: World, a: AccountModel): Promise<string> {
  const r = w.random;
  const settings = {
    // The free plan has no credits to recharge: auto-recharge is only switched on where it can run.
    enabled: a.plan(now(w)).creditsAllowed && r.chance(0.7),
    threshold: r.pick([500_000, 2_000_000, 6_000_000]),
    packId: r.pick(PACK_IDS.filter((id) => defaultCatalog.packs[id].price <= a.recharge.spendingLimit)),
    // Kept as it was: lowering it below what a past period charged would read as a broken limit.
    spendingLimit: a.recharge.spendingLimit,
  };
  await configure(w, a, settings);
  return `configure ${JSON.stringify(settings)}`;
}

export async function cardStep(w: World, a: AccountModel): Promise<string> {
  const card = w.random.weighted<Card>([
    ['pm_card_visa', 8],
    ['pm_card_chargeCustomerFail', 2],
    [null, 1],
  ]);
  await w.service.setCard(a.account.customerId, card);
  // The service hears of the card by webhook: a new one lifts an auto-recharge pause the old one caused.
  await webhooksIdle(w);
  a.card = card;
  if (card !== null) a.paused = false;
  return `card ${card ?? 'none'}`;
}

export async function usage(w: World, a: AccountModel): Promise<string> {
  const r = w.random;
  const known = [...a.events];
  const events = Array.from({ length: r.int(1, 6) }, () => {
    const metric = r.pick<Metric>(['sessions', 'events', 'enrichments', 'storage']);
    const id = known.length > 0 && r.chance(0.25) ? r.pick(known) : fresh(w, 'ev');
    const quantity = metric === 'storage' ? r.int(-20, 40) * 1_048_576 : r.int(1, metric === 'events' ? 400 : 6);
    return { id, metric, quantity };
  });
  const expected = events.map((e) => a.usage(e, now(w)));
  const refused = expected.filter((e) => e.status === 'refused').length;
  const res = await w.service.call('POST', '/api/billing/usage/events', a.account.key, { events });
  // Every event refused: the call is refused too (402, the same results beside the error); else 200 with a count.
  const allRefused = refused === expected.length;
  expectMatch(
    `usage ${JSON.stringify(events)}`,
    { status: res.status, body: res.body },
    {
      status: allRefused ? 402 : 200,
      body: { results: expected, refused, ...(allRefused ? { code: 'plan_limit_reached' } : {}) },
    },
  );
  return `usage ${events.length} events`;
}
