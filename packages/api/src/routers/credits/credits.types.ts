import { z } from 'zod';

export const autoRechargeSchema = z.object({
  enabled: z.boolean(),
  threshold: z.number().int(),
  packId: z.string(),
  spendingLimit: z.number().int(),
});

export const transactionSchema = z.object({
  id: z.string(),
  type: z.enum(['purchase', 'auto_recharge', 'usage', 'grant', 'refund', 'adjustment']),
  amount: z.number().int(),
  price: z.number().int().optional(),
  description: z.string().optional(),
  createdAt: z.string(),
});

export const creditsSchema = z.object({
  balance: z.number().int(),
  autoRecharge: autoRechargeSchema,
  transactions: z.array(transactionSchema),
  nextCursor: z.string().optional(),
});

export type CreditsView = z.infer<typeof creditsSchema>;
export type TransactionView = z.infer<typeof transactionSchema>;

export const purchaseInput = z.object({ packId: z.string().max(64) });
export const purchaseResult = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  purchased: z.number().int(),
});

export const spendInput = z.object({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  description: z.string().min(1).max(500),
  idempotencyKey: z.string().min(1).max(200),
});
export const spendResult = z.object({
  transactionId: z.string(),
  balance: z.number().int(),
  fromAllowance: z.number().int(),
  fromCredits: z.number().int(),
});

export const autoRechargeInput = z.object({
  enabled: z.boolean(),
  threshold: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  packId: z.string().max(64),
  spendingLimit: z.number().int().min(0).max(100_000_000),
});

export const creditsSummary = z.object({
  balance: z.number().int(),
  period: z.object({ start: z.string(), end: z.string() }),
  allowance: z.object({
    limit: z.number().int().nullable(),
    used: z.number().int(),
    remaining: z.number().int().nullable(),
  }),
  autoRecharge: autoRechargeSchema,
  /** Euro cents charged for auto-recharges this period (succeeded and in flight). */
  autoRechargeSpent: z.number().int(),
  lastRechargeFailure: z.object({ at: z.string(), message: z.string() }).nullable(),
  hasPaymentMethod: z.boolean(),
});

export const balanceHistory = z.object({
  points: z.array(z.object({ at: z.string(), balance: z.number().int() })),
});
