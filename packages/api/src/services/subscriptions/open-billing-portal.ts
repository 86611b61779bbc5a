import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { portalConfigurationId } from '../../stripe/portal-configuration';
import { ensureCustomer } from '../accounts/ensure-customer';
import { allowedRedirect } from './redirect-url';

export interface PortalRequest {
  returnUrl?: string | undefined;
}

export interface PortalResult {
  url: string;
}

/** A Stripe billing portal session for the account's customer (created on first use). */
export async function openBillingPortal(
  deps: Pick<BillingDeps, 'catalog' | 'config' | 'database' | 'stripe'>,
  accountId: string,
  request: PortalRequest,
): Promise<PortalResult> {
  const fallback = `${deps.config.appUrl}/billing/plan`;
  const returnUrl = allowedRedirect(deps.config, 'returnUrl', request.returnUrl, fallback);
  const customerId = await ensureCustomer(deps, accountId);
  const configuration = await portalConfigurationId(deps.stripe, deps.catalog);
  return { url: await stripeGateway(deps.stripe).portal({ customerId, returnUrl, configuration }) };
}
