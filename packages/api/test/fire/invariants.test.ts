import type { Database } from '@contox/db';
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { paidAccount } from './accounts';
import { useFireHarness } from './fire-suite';
import { findInvariantViolations } from './invariants';

class Undo extends Error {}

// The checker proves nothing unless it sees each kind of damage: every case breaks one rule inside a transaction,
// asks the checker, and rolls back. The checks are plain SQL, identical on both databases; the embedded one is enough.
describe('the invariant checker', () => {
  const harness = useFireHarness('embedded');
  let accountId = '';

  beforeAll(async () => {
    const h = harness();
    const a = await paidAccount(h);
    accountId = a.accountId;
    const call = (path: string, method: string, body: unknown) => h.fetch(path, { method, key: a.key, body });
    expect((await call('/api/billing/credits/purchase', 'POST', { packId: 'credits_1m' })).status).toBe(200);
    expect(
      (await call('/api/billing/credits/spend', 'POST', { amount: 1_200_000, description: 'x', idempotencyKey: 'k' }))
        .status,
    ).toBe(200);
    expect(
      (await call('/api/billing/usage/events', 'POST', { events: [{ id: 'e', metric: 'sessions', quantity: 2 }] }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('/api/billing/credits/auto-recharge', 'PUT', {
          enabled: true,
          threshold: 900_000,
          packId: 'credits_1m',
          spendingLimit: 1000,
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('/api/billing/credits/spend', 'POST', { amount: 1, description: 'x', idempotencyKey: 'k2' })).status,
    ).toBe(200);
  });

  async function violationsAfter(damage: (id: string) => SQL[]): Promise<string[]> {
    const { db } = harness().db;
    let found: string[] = [];
    await db
      .transaction(async (tx) => {
        for (const statement of damage(accountId)) await tx.execute(statement);
        found = await findInvariantViolations(tx as unknown as Database);
        throw new Undo();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Undo)) throw err;
      });
    return found;
  }

  it('finds nothing wrong with what the service wrote', async () => {
    expect(await findInvariantViolations(harness().db.db)).toEqual([]);
  });

  const credit = (id: string, ref: string | null, type: string, amount: number) => [
    sql`insert into credit_transactions (id, account_id, type, amount, price, external_ref, balance_after)
        select ${`txn_${type}_${ref}`}, ${id}, ${type}::credit_transaction_type, ${amount}, 500, ${ref}, balance + ${amount}
          from credit_balances where account_id = ${id}`,
    sql`update credit_balances set balance = balance + ${amount} where account_id = ${id}`,
  ];

  it.each<[string, (id: string) => SQL[]]>([
    [
      'balance differs from the sum',
      (id) => [sql`update credit_balances set balance = balance + 1 where account_id = ${id}`],
    ],
    [
      'balance_after is not the running sum',
      (id) => [
        sql`insert into credit_transactions (id, account_id, type, amount, balance_after) values ('txn_bad_after', ${id}, 'grant', 5, 1)`,
        sql`update credit_balances set balance = balance + 5 where account_id = ${id}`,
      ],
    ],
    [
      'UPDATE on credit_transactions was accepted',
      () => [sql`drop trigger credit_transactions_append_only on credit_transactions`],
    ],
    ['credit without a succeeded payment', (id) => credit(id, 'pi_never_paid', 'purchase', 1_000_000)],
    [
      'succeeded payment without exactly one credit',
      (id) => [
        sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start, payment_intent_id)
            values ('pay_uncredited', ${id}, 'purchase', 'credits_1m', 1000000, 500, 'succeeded', now(), 'pi_uncredited')`,
      ],
    ],
    ['usage transaction without its own spend key', (id) => credit(id, null, 'usage', -1)],
    [
      'tokens counted from the allowance differ',
      (id) => [sql`update usage_counters set used = used - 1 where account_id = ${id} and metric = 'tokens'`],
    ],
    [
      'usage counter differs from the events',
      (id) => [sql`update usage_counters set used = used + 1 where account_id = ${id} and metric = 'sessions'`],
    ],
    ['daily usage differs', (id) => [sql`update usage_daily set events = events + 1 where account_id = ${id}`]],
    [
      'auto-recharges of a period above the spending limit',
      (id) => [
        sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start)
            select 'pay_over', ${id}, 'auto_recharge', 'credits_1m', 1000000, 600, 'pending', period_start
              from credit_payments where account_id = ${id} and kind = 'auto_recharge'`,
      ],
    ],
    [
      'more than one auto-recharge in flight',
      (id) => [
        sql`drop index credit_payments_one_recharge_in_flight_uq`,
        sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start)
            values ('pay_a', ${id}, 'auto_recharge', 'credits_1m', 1, 0, 'pending', '2000-01-01'),
                   ('pay_b', ${id}, 'auto_recharge', 'credits_1m', 1, 0, 'pending', '2000-01-01')`,
      ],
    ],
    ['usage above the plan limit', (id) => [sql`insert into storage_levels (account_id, bytes) values (${id}, 1e12)`]],
    [
      'external reference with more than one ledger effect',
      (id) => [
        sql`alter table credit_transactions drop constraint credit_transactions_external_ref_unique`,
        ...credit(id, `spend:${id}:k`, 'usage', 0),
      ],
    ],
    [
      'Stripe event recorded more than once',
      () => [
        sql`alter table stripe_events drop constraint stripe_events_pkey`,
        sql`insert into stripe_events (id, type, stripe_created, payload) values ('evt_twice', 'x', now(), '{}'), ('evt_twice', 'x', now(), '{}')`,
      ],
    ],
  ])('reports "%s"', async (label, damage) => {
    const found = await violationsAfter(damage);
    expect(
      found.some((v) => v.includes(label)),
      found.join('\n'),
    ).toBe(true);
    expect(await findInvariantViolations(harness().db.db)).toEqual([]);
  });
});
