import { addAccountMember } from '../../services/team/members';
import { ownerOrAdminProcedure } from '../trpc';
import { addMemberInput, addMemberMeta, addMemberOutput } from './add-member.types';

export const addMember = ownerOrAdminProcedure
  .meta(addMemberMeta)
  .input(addMemberInput)
  .output(addMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const added = await addAccountMember(
      ctx.deps.database.db,
      ctx.principal,
      { ...input, email: input.email.toLowerCase(), appUrl: ctx.deps.config.appUrl },
      ctx.deps.now(),
    );
    ctx.reply.status = 201;
    return added;
  });
