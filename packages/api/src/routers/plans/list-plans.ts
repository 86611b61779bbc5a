import { listCatalogue } from '../../services/plans/list-plans';
import { publicProcedure } from '../trpc';
import { listPlansInput, listPlansMeta, listPlansOutput } from './list-plans.types';

export const listPlans = publicProcedure
  .meta(listPlansMeta)
  .input(listPlansInput)
  .output(listPlansOutput)
  .query(({ ctx }) => listCatalogue(ctx.deps.catalog));
