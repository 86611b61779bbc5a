import { type Catalog, defaultCatalog, getPlan, METRICS } from '@contox/core';
import { type Database, queryRows } from '@contox/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * What must hold for every account of a billing database at any moment, whatever ran before: the money
 * rules of the contract written as queries that list offenders. Each check reads the tables directly, so a
 * bug in the service's own read paths cannot hide a broken ledger. Returns one line per violation.
 *
 * Usage counters are compared with the limits of the account's current plan: the suites that call this
 * never downgrade an account. "A subscription never regresses" is covered by webhook.test.ts
 * (`updated` after `deleted`, reordered and older events).
 */
export async function findInvariantViolations(db: Database, catalog: Catalog = defaultCatalog): Promise<string[]> {
  const groups = await Promise.all([
    ledgerSums(db),
    balanceChain(db),
    appendOnly(db),
    paymentReferences(db),
    spendReferences(db),
    usageReferences(db),
    webhookReferences(db),
    autoRechargeLimits(db),
    usageLimits(db, catalog),
  ]);
  return groups.flat();
}

/** Throws with every violation listed: for the soak and any caller outside vitest's `expect`. */
export async function assertInvariants(db: Database, catalog: Catalog = defaultCatalog): Promise<void> {
  const violations = await findInvariantViolations(db, catalog);
  if (violations.length > 0) throw new Error(`Billing invariants violated:\n  ${violations.join('\n  ')}`);
}

async function offenders(db: Database, label: string, query: SQL): Promise<string[]> {
  const rows = await queryRows<Record<string, unknown>>(db, query);
  return rows.map((r) => `${label}: ${JSON.stringify(r)}`);
}

/** Runs related checks at once: each is a label and a query listing its offenders. */
async function allOffenders(db: Database, checks: [label: string, query: SQL][]): Promise<string[]> {
  const found = await Promise.all(checks.map(([label, query]) => offenders(db, label, query)));
  return found.flat();
}

/** balance = sum of the account's transactions, and never negative; no transaction without a balance row. */
function ledgerSums(db: Database): Promise<string[]> {
  return offenders(
    db,
    'balance differs from the sum of its transactions, or is negative',
    sql`select coalesce(b.account_id, t.account_id) as account_id, b.balance, t.total
          from credit_balances b
          full join (select account_id, sum(amount) as total from credit_transactions group by account_id) t
            on t.account_id = b.account_id
         where b.account_id is null or b.balance < 0 or b.balance <> coalesce(t.total, 0)`,
  );
}

/** Each row's balance_after is the running sum in ledger order: no row was written against a stale balance. */
function balanceChain(db: Database): Promise<string[]> {
  return offenders(
    db,
    'balance_after is not the running sum of the ledger',
    sql`select id, account_id, balance_after, running from (
          select id, account_id, balance_after, sum(amount) over (partition by account_id order by seq) as running
            from credit_transactions) x
         where balance_after <> running`,
  );
}

class RolledBack extends Error {}

/** UPDATE and DELETE must be refused by the database itself; each attempt is rolled back whatever happens. */
async function appendOnly(db: Database): Promise<string[]> {
  const [row] = await queryRows<{ id: string }>(db, sql`select id from credit_transactions order by seq limit 1`);
  const triggers = await queryRows<{ tgname: string }>(
    db,
    sql`select tgname from pg_trigger where tgrelid = 'credit_transactions'::regclass and not tgisinternal`,
  );
  const problems: string[] = [];
  if (!triggers.some((t) => t.tgname === 'credit_transactions_append_only')) {
    problems.push('append-only: the trigger refusing UPDATE and DELETE on credit_transactions is missing');
  }
  if (!row) return problems;
  const attempts: [string, SQL][] = [
    ['UPDATE', sql`update credit_transactions set description = description where id = ${row.id}`],
    ['DELETE', sql`delete from credit_transactions where id = ${row.id}`],
  ];
  for (const [op, statement] of attempts) {
    const outcome = await db
      .transaction(async (tx) => {
        await tx.execute(statement);
        throw new RolledBack();
      })
      .catch((err: unknown) => err);
    if (outcome instanceof RolledBack) problems.push(`append-only: ${op} on credit_transactions was accepted`);
  }
  return problems;
}

/** A credit for a payment exists iff Stripe said it succeeded, once, for the paid pack, on the paying account. */
function paymentReferences(db: Database): Promise<string[]> {
  return allOffenders(db, [
    [
      'PaymentIntent on more than one payment',
      sql`select payment_intent_id, count(*) as n from credit_payments
           where payment_intent_id is not null group by payment_intent_id having count(*) > 1`,
    ],
    [
      'credit without a succeeded payment of the same pack',
      sql`select t.id, t.account_id, t.type, t.amount, t.external_ref from credit_transactions t
            left join credit_payments p on p.payment_intent_id = t.external_ref
           where t.type in ('purchase', 'auto_recharge')
             and (p.id is null or p.status <> 'succeeded' or p.account_id <> t.account_id or p.tokens <> t.amount
                  or p.price <> t.price or p.kind::text <> t.type::text)`,
    ],
    [
      'succeeded payment without exactly one credit',
      sql`select p.id, p.account_id, p.payment_intent_id, count(t.id) as credits from credit_payments p
            left join credit_transactions t on t.external_ref = p.payment_intent_id
           where p.status = 'succeeded' group by p.id having count(t.id) <> 1`,
    ],
  ]);
}

/** Every usage row carries its spend's idempotency key, on its own account, once. */
function spendReferences(db: Database): Promise<string[]> {
  return allOffenders(db, [
    [
      'usage transaction without its own spend key, or crediting',
      sql`select id, account_id, amount, external_ref from credit_transactions
           where type = 'usage'
             and (amount > 0 or external_ref is null or external_ref not like 'spend:' || account_id || ':%')`,
    ],
    [
      'external reference with more than one ledger effect',
      sql`select external_ref, count(*) as n from credit_transactions
           where external_ref is not null group by external_ref having count(*) > 1`,
    ],
    [
      'tokens counted from the allowance differ from the spends that used it',
      sql`select coalesce(c.account_id, t.account_id) as account_id, c.used, t.from_allowance
            from (select account_id, sum(used) as used from usage_counters where metric = 'tokens' group by account_id) c
            full join (select account_id, sum(from_allowance) as from_allowance from credit_transactions
                        where type = 'usage' group by account_id) t on t.account_id = c.account_id
           where coalesce(c.used, 0) <> coalesce(t.from_allowance, 0)`,
    ],
  ]);
}

/** Each usage event id counts once, and the per-period counters are exactly the events accepted into them. */
function usageReferences(db: Database): Promise<string[]> {
  return allOffenders(db, [
    [
      'usage event id counted more than once',
      sql`select account_id, event_id, count(*) as n from usage_events group by account_id, event_id having count(*) > 1`,
    ],
    [
      'usage counter differs from the events accepted into it',
      sql`select coalesce(c.account_id, e.account_id) as account_id, coalesce(c.metric, e.metric) as metric,
                 coalesce(c.period_start, e.period_start) as period_start, c.used, e.total
            from (select * from usage_counters where metric in ('sessions', 'events', 'enrichments')) c
            full join (select account_id, metric, period_start, sum(quantity) as total from usage_events
                        where metric <> 'storage' group by account_id, metric, period_start) e
              on e.account_id = c.account_id and e.metric = c.metric and e.period_start = c.period_start
           where coalesce(c.used, 0) <> coalesce(e.total, 0)`,
    ],
    [
      'daily usage differs from the events accepted',
      sql`select coalesce(d.account_id, e.account_id) as account_id, coalesce(d.metric, e.metric) as metric, d.total, e.total
            from (select account_id, metric, sum(quantity) as total, sum(events) as n from usage_daily group by account_id, metric) d
            full join (select account_id, metric, sum(quantity) as total, count(*) as n from usage_events
                        where metric <> 'storage' group by account_id, metric) e
              on e.account_id = d.account_id and e.metric = d.metric
           where coalesce(d.total, 0) <> coalesce(e.total, 0) or coalesce(d.n, 0) <> coalesce(e.n, 0)`,
    ],
  ]);
}

function webhookReferences(db: Database): Promise<string[]> {
  return offenders(
    db,
    'Stripe event recorded more than once',
    sql`select id, count(*) as n from stripe_events group by id having count(*) > 1`,
  );
}

/** Succeeded and in-flight recharges of a period stay within the spending limit; one in flight at most. */
function autoRechargeLimits(db: Database): Promise<string[]> {
  return allOffenders(db, [
    [
      'auto-recharges of a period above the spending limit',
      sql`select p.account_id, p.period_start, sum(p.price) as charged, max(s.spending_limit) as spending_limit
            from credit_payments p left join auto_recharge_settings s on s.account_id = p.account_id
           where p.kind = 'auto_recharge' and p.status in ('succeeded', 'pending')
           group by p.account_id, p.period_start
          having sum(p.price) > coalesce(max(s.spending_limit), 0)`,
    ],
    [
      'more than one auto-recharge in flight',
      sql`select account_id, count(*) as n from credit_payments
           where kind = 'auto_recharge' and status = 'pending' group by account_id having count(*) > 1`,
    ],
  ]);
}

/** Counters of the plan's metered quantities never pass the plan's limits (null = unlimited). */
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
    if (used < 0 || (limit !== null && used > limit)) {
      problems.push(`usage above the plan limit: ${JSON.stringify({ ...r, limit })}`);
    }
  }
  return problems;
}
