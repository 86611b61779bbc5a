import { defaultCatalog, type Metric } from '@contox/core';
import { queryRows } from '@contox/db';
import { sql } from 'drizzle-orm';
import { findInvariantViolations } from '../../api/test/fire/invariants';
import { expectMatch, Mismatch } from './check';
import type { World } from './world';

const OVER_LIMIT = 'usage above the plan limit: ';

/**
 * The invariant checker compares every usage counter, of every period, with the account's plan of today.
 * The soak changes plans, so a counter filled under a bigger plan may exceed a later, smaller one; such a
 * counter is excused when it is within the largest plan the account has had (the model checks its exact
 * value anyway). Everything else the checker finds fails the run.
 */
export async function checkInvariants(w: World): Promise<void> {
  const violations = (await findInvariantViolations(w.service.db.db)).filter((v) => !excused(w, v));
  if (violations.length > 0) throw new Mismatch(`billing invariants violated:\n  ${violations.join('\n  ')}`);
}

function excused(w: World, violation: string): boolean {
  if (!violation.startsWith(OVER_LIMIT)) return false;
  const row = JSON.parse(violation.slice(OVER_LIMIT.length)) as { account_id: string; metric: string; used: unknown };
  const a = w.accounts.find((x) => x.account.accountId === row.account_id);
  if (!a || a.plansHeld.size < 2) return false;
  const limits = [...a.plansHeld].map((id) => {
    const plan = defaultCatalog.plans[id];
    return row.metric === 'tokens' ? plan.tokenAllowance : plan.limits[row.metric as Metric];
  });
  const used = Number(row.used);
  return used >= 0 && limits.some((limit) => limit === null || used <= limit);
}

/**
 * The run's counts as the service wrote them, against the model's: every recharge the model expected paid
 * is a succeeded recharge payment, every pause a failed one, every decline a payment failed by the card;
 * no payment is left pending once the run has settled; and none of the three is zero.
 */
export async function checkCounts(w: World): Promise<void> {
  const rows = await queryRows<{ kind: string; status: string; code: string | null; n: string | number }>(
    w.service.db.db,
    sql`select kind::text as kind, status::text as status, failure_code as code, count(*) as n
          from credit_payments group by kind, status, failure_code`,
  );
  const total = (match: (r: (typeof rows)[number]) => boolean) =>
    rows.filter(match).reduce((s, r) => s + Number(r.n), 0);
  const written = {
    recharges: total((r) => r.kind === 'auto_recharge' && r.status === 'succeeded'),
    pauses: total((r) => r.kind === 'auto_recharge' && r.status === 'failed'),
    declines: total((r) => r.status === 'failed' && r.code === 'CARD_DECLINED'),
    pending: total((r) => r.status === 'pending'),
  };
  const c = w.counts;
  expectMatch('payments the service wrote, against the model', written, {
    recharges: c.get('recharges'),
    pauses: c.get('pauses'),
    declines: c.get('declines'),
    pending: 0,
  });
  // The tour makes each of these happen in every round: none of them may be missing from a run.
  const missing = (['recharges', 'pauses', 'declines'] as const).filter((k) => written[k] === 0);
  if (missing.length > 0) throw new Mismatch(`the run wrote no ${missing.join(', ')}: the tour did not reach them`);
}

/**
 * Every usage counter the service holds, of every period the run went through (not only the current one),
 * equals the model's: tokens taken from the allowance and each counted metric, per account and period, and
 * the accepted events are the ones the model accepted. Usage filed under a wrong period shows here even
 * when the current period looks right.
 */
export async function checkUsageHistory(w: World): Promise<void> {
  const rows = await queryRows<{ account_id: string; metric: string; period_start: string | Date; used: unknown }>(
    w.service.db.db,
    sql`select account_id, metric, period_start, used from usage_counters where used <> 0`,
  );
  const service = Object.fromEntries(
    rows.map((r) => [`${r.account_id} ${new Date(r.period_start).toISOString()} ${r.metric}`, Number(r.used)]),
  );
  const model: Record<string, number> = {};
  for (const a of w.accounts) {
    const id = a.account.accountId;
    for (const [period, used] of a.tokensUsed) if (used !== 0) model[`${id} ${period} tokens`] = used;
    for (const [key, used] of a.counters) {
      const [period, metric] = key.split('|');
      if (used !== 0) model[`${id} ${period} ${metric}`] = used;
    }
  }
  // As entry lists, so a counter on either side only is a mismatch too.
  expectMatch('usage counters of every period', entries(service), entries(model));
  const [events] = await queryRows<{ n: unknown }>(w.service.db.db, sql`select count(*) as n from usage_events`);
  const accepted = w.accounts.reduce((s, a) => s + a.events.size, 0);
  expectMatch('usage events accepted', Number(events?.n), accepted);
  w.counts.add('usage events accepted', accepted);
}

const entries = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));

/** What the schedule made the service write: proof that each rule was exercised, not just reachable. */
export async function writtenCounts(w: World): Promise<Record<string, number>> {
  const rows = await queryRows<{ what: string; n: string | number }>(
    w.service.db.db,
    sql`select type::text as what, count(*) as n from credit_transactions group by type
        union all select 'payment ' || kind || ' ' || status, count(*) from credit_payments group by kind, status
        union all select 'usage events', count(*) from usage_events
        union all select 'subscriptions ' || status, count(*) from subscriptions group by status
        union all select 'stripe events applied', count(*) from stripe_events`,
  );
  return Object.fromEntries(rows.map((r) => [r.what, Number(r.n)]));
}
