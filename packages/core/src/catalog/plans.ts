import type { Plan, PlanId } from './types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Token allowances are published; limits are not, except team's (shown in the API docs).
 * Yearly prices are ten monthly ones: two months free, the usual incentive.
 */
export const defaultPlans: Record<PlanId, Plan> = {
  free: {
    id: 'free',
    name: 'Free',
    prices: { month: null, year: null },
    tokenAllowance: 50_000,
    creditsAllowed: false,
    minSeats: 1,
    maxSeats: 1,
    limits: { sessions: 20, events: 1_000, enrichments: 10, storage: 50 * MiB },
  },
  personal: {
    id: 'personal',
    name: 'Personal',
    prices: { month: 900, year: 9_000 },
    tokenAllowance: 1_000_000,
    creditsAllowed: true,
    minSeats: 1,
    maxSeats: 1,
    limits: { sessions: 50, events: 2_500, enrichments: 25, storage: 128 * MiB },
  },
  team: {
    id: 'team',
    name: 'Team',
    prices: { month: 1_900, year: 19_000 },
    tokenAllowance: 5_000_000,
    creditsAllowed: true,
    minSeats: 2,
    maxSeats: 100,
    limits: { sessions: 200, events: 10_000, enrichments: 100, storage: 512 * MiB },
  },
  business: {
    id: 'business',
    name: 'Business',
    prices: { month: 3_900, year: 39_000 },
    tokenAllowance: 20_000_000,
    creditsAllowed: true,
    minSeats: 5,
    maxSeats: 500,
    limits: { sessions: 1_000, events: 100_000, enrichments: 1_000, storage: 5 * GiB },
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    prices: { month: 7_900, year: 79_000 },
    tokenAllowance: null,
    creditsAllowed: true,
    minSeats: 10,
    maxSeats: null,
    limits: { sessions: null, events: null, enrichments: null, storage: null },
  },
};
