import { schema } from '@contox/db';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { paidAccount, purchasePack } from '../fire/accounts';
import type { Harness } from '../harness';

// Shared steps of the money-path tests (test/money): each is a plain HTTP call or a read of what was stored.

export const PERSONAL_ALLOWANCE = 1_000_000;
export const PACK = { id: 'credits_1m', tokens: 1_000_000, price: 500 } as const;
export const DAY_MS = 86_400_000;

export interface Spent {
  transactionId: string;
  balance: number;
  fromAllowance: number;
  fromCredits: number;
}

let n = 0;

export function spend(h: Harness, key: string, amount: number) {
  n += 1;
  return h.fetch('/api/billing/credits/spend', {
    method: 'POST',
    key,
    body: { amount, description: 'Enrichment - money test', idempotencyKey: `money-${n}` },
  });
}

/** A spend that must be answered 200; returns its answer. */
export async function spent(h: Harness, key: string, amount: number): Promise<Spent> {
  const res = await spend(h, key, amount);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Spent;
}

export async function configureRecharge(
  h: Harness,
  key: string,
  settings: { threshold: number; packId?: string; spendingLimit: number },
): Promise<void> {
  const body = { enabled: true, packId: PACK.id, ...settings };
  const res = await h.fetch('/api/billing/credits/auto-recharge', { method: 'PUT', key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A personal subscriber with a saved card, one bought pack and its allowance used up: spends take credits. */
export async function subscriberWithPack(h: Harness) {
  const a = await paidAccount(h, { plan: 'personal' });
  expect((await purchasePack(h, a.key)).status).toBe(200);
  expect(await spent(h, a.key, PERSONAL_ALLOWANCE)).toMatchObject({ fromCredits: 0, balance: PACK.tokens });
  return a;
}

/** The account's auto-recharge payment rows, oldest first. */
export function rechargePayments(h: Harness, accountId: string) {
  const p = schema.creditPayments;
  return h.db.db
    .select()
    .from(p)
    .where(and(eq(p.accountId, accountId), eq(p.kind, 'auto_recharge')))
    .orderBy(p.createdAt);
}

export async function summary(h: Harness, key: string) {
  const res = await h.fetch('/api/billing/credits/summary', { key });
  expect(res.status).toBe(200);
  return res.body as {
    balance: number;
    allowance: { limit: number | null; used: number; remaining: number | null };
    autoRechargeSpent: number;
    lastRechargeFailure: { at: string; message: string } | null;
  };
}

/** Runs `fn` with the billing clock moved by `ms`, then puts it back. */
export async function later<T>(h: Harness, ms: number, fn: () => Promise<T>): Promise<T> {
  const before = h.clock.now;
  h.clock.now = new Date(before.getTime() + ms);
  try {
    return await fn();
  } finally {
    h.clock.now = before;
  }
}
