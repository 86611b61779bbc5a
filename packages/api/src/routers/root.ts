import { accountRouter } from './accounts/router';
import { creditsRouter } from './credits/router';
import { plansRouter } from './plans/router';
import { subscriptionRouter } from './subscriptions/router';
import { createRouter } from './trpc';
import { usageRouter } from './usage/router';

export const appRouter = createRouter({
  account: accountRouter,
  credits: creditsRouter,
  plans: plansRouter,
  subscription: subscriptionRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
