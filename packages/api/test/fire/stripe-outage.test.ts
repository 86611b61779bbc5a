import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import type { ApiFaultKind } from '@contox/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { settled, stripeAttempts } from '../billing-helpers';
import type { Harness } from '../harness';
import { chargesOf, ledgerOf, paidAccount, purchasePack } from './accounts';
import { useFireHarness } from './fire-suite';

const ALLOWANCE = 1_000_000;

/** Credits in our ledger are exactly the charges Stripe made: nothing claimed that was not paid, nothing paid and lost. */
async function expectLedgerMatchesStripe(h: Harness, a: { accountId: string; customerId: string }) {
  await settled(h);
  const paid = (await chargesOf(h, a.customerId)).filter((pi) => pi.status === 'succeeded').map((pi) => pi.id);
  const credited = (await ledgerOf(h, a.accountId))
    .filter((t) => t.type !== 'usage' && t.type !== 'grant')
    .map((t) => t.externalRef);
  expect(credited.sort()).toEqual(paid.sort());
  return paid.length;
}

describe.each(testDatabaseKinds())('Stripe down during a purchase or an auto-recharge, on %s', (kind) => {
  const harness = useFireHarness(kind);

  // Each Stripe call of a purchase (customer lookup, then the charge) failing each way. The SDK tries each call
  // `stripeAttempts` times, as in production: that many faults in a row is an outage for the call. A timeout
  // is held 100 ms and then the connection dropped.
  const faults: [string, ApiFaultKind][] = [
    ['/v1/customers', '500'],
    ['/v1/customers', 'timeout'],
    ['/v1/payment_intents', '500'],
    ['/v1/payment_intents', 'timeout'],
  ];
  it.each(faults)(
    '%s answering %s on every attempt: 503 { error }, credits only what Stripe charged, and a retry charges once',
    async (path, fault) => {
      const h = harness();
      const a = await paidAccount(h);
      await h.emulator.control.failNext(stripeAttempts(h), fault, 100, path);
      const res = await purchasePack(h, a.key, `outage-${path}-${fault}`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'Stripe is unavailable, try again', code: 'stripe_unavailable' });
      // Only a charge whose answer was lost went through at Stripe; its webhook credits it, nothing else does.
      const charged = await expectLedgerMatchesStripe(h, a);
      expect(charged).toBe(path === '/v1/payment_intents' && fault === 'timeout' ? 1 : 0);

      const retry = await purchasePack(h, a.key, `outage-${path}-${fault}`);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ balance: 1_000_000, purchased: 1_000_000 });
      expect(await expectLedgerMatchesStripe(h, a)).toBe(1);
    },
  );

  // Production's client retries twice: one fault, or two in a row, is a blip the purchase never sees.
  it.each([
    ['/v1/payment_intents', '500', 1],
    ['/v1/payment_intents', '500', 2],
    ['/v1/payment_intents', 'timeout', 2],
    ['/v1/customers', '500', 2],
  ] as const)(
    '%s answering %s %i time(s) in a row: the SDK retries absorb it, the purchase is charged once',
    async (path, fault, n) => {
      const h = harness();
      const a = await paidAccount(h);
      await h.emulator.control.failNext(n, fault, 100, path);
      const res = await purchasePack(h, a.key, `blip-${path}-${fault}-${n}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ balance: 1_000_000, purchased: 1_000_000 });
      // A lost answer was replayed under the SDK's idempotency key, not charged again.
      expect(await chargesOf(h, a.customerId)).toHaveLength(1);
      expect(await expectLedgerMatchesStripe(h, a)).toBe(1);
    },
  );

  it('every call failing: 503 each time, nothing charged or credited, and the first call after the outage works', async () => {
    const h = harness();
    const a = await paidAccount(h);
    // The card's events are handled (each read from Stripe) first, so that only purchases meet the faults.
    await settled(h);
    // Every attempt of each purchase's first call to Stripe (the customer's card) fails.
    await h.emulator.control.failNext(5 * stripeAttempts(h), '500');
    const answers = await Promise.all(Array.from({ length: 5 }, () => purchasePack(h, a.key)));
    expect(answers.map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
    expect(await expectLedgerMatchesStripe(h, a)).toBe(0);
    expect((await purchasePack(h, a.key)).status).toBe(200);
    expect(await expectLedgerMatchesStripe(h, a)).toBe(1);
  });

  it('Stripe rate limiting the charge: 429 { error }, nothing credited', async () => {
    const h = harness();
    const a = await paidAccount(h);
    // The SDK does not retry a 429 (Stripe sends no Stripe-Should-Retry with it here): one is the whole answer.
    await h.emulator.control.failNext(1, '429', 0, '/v1/payment_intents');
    const res = await purchasePack(h, a.key);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: expect.stringMatching(/Stripe is rate limiting/), code: 'rate_limited' });
    expect(await expectLedgerMatchesStripe(h, a)).toBe(0);
  });

  it.each([
    ['500', 0],
    ['timeout', 1],
  ] as const)(
    'auto-recharge while Stripe answers %s: spends still answer, the recharge waits, then is charged once',
    async (fault, chargedDuringOutage) => {
      const h = harness();
      const a = await paidAccount(h);
      expect((await purchasePack(h, a.key)).status).toBe(200);
      let k = 0;
      const spend = (amount: number) =>
        h.fetch('/api/billing/credits/spend', {
          method: 'POST',
          key: a.key,
          body: { amount, description: 'Enrichment - outage', idempotencyKey: `outage-${fault}-${k++}` },
        });
      expect((await spend(ALLOWANCE)).status).toBe(200);
      const settings = { enabled: true, threshold: 900_000, packId: 'credits_1m', spendingLimit: 5000 };
      expect(
        (await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key: a.key, body: settings })).status,
      ).toBe(200);

      await h.emulator.control.failNext(stripeAttempts(h), fault, 100, '/v1/payment_intents');
      expect((await spend(200_000)).body).toMatchObject({ balance: 800_000 });
      expect((await spend(1)).status).toBe(200);
      const [recharge] = await h.db.db
        .select()
        .from(schema.creditPayments)
        .where(and(eq(schema.creditPayments.kind, 'auto_recharge'), eq(schema.creditPayments.accountId, a.accountId)));
      // An outage is not the card's fault: the recharge is not failed or paused, it stays in flight.
      expect(recharge?.status).toBe(chargedDuringOutage ? 'succeeded' : 'pending');
      expect((await h.trpc(a.key).credits.summary.query({})).lastRechargeFailure).toBeNull();
      expect(await expectLedgerMatchesStripe(h, a)).toBe(1 + chargedDuringOutage);

      // A minute later the in-flight recharge counts as lost and is retried under its own idempotency key.
      h.clock.now = new Date(h.clock.now.getTime() + 61_000);
      expect((await spend(1)).status).toBe(200);
      expect(await expectLedgerMatchesStripe(h, a)).toBe(2);
      const recharges = (await ledgerOf(h, a.accountId)).filter((t) => t.type === 'auto_recharge');
      expect(recharges).toHaveLength(1);
      expect((await h.trpc(a.key).credits.summary.query({})).balance).toBe(1_000_000 - 200_002 + 1_000_000);
    },
  );
});
