import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { stripeAttempts } from '../billing-helpers';
import { chargesOf, ledgerOf } from '../fire/accounts';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';
import { configureRecharge, PACK, rechargePayments, spent, subscriberWithPack, summary } from './money-helpers';

// An auto-recharge whose charge got no answer (a Stripe outage) stays pending and blocks any other recharge;
// after a full minute without news it counts as lost and is charged again under its own payment, so Stripe's
// idempotency key makes the retry one charge (src/services/credits/auto-recharge-run.ts, STALE_PENDING_MS).

const STALE_AFTER_MS = 60_000;

describe.each(testDatabaseKinds())('an auto-recharge left pending by an outage, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  const setClock = (ms: number) => {
    h.clock.now = new Date(ms);
  };

  it('is retried only once it has been pending for more than a minute, then credited once', async () => {
    const start = h.clock.now.getTime();
    const a = await subscriberWithPack(h);
    await configureRecharge(h, a.key, { threshold: 900_000, spendingLimit: 5000 });
    try {
      await h.emulator.control.failNext(stripeAttempts(h), '500', undefined, '/v1/payment_intents');
      expect(await spent(h, a.key, 200_000)).toMatchObject({ balance: 800_000 });
      const [pending] = await rechargePayments(h, a.accountId);
      expect(pending).toMatchObject({ status: 'pending', price: PACK.price });
      // In flight, it counts against the spending limit and is no failure.
      expect(await summary(h, a.key)).toMatchObject({ autoRechargeSpent: PACK.price, lastRechargeFailure: null });

      for (const ms of [0, STALE_AFTER_MS]) {
        setClock(pending!.updatedAt.getTime() + ms);
        expect(await spent(h, a.key, 1)).toMatchObject({ fromCredits: 1 });
        expect(await rechargePayments(h, a.accountId)).toEqual([expect.objectContaining({ status: 'pending' })]);
        expect((await chargesOf(h, a.customerId)).filter((pi) => pi.amount === PACK.price)).toHaveLength(1);
      }

      setClock(pending!.updatedAt.getTime() + STALE_AFTER_MS + 1);
      expect(await spent(h, a.key, 1)).toMatchObject({ fromCredits: 1 });
      expect(await rechargePayments(h, a.accountId)).toEqual([
        expect.objectContaining({ id: pending!.id, status: 'succeeded' }),
      ]);
      const recharges = (await ledgerOf(h, a.accountId)).filter((t) => t.type === 'auto_recharge');
      expect(recharges).toEqual([expect.objectContaining({ amount: PACK.tokens, price: PACK.price })]);
      // The pack bought at the start and this recharge: two charges at the pack's price, both paid.
      const paid = (await chargesOf(h, a.customerId)).filter((pi) => pi.amount === PACK.price);
      expect(paid.map((pi) => pi.status)).toEqual(['succeeded', 'succeeded']);
      expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(PACK.tokens - 200_003 + PACK.tokens);
    } finally {
      setClock(start);
    }
  });
});
