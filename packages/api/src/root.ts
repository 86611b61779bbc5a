import { creditsRouter } from './credits/router';
import { createRouter } from './trpc';

export const appRouter = createRouter({
  credits: creditsRouter,
});

export type AppRouter = typeof appRouter;
