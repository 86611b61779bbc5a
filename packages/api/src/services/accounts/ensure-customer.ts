import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';
import { stripeGateway } from '../../stripe/gateway';
import { claimStripeCustomerId, findCustomerDetails, findStripeCustomerId } from '../../store/accounts';

/**
 * The account's Stripe customer, created on first use. Concurrent first uses create one customer (Stripe
 * dedupes on the account's key) and the first to store it wins, so every caller gets the stored one.
 */
export async function ensureCustomer(
  deps: Pick<BillingDeps, 'database' | 'stripe'>,
  accountId: string,
): Promise<string> {
  const { db } = deps.database;
  const stored = await findStripeCustomerId(db, accountId);
  if (stored) return stored;
  const account = await findCustomerDetails(db, accountId);
  if (!account) throw new DomainError('NOT_FOUND', `Account ${accountId} not found`);
  const created = await stripeGateway(deps.stripe).createCustomer({
    accountId,
    name: account.name,
    email: account.ownerEmail,
  });
  if (await claimStripeCustomerId(db, accountId, created)) return created;
  return (await findStripeCustomerId(db, accountId)) ?? created;
}
