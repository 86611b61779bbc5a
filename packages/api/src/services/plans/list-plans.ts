import { type Catalog, PACK_IDS, PLAN_IDS, type Pack, type Plan } from '@contox/core';

export interface PlanCatalogue {
  plans: Plan[];
  packs: Pack[];
}

/** The catalogue in its fixed order (plans from free upward, packs from smallest), as the API serves it. */
export function listCatalogue(catalog: Catalog): PlanCatalogue {
  return {
    plans: PLAN_IDS.map((id) => catalog.plans[id]),
    packs: PACK_IDS.map((id) => catalog.packs[id]),
  };
}
