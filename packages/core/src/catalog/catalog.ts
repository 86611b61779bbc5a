import { invalidSeats, unknownPack, unknownPlan } from '../errors';
import { defaultPacks } from './packs';
import { defaultPlans } from './plans';
import type { Catalog, Pack, Plan } from './types';

/** Catalogues are shared by every request; freezing makes an accidental mutation fail loudly instead of leaking. */
export function freezeCatalog(catalog: Catalog): Catalog {
  for (const plan of Object.values(catalog.plans)) {
    Object.freeze(plan.prices);
    Object.freeze(plan.limits);
    Object.freeze(plan);
  }
  for (const pack of Object.values(catalog.packs)) Object.freeze(pack);
  Object.freeze(catalog.plans);
  Object.freeze(catalog.packs);
  return Object.freeze(catalog);
}

export const defaultCatalog: Catalog = freezeCatalog({ plans: defaultPlans, packs: defaultPacks });

/** Ids arrive from requests and Stripe metadata; `hasOwn` keeps `toString` and friends from resolving. */
export function getPlan(catalog: Catalog, id: string): Plan {
  const plan = Object.hasOwn(catalog.plans, id) ? catalog.plans[id as keyof Catalog['plans']] : undefined;
  if (plan === undefined) throw unknownPlan(id);
  return plan;
}

/** The pack, or undefined for an id the catalogue does not sell (an operator may have removed it). */
export function findPack(catalog: Catalog, id: string): Pack | undefined {
  return Object.hasOwn(catalog.packs, id) ? catalog.packs[id as keyof Catalog['packs']] : undefined;
}

export function getPack(catalog: Catalog, id: string): Pack {
  const pack = findPack(catalog, id);
  if (pack === undefined) throw unknownPack(id);
  return pack;
}

/** Paid means purchasable through Stripe; the override validation keeps this equivalent to `id !== 'free'`. */
export const isPaidPlan = (plan: Plan): boolean => plan.prices.month !== null || plan.prices.year !== null;

/** Seats when the caller names none: what the account has now (else one), brought within the plan's range. */
export function defaultSeats(plan: Plan, current: number | null): number {
  const wanted = Math.max(current ?? 1, plan.minSeats);
  return plan.maxSeats === null ? wanted : Math.min(wanted, plan.maxSeats);
}

export function validateSeats(plan: Plan, seats: number): number {
  const ok =
    Number.isSafeInteger(seats) && seats >= plan.minSeats && (plan.maxSeats === null || seats <= plan.maxSeats);
  if (!ok) throw invalidSeats(plan.id, seats, plan.minSeats, plan.maxSeats);
  return seats;
}
