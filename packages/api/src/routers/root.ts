import { accountRouter } from './accounts/router';
import { adminRouter } from './admin/router';
import { creditsRouter } from './credits/router';
import { devRouter } from './dev/router';
import { plansRouter } from './plans/router';
import { subscriptionRouter } from './subscriptions/router';
import { apiKeysRouter, membersRouter } from './team/router';
import { createRouter } from './trpc';
import { usageRouter } from './usage/router';

export const appRouter = createRouter({
  account: accountRouter,
  admin: adminRouter,
  apiKeys: apiKeysRouter,
  members: membersRouter,
  credits: creditsRouter,
  dev: devRouter,
  plans: plansRouter,
  subscription: subscriptionRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
