import { ensureCustomer } from '../../services/accounts/ensure-customer';
import { stripeGateway } from '../../stripe/gateway';
import { ownerProcedure } from '../trpc';
import { allowedRedirect } from '../../services/subscriptions/redirect-url';
import { portalInput, urlResult } from './subscriptions.types';

export const openPortal = ownerProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/api/billing/portal',
      tags: ['subscription'],
      summary: 'Open the Stripe billing portal: payment methods, invoices, subscription changes',
      protect: true,
      errorResponses: { 400: 'A returnUrl off this app', 403: 'Not the account owner', 503: 'Stripe unavailable' },
    },
  })
  .input(portalInput)
  .output(urlResult)
  .mutation(async ({ ctx, input }) => {
    const { deps, principal } = ctx;
    const returnUrl = allowedRedirect(deps.config, 'returnUrl', input.returnUrl, `${deps.config.appUrl}/billing/plan`);
    const customerId = await ensureCustomer(deps, principal.accountId);
    return { url: await stripeGateway(deps.stripe).portal({ customerId, returnUrl }) };
  });
