import { removeMember as remove } from '../../services/team/members';
import { ownerOrAdminProcedure } from '../trpc';
import { removeMemberInput, removeMemberMeta, removeMemberOutput } from './remove-member.types';

export const removeMember = ownerOrAdminProcedure
  .meta(removeMemberMeta)
  .input(removeMemberInput)
  .output(removeMemberOutput)
  .mutation(({ ctx, input }) => remove(ctx.deps.database.db, ctx.principal, input.id));
