import { applyUsage, isDomainError, type Metric } from '@contox/core';
import { type Database, pgArray, queryRows, schema } from '@contox/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { billingState } from '../accounts/billing-state';
import type { BillingDeps } from '../deps';
import type { recordUsageInput, usageEventResult } from './usage-schemas';

type UsageEvent = z.infer<typeof recordUsageInput>['events'][number];
type Result = z.infer<typeof usageEventResult>;

const COUNTED: Metric[] = ['sessions', 'events', 'enrichments'];

async function lockCounters(tx: Database, accountId: string, periodStart: Date, metrics: Metric[]) {
  const used = new Map<Metric, number>();
  const counted = metrics.filter((m) => m !== 'storage');
  if (counted.length) {
    await tx
      .insert(schema.usageCounters)
      .values(counted.map((metric) => ({ accountId, metric, periodStart, used: 0 })))
      .onConflictDoNothing();
    const rows = await tx
      .select({ metric: schema.usageCounters.metric, used: schema.usageCounters.used })
      .from(schema.usageCounters)
      .where(
        and(
          eq(schema.usageCounters.accountId, accountId),
          eq(schema.usageCounters.periodStart, periodStart),
          inArray(schema.usageCounters.metric, counted),
        ),
      )
      .for('update');
    for (const r of rows) used.set(r.metric as Metric, r.used);
  }
  if (metrics.includes('storage')) {
    await tx.insert(schema.storageLevels).values({ accountId, bytes: 0 }).onConflictDoNothing();
    const [row] = await tx
      .select({ bytes: schema.storageLevels.bytes })
      .from(schema.storageLevels)
      .where(eq(schema.storageLevels.accountId, accountId))
      .for('update');
    used.set('storage', row?.bytes ?? 0);
  }
  return used;
}

/**
 * Applies a batch in order inside one transaction. The counters are locked before the duplicate check,
 * so a concurrent batch carrying the same ids sees them as committed duplicates, never counts them twice.
 * Refused events are not remembered: the same id may be sent again once the limit allows it.
 */
export async function recordUsage(deps: BillingDeps, accountId: string, events: UsageEvent[]): Promise<Result[]> {
  const { db } = deps.database;
  const now = deps.now();
  const state = await billingState(db, deps.catalog, accountId, now);
  const periodStart = state.period.start;
  const metrics = [...new Set(events.map((e) => e.metric))];

  return db.transaction(async (tx) => {
    const used = await lockCounters(tx as unknown as Database, accountId, periodStart, metrics);
    const ids = [...new Set(events.map((e) => e.id))];
    // Arrays, not a list of 1,000 parameters: one statement text, prepared once, whatever the batch size.
    const known = await queryRows<{ event_id: string }>(
      tx,
      sql`select event_id from usage_events where account_id = ${accountId} and event_id = any(${pgArray(ids)}::text[])`,
    );
    const seen = new Set(known.map((k) => k.event_id));
    const accepted: UsageEvent[] = [];
    const results: Result[] = [];
    for (const event of events) {
      const limit = state.plan.limits[event.metric];
      if (seen.has(event.id)) {
        results.push({ id: event.id, status: 'duplicate' });
        continue;
      }
      const current = used.get(event.metric) ?? 0;
      try {
        const next = applyUsage({ metric: event.metric, used: current, quantity: event.quantity, limit }).used;
        used.set(event.metric, next);
        seen.add(event.id);
        accepted.push(event);
        results.push({ id: event.id, status: 'accepted', used: next, limit });
      } catch (err) {
        if (!isDomainError(err)) throw err;
        results.push({ id: event.id, status: 'refused', used: current, limit, error: err.message });
      }
    }
    if (accepted.length === 0) return results;

    await tx.execute(
      sql`insert into usage_events (account_id, event_id, metric, quantity, period_start, outcome, created_at)
          select ${accountId}, v.event_id, v.metric, v.quantity, ${periodStart.toISOString()}::timestamptz, 'accepted',
                 ${now.toISOString()}::timestamptz
            from unnest(${pgArray(accepted.map((e) => e.id))}::text[], ${pgArray(accepted.map((e) => e.metric))}::text[],
                        ${pgArray(accepted.map((e) => e.quantity))}::bigint[]) as v(event_id, metric, quantity)`,
    );
    const touched = new Set(accepted.map((e) => e.metric));
    for (const metric of touched) {
      if (metric === 'storage') {
        await tx
          .update(schema.storageLevels)
          .set({ bytes: used.get('storage') ?? 0 })
          .where(eq(schema.storageLevels.accountId, accountId));
      } else {
        await tx
          .update(schema.usageCounters)
          .set({ used: used.get(metric) ?? 0 })
          .where(
            and(
              eq(schema.usageCounters.accountId, accountId),
              eq(schema.usageCounters.metric, metric),
              eq(schema.usageCounters.periodStart, periodStart),
            ),
          );
      }
    }
    const day = now.toISOString().slice(0, 10);
    const perMetric = COUNTED.map((metric) => {
      const of = accepted.filter((e) => e.metric === metric);
      return { metric, quantity: of.reduce((s, e) => s + e.quantity, 0), events: of.length };
    }).filter((d) => d.events > 0);
    if (perMetric.length) {
      await tx
        .insert(schema.usageDaily)
        .values(perMetric.map((d) => ({ accountId, day, ...d })))
        .onConflictDoUpdate({
          target: [schema.usageDaily.accountId, schema.usageDaily.metric, schema.usageDaily.day],
          set: {
            quantity: sql`${schema.usageDaily.quantity} + excluded.quantity`,
            events: sql`${schema.usageDaily.events} + excluded.events`,
          },
        });
    }
    return results;
  });
}
