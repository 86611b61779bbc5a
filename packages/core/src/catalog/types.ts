export const PLAN_IDS = ['free', 'personal', 'team', 'business', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export const PACK_IDS = ['credits_1m', 'credits_2_5m', 'credits_7m', 'credits_15m'] as const;
export type PackId = (typeof PACK_IDS)[number];

export const INTERVALS = ['month', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

export type Metric = 'sessions' | 'events' | 'enrichments' | 'storage';
export const METRICS: readonly Metric[] = Object.freeze(['sessions', 'events', 'enrichments', 'storage'] as const);

/** `null` means unlimited: the one representation of "no limit", in memory and in JSON. */
export interface PlanLimits {
  sessions: number | null;
  events: number | null;
  enrichments: number | null;
  /** bytes; a level, not a per-period count */
  storage: number | null;
}

export interface Plan {
  id: PlanId;
  name: string;
  /** per seat, euro cents; `null` when the plan cannot be bought for that interval */
  prices: { month: number | null; year: number | null };
  /** tokens included per monthly usage period; `null` = unlimited */
  tokenAllowance: number | null;
  creditsAllowed: boolean;
  minSeats: number;
  maxSeats: number | null;
  limits: PlanLimits;
}

export interface Pack {
  id: PackId;
  tokens: number;
  /** euro cents */
  price: number;
}

export interface Catalog {
  plans: Record<PlanId, Plan>;
  packs: Record<PackId, Pack>;
}
