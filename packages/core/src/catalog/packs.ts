import type { Pack, PackId } from './types';

/** Published prices (Billing API, credits/purchase). */
export const defaultPacks: Record<PackId, Pack> = {
  credits_1m: { id: 'credits_1m', tokens: 1_000_000, price: 500 },
  credits_2_5m: { id: 'credits_2_5m', tokens: 2_500_000, price: 1_000 },
  credits_7m: { id: 'credits_7m', tokens: 7_000_000, price: 2_500 },
  credits_15m: { id: 'credits_15m', tokens: 15_000_000, price: 5_000 },
};
