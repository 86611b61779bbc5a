import { createHash } from 'node:crypto';
import { currentPeriod, defaultCatalog, getPlan, type PlanId } from '@contox/core';
import type postgres from 'postgres';

export interface BenchAccount {
  accountId: string;
  key: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Accounts for the load: a big credit balance (granted through the ledger, so the invariant holds) and,
 * for paid plans, the period's token allowance already used, so every spend moves the credit balance as
 * the naive baseline does.
 */
export async function seedAccounts(
  sql: postgres.Sql,
  opts: { prefix: string; count: number; plan: PlanId; balance: number; now: Date },
): Promise<BenchAccount[]> {
  const plan = getPlan(defaultCatalog, opts.plan);
  const period = currentPeriod({ plan, accountCreatedAt: opts.now, subscription: null, now: opts.now });
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < opts.count; i += 500) {
    const chunk = Array.from({ length: Math.min(500, opts.count - i) }, (_, j) => {
      const n = i + j;
      return {
        id: `acc_${opts.prefix}${n}`,
        member: `mem_${opts.prefix}${n}`,
        key: `contox_sk_${opts.prefix}${n}_${sha256(`${opts.prefix}${n}`).slice(0, 24)}`,
      };
    });
    await sql.begin(async (tx) => {
      await tx`insert into accounts ${tx(chunk.map((c) => ({ id: c.id, name: c.id, plan: opts.plan, created_at: opts.now })))}`;
      await tx`insert into members ${tx(chunk.map((c) => ({ id: c.member, account_id: c.id, email: `${c.id}@bench`, name: 'Bench', role: 'owner' })))}`;
      await tx`insert into api_keys ${tx(
        chunk.map((c) => ({
          id: `key_${c.id}`,
          account_id: c.id,
          member_id: c.member,
          name: 'bench',
          hash: sha256(c.key),
          prefix: c.key.slice(0, 16),
          scopes: tx.array(['read', 'billing', 'usage']),
        })),
      )}`;
      await tx`insert into credit_balances ${tx(chunk.map((c) => ({ account_id: c.id, balance: opts.balance })))}`;
      await tx`insert into credit_transactions ${tx(
        chunk.map((c) => ({
          id: `txn_seed_${c.id}`,
          account_id: c.id,
          type: 'grant',
          amount: opts.balance,
          description: 'bench grant',
          balance_after: opts.balance,
        })),
      )}`;
      if (plan.tokenAllowance !== null) {
        await tx`insert into usage_counters ${tx(
          chunk.map((c) => ({
            account_id: c.id,
            metric: 'tokens',
            period_start: period.start,
            used: plan.tokenAllowance,
          })),
        )}`;
      }
    });
    accounts.push(...chunk.map((c) => ({ accountId: c.id, key: c.key })));
  }
  return accounts;
}

/** A long history for the read benchmark: `count` ledger rows of +1, ending at the matching balance. */
export async function seedHistory(sql: postgres.Sql, accountId: string, count: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx<
      { balance: string }[]
    >`select balance from credit_balances where account_id = ${accountId} for update`;
    const start = Number(row!.balance);
    await tx`insert into credit_transactions (id, account_id, type, amount, description, balance_after, created_at)
      select 'txn_h_' || ${accountId} || '_' || g, ${accountId}, 'grant', 1, 'history', ${start} + g,
             now() - make_interval(secs => ${count} - g)
        from generate_series(1, ${count}::int) g`;
    await tx`update credit_balances set balance = ${start + count} where account_id = ${accountId}`;
  });
}
