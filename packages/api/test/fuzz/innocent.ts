import { getPlan } from '@contox/core';
import { queryRows, schema } from '@contox/db';
import { and, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Harness } from '../harness';
import { expectLedgerConsistent, grantCredits } from '../ledger';

/** Credits the innocent account starts with: far more than its spends can use, so each one must succeed. */
const GRANTED = 1_000_000_000;

interface Spent {
  amount: number;
  idempotencyKey: string;
  status: number;
  body: unknown;
}

export const innocentIdempotencyKey = (i: number) => `innocent-${i}`;
// Varied, to cross from the plan's allowance into the credits during the run.
const amountOf = (i: number) => 1 + ((i * 7_919) % 60_000);

export interface InnocentAccount {
  accountId: string;
  key: string;
}

/** An account on the personal plan with credits, which the attacker shares the service with. */
export async function innocentAccount(h: Harness): Promise<InnocentAccount> {
  const a = await h.account({ name: 'Innocent' });
  await h.db.db.update(schema.accounts).set({ plan: 'personal' }).where(eq(schema.accounts.id, a.accountId));
  await grantCredits(h.db.db, a.accountId, GRANTED);
  return { accountId: a.accountId, key: a.key };
}

/**
 * A steady stream of valid spends with unique keys until `stop`, which resolves to every answer. `inFlight`
 * spends at a time keep landing in the same batches as the attacker's.
 */
export function spendSteadily(h: Harness, innocent: InnocentAccount, inFlight: number): { stop(): Promise<Spent[]> } {
  const spent: Spent[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      const i = next++;
      const amount = amountOf(i);
      const idempotencyKey = innocentIdempotencyKey(i);
      const body = { amount, description: `Enrichment - session innocent_${i}`, idempotencyKey };
      const res = await h.fetch('/api/billing/credits/spend', { method: 'POST', key: innocent.key, body });
      spent.push({ amount, idempotencyKey, status: res.status, body: res.body });
    }
  };
  const workers = Array.from({ length: inFlight }, worker);
  return {
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return spent;
    },
  };
}

/**
 * Every innocent spend answered 200 and took exactly its amount, the plan's allowance first; the account holds
 * what those answers imply (allowance used, credits left) and its ledger is consistent with one row per spend.
 */
export async function expectInnocentUntouched(h: Harness, innocent: InnocentAccount, spent: Spent[]): Promise<void> {
  expect(spent.length, 'the innocent account spent while the attacker fuzzed').toBeGreaterThan(0);
  const refused = spent.filter((s) => s.status !== 200);
  expect(refused.map((s) => `${s.idempotencyKey} → ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);
  const answers = spent.map((s) => ({
    ...(s.body as { fromAllowance: number; fromCredits: number }),
    amount: s.amount,
  }));
  for (const a of answers) expect(a.fromAllowance + a.fromCredits).toBe(a.amount);
  const total = answers.reduce((n, a) => n + a.amount, 0);
  const fromAllowance = answers.reduce((n, a) => n + a.fromAllowance, 0);
  const fromCredits = answers.reduce((n, a) => n + a.fromCredits, 0);
  const limit = getPlan(h.deps.catalog, 'personal').tokenAllowance!;
  expect(fromAllowance).toBe(Math.min(limit, total));

  const summary = await h.fetch('/api/billing/credits/summary', { key: innocent.key });
  expect(summary.status).toBe(200);
  expect(summary.body).toMatchObject({ balance: GRANTED - fromCredits, allowance: { used: fromAllowance } });
  expect(await expectLedgerConsistent(h.db.db, innocent.accountId)).toBe(GRANTED - fromCredits);
  const [rows] = await queryRows<{ n: string | number }>(
    h.db.db,
    sql`select count(*) as n from ${schema.creditTransactions} where ${and(
      eq(schema.creditTransactions.accountId, innocent.accountId),
      eq(schema.creditTransactions.type, 'usage'),
    )}`,
  );
  expect(Number(rows!.n)).toBe(spent.length);
}
