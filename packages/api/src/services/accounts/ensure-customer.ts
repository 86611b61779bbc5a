import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { claimStripeCustomerId, findCustomerDetails, findStripeCustomerId } from '../../store/accounts';
import { forgetStaleCustomer } from './stale-stripe';

/**
 * The account's Stripe customer, created on first use. Concurrent first uses create one customer (Stripe
 * dedupes on the account's key) and the first to store it wins, so every caller gets the stored one. A stored
 * customer Stripe no longer has (deleted on its side) is cleared with the subscriptions it held, and replaced.
 */
export async function ensureCustomer(
  // Callers narrow their deps to what they use; the clock and the log only serve clearing a stale customer.
  deps: Pick<BillingDeps, 'database' | 'stripe'> & Partial<Pick<BillingDeps, 'now' | 'log'>>,
  accountId: string,
): Promise<string> {
  const { db } = deps.database;
  const gateway = stripeGateway(deps.stripe);
  const stored = await findStripeCustomerId(db, accountId);
  if (stored && (await gateway.customerExists(stored))) return stored;
  if (stored) await forgetStaleCustomer(deps, accountId, stored);
  const account = await findCustomerDetails(db, accountId);
  if (!account) throw new DomainError('NOT_FOUND', `Account ${accountId} not found`);
  const created = await gateway.createCustomer({
    accountId,
    name: account.name,
    email: account.ownerEmail,
    ...(stored ? { replaces: stored } : {}),
  });
  if (await claimStripeCustomerId(db, accountId, created)) return created;
  return (await findStripeCustomerId(db, accountId)) ?? created;
}
