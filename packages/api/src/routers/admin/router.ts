import { createAccount } from './create-account';
import { createSignInLink } from './create-sign-in-link';
import { getAccount } from './get-account';
import { listAccounts } from './list-accounts';
import { adminWebhooksRouter } from './webhooks-router';

/** The operator API, `/api/admin/*`: only with BILLING_ADMIN_TOKEN set, and only for callers presenting it. */
export const adminRouter = {
  accounts: {
    create: createAccount,
    list: listAccounts,
    get: getAccount,
    createSignInLink,
  },
  ...adminWebhooksRouter,
};
