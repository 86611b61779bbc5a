import { operatorSignInLink } from '../../services/accounts/operator-accounts';
import { adminApiProcedure } from '../trpc';
import { createSignInLinkInput, createSignInLinkMeta, createSignInLinkOutput } from './create-sign-in-link.types';

export const createSignInLink = adminApiProcedure
  .meta(createSignInLinkMeta)
  .input(createSignInLinkInput)
  .output(createSignInLinkOutput)
  .mutation(({ ctx, input }) =>
    operatorSignInLink(
      ctx.deps.database.db,
      { accountId: input.accountId, email: input.email.toLowerCase(), appUrl: ctx.deps.config.appUrl },
      ctx.deps.now(),
    ),
  );
