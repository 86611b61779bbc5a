import { transferOwnership as transfer } from '../../services/team/members';
import { ownerProcedure } from '../trpc';
import { transferOwnershipInput, transferOwnershipMeta, transferOwnershipOutput } from './transfer-ownership.types';

export const transferOwnership = ownerProcedure
  .meta(transferOwnershipMeta)
  .input(transferOwnershipInput)
  .output(transferOwnershipOutput)
  .mutation(({ ctx, input }) => transfer(ctx.deps.database.db, ctx.principal, input.memberId));
