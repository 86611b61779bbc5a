import { onboardAccount } from '../../services/accounts/operator-accounts';
import { adminApiProcedure } from '../trpc';
import { createAccountInput, createAccountMeta, createAccountOutput } from './create-account.types';

export const createAccount = adminApiProcedure
  .meta(createAccountMeta)
  .input(createAccountInput)
  .output(createAccountOutput)
  .mutation(async ({ ctx, input }) => {
    const owner = { ...input.owner, email: input.owner.email.toLowerCase() };
    const { created, ...answer } = await onboardAccount(ctx.deps.database.db, { ...input, owner }, ctx.deps.now());
    ctx.reply.status = created ? 201 : 200;
    return answer;
  });
