import { listPlans } from './list-plans';

export const plansRouter = {
  list: listPlans,
};
