import type { Database } from '@contox/db';
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { paidAccount } from './accounts';
import { useFireHarness } from './fire-suite';
import { findInvariantViolations, RULES, type Rule } from './invariants';

class Undo extends Error {}

type Damage = (account: string, other: string) => SQL[];

/** A ledger row appended as the service appends one: balance_after continues the chain, the balance follows. */
const ledgerRow = (
  account: string,
  row: { id: string; type: string; amount: number; ref?: string | null; price?: number | null },
) => [
  sql`insert into credit_transactions (id, account_id, type, amount, price, external_ref, balance_after)
      select ${row.id}, ${account}, ${row.type}::credit_transaction_type, ${row.amount}, ${row.price ?? null},
             ${row.ref ?? null}, balance + ${row.amount}
        from credit_balances where account_id = ${account}`,
  sql`update credit_balances set balance = balance + ${row.amount} where account_id = ${account}`,
];

/** A payment of the 1M pack (500 cents) under its own PaymentIntent, succeeded unless told otherwise. */
const payment = (account: string, pi: string, opts: { status?: string; kind?: string } = {}) =>
  sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start, payment_intent_id)
      values (${`pay_${pi}`}, ${account}, ${opts.kind ?? 'purchase'}::credit_payment_kind, 'credits_1m', 1000000, 500,
              ${opts.status ?? 'succeeded'}::credit_payment_status, now(), ${pi})`;

/** The pack's credit for `pi`, with any field changed. */
const packCredit = (account: string, pi: string, change: { type?: string; amount?: number; price?: number } = {}) =>
  ledgerRow(account, { id: `txn_${pi}`, type: 'purchase', amount: 1_000_000, price: 500, ref: pi, ...change });

/** The append-only trigger replaced by one that refuses only `op`. */
const triggerOnlyFor = (op: 'UPDATE' | 'DELETE') => [
  sql`drop trigger credit_transactions_append_only on credit_transactions`,
  sql.raw(`create trigger credit_transactions_append_only before ${op} on credit_transactions
           for each row execute function credit_transactions_refuse_change()`),
];

// One case per rule, each breaking that rule and no other.
const cases: [Rule, Damage][] = [
  ['balanceSum', (a) => [sql`update credit_balances set balance = balance + 1 where account_id = ${a}`]],
  [
    'negativeBalance',
    (a) => [
      sql`alter table credit_balances drop constraint credit_balances_non_negative`,
      sql`insert into credit_transactions (id, account_id, type, amount, balance_after)
          select 'txn_below_zero', ${a}, 'adjustment', -(balance + 1), -1 from credit_balances where account_id = ${a}`,
      sql`update credit_balances set balance = -1 where account_id = ${a}`,
    ],
  ],
  [
    'balanceChain',
    (a) => [
      sql`insert into credit_transactions (id, account_id, type, amount, balance_after) values ('txn_bad_after', ${a}, 'grant', 5, 1)`,
      sql`update credit_balances set balance = balance + 5 where account_id = ${a}`,
    ],
  ],
  [
    'triggerMissing',
    () => [sql`alter trigger credit_transactions_append_only on credit_transactions rename to renamed_trigger`],
  ],
  ['updateAccepted', () => triggerOnlyFor('DELETE')],
  ['deleteAccepted', () => triggerOnlyFor('UPDATE')],
  ['truncateAccepted', () => [sql`drop trigger credit_transactions_no_truncate on credit_transactions`]],
  [
    'intentOnTwoPayments',
    (a) => [
      sql`drop index credit_payments_account_payment_intent_uq`,
      sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start, payment_intent_id)
          select 'pay_copy', account_id, kind, pack_id, tokens, price, status, period_start, payment_intent_id
            from credit_payments where account_id = ${a} and kind = 'purchase'`,
    ],
  ],
  ['creditWithoutPayment', (a) => packCredit(a, 'pi_never_paid')],
  ['creditOfUnpaidPayment', (a) => [payment(a, 'pi_failed', { status: 'failed' }), ...packCredit(a, 'pi_failed')]],
  ['creditOnOtherAccount', (a, other) => [payment(other, 'pi_other'), ...packCredit(a, 'pi_other')]],
  ['creditAmount', (a) => [payment(a, 'pi_amount'), ...packCredit(a, 'pi_amount', { amount: 999_999 })]],
  ['creditPrice', (a) => [payment(a, 'pi_price'), ...packCredit(a, 'pi_price', { price: 400 })]],
  ['creditKind', (a) => [payment(a, 'pi_kind'), ...packCredit(a, 'pi_kind', { type: 'auto_recharge' })]],
  ['paymentNotCreditedOnce', (a) => [payment(a, 'pi_uncredited')]],
  ['usageCrediting', (a) => ledgerRow(a, { id: 'txn_up', type: 'usage', amount: 1, ref: `spend:${a}:up` })],
  ['usageWithoutKey', (a) => ledgerRow(a, { id: 'txn_nokey', type: 'usage', amount: -1 })],
  [
    'usageOnOtherKey',
    (a, other) => ledgerRow(a, { id: 'txn_theirs', type: 'usage', amount: -1, ref: `spend:${other}:k9` }),
  ],
  [
    'refUsedTwice',
    (a) => [
      sql`drop index credit_transactions_account_external_ref_uq`,
      ...ledgerRow(a, { id: 'txn_again', type: 'usage', amount: 0, ref: `spend:${a}:k` }),
    ],
  ],
  [
    'allowanceTokens',
    (a) => [sql`update usage_counters set used = used - 1 where account_id = ${a} and metric = 'tokens'`],
  ],
  [
    'eventCountedTwice',
    // A second row for event 'e' that adds nothing to the sums, and the daily row counting it: only the id repeats.
    (a) => [
      sql`alter table usage_events drop constraint usage_events_account_id_event_id_pk`,
      sql`insert into usage_events (account_id, event_id, metric, quantity, period_start, outcome)
          select account_id, event_id, metric, 0, period_start, outcome from usage_events
           where account_id = ${a} and event_id = 'e'`,
      sql`update usage_daily set events = events + 1 where account_id = ${a} and metric = 'sessions'`,
    ],
  ],
  [
    'counterDiffers',
    (a) => [sql`update usage_counters set used = used + 1 where account_id = ${a} and metric = 'sessions'`],
  ],
  [
    'dailyQuantity',
    (a) => [sql`update usage_daily set quantity = quantity + 1 where account_id = ${a} and metric = 'sessions'`],
  ],
  [
    'dailyEvents',
    (a) => [sql`update usage_daily set events = events + 1 where account_id = ${a} and metric = 'sessions'`],
  ],
  [
    'stripeEventTwice',
    () => [
      sql`alter table stripe_events drop constraint stripe_events_pkey`,
      sql`insert into stripe_events (id, type, stripe_created, payload) values ('evt_twice', 'x', now(), '{}'), ('evt_twice', 'x', now(), '{}')`,
    ],
  ],
  [
    'rechargeOverLimit',
    (a) => [
      sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start)
          select 'pay_over', ${a}, 'auto_recharge', 'credits_1m', 1000000, 600, 'pending', period_start
            from credit_payments where account_id = ${a} and kind = 'auto_recharge'`,
    ],
  ],
  [
    'rechargesInFlight',
    (a) => [
      sql`drop index credit_payments_one_recharge_in_flight_uq`,
      sql`insert into credit_payments (id, account_id, kind, pack_id, tokens, price, status, period_start)
          values ('pay_a', ${a}, 'auto_recharge', 'credits_1m', 1, 0, 'pending', '2000-01-01'),
                 ('pay_b', ${a}, 'auto_recharge', 'credits_1m', 1, 0, 'pending', '2000-01-01')`,
    ],
  ],
  ['usageNegative', (a) => [sql`insert into storage_levels (account_id, bytes) values (${a}, -1)`]],
  ['usageOverLimit', (a) => [sql`insert into storage_levels (account_id, bytes) values (${a}, 1e12)`]],
];

// The checker proves nothing unless it sees each kind of damage: every case breaks one rule inside a transaction,
// asks the checker, expects that rule named and no other, and rolls back. The checks are plain SQL, identical on both databases; the embedded one is enough.
describe('the invariant checker', () => {
  const harness = useFireHarness('embedded');
  let accountId = '';
  let otherId = '';

  beforeAll(async () => {
    const h = harness();
    const a = await paidAccount(h);
    accountId = a.accountId;
    otherId = (await h.account()).accountId;
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

  async function violationsAfter(damage: Damage): Promise<string[]> {
    const { db } = harness().db;
    let found: string[] = [];
    await db
      .transaction(async (tx) => {
        for (const statement of damage(accountId, otherId)) await tx.execute(statement);
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

  it('has a case below for every rule it checks', () => {
    expect(cases.map(([rule]) => rule).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(cases)('reports "%s" alone when only that rule is broken', async (rule, damage) => {
    const found = await violationsAfter(damage);
    expect(
      found.map((v) => v.slice(0, v.indexOf(': '))),
      found.join('\n'),
    ).toEqual([RULES[rule]]);
    expect(await findInvariantViolations(harness().db.db)).toEqual([]);
  });
});
