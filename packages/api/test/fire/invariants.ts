import { type Catalog, defaultCatalog, getPlan, METRICS } from '@contox/core';
import { type Database, errorCode, queryRows } from '@contox/db';
import { scaled } from '@contox/db/testing';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Every rule the checker enforces, each with the label its violations start with. invariants.test.ts breaks
 * each rule alone and expects exactly this label back, so a rule that stops seeing its damage turns it red.
 */
export const RULES = {
  balanceSum: 'balance differs from the sum of its transactions',
  negativeBalance: 'balance is negative',
  balanceChain: 'balance_after is not the running sum of the ledger',
  triggerMissing: 'the trigger refusing UPDATE and DELETE on credit_transactions is missing',
  updateAccepted: 'UPDATE on credit_transactions was accepted',
  deleteAccepted: 'DELETE on credit_transactions was accepted',
  truncateAccepted: 'TRUNCATE on credit_transactions was accepted',
  intentOnTwoPayments: 'PaymentIntent on more than one payment',
  creditWithoutPayment: 'credit without a payment',
  creditOfUnpaidPayment: 'credit for a payment that did not succeed',
  creditOnOtherAccount: 'credit on another account than its payment',
  creditAmount: "credit amount differs from its payment's tokens",
  creditPrice: "credit price differs from its payment's",
  creditKind: "credit type differs from its payment's kind",
  paymentNotCreditedOnce: 'succeeded payment without exactly one credit',
  usageCrediting: 'usage transaction crediting',
  usageWithoutKey: 'usage transaction without a spend key',
  usageOnOtherKey: "usage transaction on another account's spend key",
  refUsedTwice: 'external reference with more than one ledger effect',
  allowanceTokens: 'tokens counted from the allowance differ from the spends that used it',
  eventCountedTwice: 'usage event id counted more than once',
  counterDiffers: 'usage counter differs from the events accepted into it',
  dailyQuantity: 'daily usage quantity differs from the events accepted',
  dailyEvents: 'daily usage event count differs from the events accepted',
  stripeEventTwice: 'Stripe event recorded more than once',
  rechargeOverLimit: 'auto-recharges of a period above the spending limit',
  rechargesInFlight: 'more than one auto-recharge in flight',
  usageNegative: 'usage below zero',
  usageOverLimit: 'usage above the plan limit',
} as const;

export type Rule = keyof typeof RULES;

/**
 * What must hold for every account of a billing database at any moment, whatever ran before: the money
 * rules of the contract written as queries that list offenders. Each check reads the tables directly, so a
 * bug in the service's own read paths cannot hide a broken ledger. Returns one line per violation, each
 * starting with its rule's label (RULES).
 *
 * Usage counters are compared with the limits of the account's current plan: the suites that call this
 * never downgrade an account. "A subscription never regresses" is covered by webhook.test.ts
 * (`updated` after `deleted`, reordered and older events).
 */
export async function findInvariantViolations(db: Database, catalog: Catalog = defaultCatalog): Promise<string[]> {
  const groups = await Promise.all([
    allOffenders(db, [...ledgerChecks(), ...paymentChecks(), ...spendChecks(), ...usageChecks(), ...rechargeChecks()]),
    usageLimits(db, catalog),
  ]);
  // The probes run alone, after the reads: on a single connection (a caller's transaction) a read interleaved
  // with a probe's accepted DELETE or TRUNCATE would see the ledger without its rows and report more than one rule.
  return [...groups.flat(), ...(await appendOnly(db))];
}

/** Throws with every violation listed: for the soak and any caller outside vitest's `expect`. */
export async function assertInvariants(db: Database, catalog: Catalog = defaultCatalog): Promise<void> {
  const violations = await findInvariantViolations(db, catalog);
  if (violations.length > 0) throw new Error(`Billing invariants violated:\n  ${violations.join('\n  ')}`);
}

const violation = (rule: Rule, detail: unknown) => `${RULES[rule]}: ${JSON.stringify(detail)}`;

type Check = [rule: Rule, query: SQL];

/** Runs the checks at once: each is a rule and a query listing its offenders. */
async function allOffenders(db: Database, checks: Check[]): Promise<string[]> {
  const found = await Promise.all(
    checks.map(async ([rule, query]) =>
      (await queryRows<Record<string, unknown>>(db, query)).map((r) => violation(rule, r)),
    ),
  );
  return found.flat();
}

/** balance = sum of the account's transactions, never negative, no transaction without a balance row; the chain. */
function ledgerChecks(): Check[] {
  return [
    [
      'balanceSum',
      sql`select coalesce(b.account_id, t.account_id) as account_id, b.balance, t.total
            from credit_balances b
            full join (select account_id, sum(amount) as total from credit_transactions group by account_id) t
              on t.account_id = b.account_id
           where b.account_id is null or b.balance <> coalesce(t.total, 0)`,
    ],
    ['negativeBalance', sql`select account_id, balance from credit_balances where balance < 0`],
    [
      // Each row's balance_after is the running sum in ledger order: no row was written against a stale balance.
      'balanceChain',
      sql`select id, account_id, balance_after, running from (
            select id, account_id, balance_after, sum(amount) over (partition by account_id order by seq) as running
              from credit_transactions) x
           where balance_after <> running`,
    ],
  ];
}

class RolledBack extends Error {}

// A probe waits at most this long for its lock (TRUNCATE waits for every open transaction on the ledger):
// a transaction that never ends fails the check instead of hanging it.
const PROBE_LOCK_TIMEOUT_MS = scaled(10_000);

/**
 * UPDATE, DELETE and TRUNCATE must be refused by the database itself: each is tried and rolled back whatever
 * happens. Refused means refused by a trigger (`raise exception`, SQLSTATE P0001); any other error means the
 * probe could not tell, and is thrown rather than counted as a refusal.
 */
async function appendOnly(db: Database): Promise<string[]> {
  const [row] = await queryRows<{ id: string }>(db, sql`select id from credit_transactions order by seq limit 1`);
  const triggers = await queryRows<{ tgname: string }>(
    db,
    sql`select tgname from pg_trigger where tgrelid = 'credit_transactions'::regclass and not tgisinternal`,
  );
  const problems: string[] = [];
  if (!triggers.some((t) => t.tgname === 'credit_transactions_append_only')) {
    problems.push(
      violation(
        'triggerMissing',
        triggers.map((t) => t.tgname),
      ),
    );
  }
  const attempts: [Rule, SQL][] = [
    ['truncateAccepted', sql`truncate credit_transactions`],
    ...(row
      ? ([
          ['updateAccepted', sql`update credit_transactions set description = description where id = ${row.id}`],
          ['deleteAccepted', sql`delete from credit_transactions where id = ${row.id}`],
        ] as [Rule, SQL][])
      : []),
  ];
  for (const [rule, statement] of attempts) {
    const outcome = await db
      .transaction(async (tx) => {
        await tx.execute(sql.raw(`set local lock_timeout = ${PROBE_LOCK_TIMEOUT_MS}`));
        await tx.execute(statement);
        throw new RolledBack();
      })
      .catch((err: unknown) => err);
    if (outcome instanceof RolledBack) problems.push(violation(rule, { row: row?.id ?? null }));
    else if (errorCode(outcome) !== 'P0001') throw outcome;
  }
  return problems;
}

/** A credit of `t` joined to the payment its external_ref names, offending when `condition` holds. */
const creditAgainstPayment = (condition: SQL) =>
  sql`select t.id, t.account_id, t.type, t.amount, t.price, t.external_ref,
             p.id as payment_id, p.account_id as payment_account_id, p.status, p.kind, p.tokens, p.price as payment_price
        from credit_transactions t left join credit_payments p on p.payment_intent_id = t.external_ref
       where t.type in ('purchase', 'auto_recharge') and (${condition})`;

/** A credit for a payment exists iff Stripe said it succeeded, once, for the paid pack, on the paying account. */
function paymentChecks(): Check[] {
  return [
    [
      'intentOnTwoPayments',
      sql`select payment_intent_id, count(*) as n from credit_payments
           where payment_intent_id is not null group by payment_intent_id having count(*) > 1`,
    ],
    ['creditWithoutPayment', creditAgainstPayment(sql`p.id is null`)],
    ['creditOfUnpaidPayment', creditAgainstPayment(sql`p.status <> 'succeeded'`)],
    ['creditOnOtherAccount', creditAgainstPayment(sql`p.account_id <> t.account_id`)],
    ['creditAmount', creditAgainstPayment(sql`p.tokens <> t.amount`)],
    ['creditPrice', creditAgainstPayment(sql`p.id is not null and p.price is distinct from t.price`)],
    ['creditKind', creditAgainstPayment(sql`p.kind::text <> t.type::text`)],
    [
      'paymentNotCreditedOnce',
      sql`select p.id, p.account_id, p.payment_intent_id, count(t.id) as credits from credit_payments p
            left join credit_transactions t on t.external_ref = p.payment_intent_id
           where p.status = 'succeeded' group by p.account_id, p.id having count(t.id) <> 1`,
    ],
  ];
}

/** Every usage row debits, under its spend's idempotency key, on its own account, once. */
function spendChecks(): Check[] {
  const usage = (condition: SQL) =>
    sql`select id, account_id, amount, external_ref from credit_transactions where type = 'usage' and (${condition})`;
  return [
    ['usageCrediting', usage(sql`amount > 0`)],
    ['usageWithoutKey', usage(sql`external_ref is null`)],
    // starts_with, not LIKE: an account id's underscores would be wildcards.
    ['usageOnOtherKey', usage(sql`not starts_with(external_ref, 'spend:' || account_id || ':')`)],
    [
      'refUsedTwice',
      sql`select external_ref, count(*) as n from credit_transactions
           where external_ref is not null group by external_ref having count(*) > 1`,
    ],
    [
      'allowanceTokens',
      sql`select coalesce(c.account_id, t.account_id) as account_id, c.used, t.from_allowance
            from (select account_id, sum(used) as used from usage_counters where metric = 'tokens' group by account_id) c
            full join (select account_id, sum(from_allowance) as from_allowance from credit_transactions
                        where type = 'usage' group by account_id) t on t.account_id = c.account_id
           where coalesce(c.used, 0) <> coalesce(t.from_allowance, 0)`,
    ],
  ];
}

/** Each usage event id counts once, and the per-period counters and daily rows are exactly the events accepted. */
function usageChecks(): Check[] {
  const daily = (condition: SQL) =>
    sql`select coalesce(d.account_id, e.account_id) as account_id, coalesce(d.metric, e.metric) as metric,
               d.total, e.total as events_total, d.n, e.n as events_n
          from (select account_id, metric, sum(quantity) as total, sum(events) as n from usage_daily group by account_id, metric) d
          full join (select account_id, metric, sum(quantity) as total, count(*) as n from usage_events
                      where metric <> 'storage' group by account_id, metric) e
            on e.account_id = d.account_id and e.metric = d.metric
         where ${condition}`;
  return [
    [
      'eventCountedTwice',
      sql`select account_id, event_id, count(*) as n from usage_events group by account_id, event_id having count(*) > 1`,
    ],
    [
      'counterDiffers',
      sql`select coalesce(c.account_id, e.account_id) as account_id, coalesce(c.metric, e.metric) as metric,
                 coalesce(c.period_start, e.period_start) as period_start, c.used, e.total
            from (select * from usage_counters where metric in ('sessions', 'events', 'enrichments')) c
            full join (select account_id, metric, period_start, sum(quantity) as total from usage_events
                        where metric <> 'storage' group by account_id, metric, period_start) e
              on e.account_id = c.account_id and e.metric = c.metric and e.period_start = c.period_start
           where coalesce(c.used, 0) <> coalesce(e.total, 0)`,
    ],
    ['dailyQuantity', daily(sql`coalesce(d.total, 0) <> coalesce(e.total, 0)`)],
    ['dailyEvents', daily(sql`coalesce(d.n, 0) <> coalesce(e.n, 0)`)],
    ['stripeEventTwice', sql`select id, count(*) as n from stripe_events group by id having count(*) > 1`],
  ];
}

/** Succeeded and in-flight recharges of a period stay within the spending limit; one in flight at most. */
function rechargeChecks(): Check[] {
  return [
    [
      'rechargeOverLimit',
      sql`select p.account_id, p.period_start, sum(p.price) as charged, max(s.spending_limit) as spending_limit
            from credit_payments p left join auto_recharge_settings s on s.account_id = p.account_id
           where p.kind = 'auto_recharge' and p.status in ('succeeded', 'pending')
           group by p.account_id, p.period_start
          having sum(p.price) > coalesce(max(s.spending_limit), 0)`,
    ],
    [
      'rechargesInFlight',
      sql`select account_id, count(*) as n from credit_payments
           where kind = 'auto_recharge' and status = 'pending' group by account_id having count(*) > 1`,
    ],
  ];
}

/** Counters of the plan's metered quantities never pass the plan's limits (null = unlimited), nor go below zero. */
async function usageLimits(db: Database, catalog: Catalog): Promise<string[]> {
  const rows = await queryRows<{ account_id: string; plan: string; metric: string; used: string | number }>(
    db,
    sql`select c.account_id, a.plan, c.metric, c.used from usage_counters c join accounts a on a.id = c.account_id
        union all
        select s.account_id, a.plan, 'storage', s.bytes from storage_levels s join accounts a on a.id = s.account_id`,
  );
  const problems: string[] = [];
  for (const r of rows) {
    const plan = getPlan(catalog, r.plan);
    const limit =
      r.metric === 'tokens'
        ? plan.tokenAllowance
        : METRICS.includes(r.metric as never)
          ? plan.limits[r.metric as 'events']
          : null;
    const used = Number(r.used);
    if (used < 0) problems.push(violation('usageNegative', r));
    if (limit !== null && used > limit) problems.push(violation('usageOverLimit', { ...r, limit }));
  }
  return problems;
}
