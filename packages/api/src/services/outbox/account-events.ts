import type { Executor } from '@contox/db';
import { emitEvent } from './emit-event';

/**
 * `account.created`, in the transaction that inserted the account: the account as the operator API shows it.
 * Every path that creates an account calls it right after the insert.
 */
export function emitAccountCreated(
  tx: Executor,
  account: { accountId: string; name: string; externalId?: string | null | undefined; createdAt: Date },
): Promise<void> {
  const { accountId, name, createdAt } = account;
  const data = { id: accountId, name, plan: 'free', externalId: account.externalId ?? null, createdAt };
  return emitEvent(tx, { accountId, type: 'account.created', data }, createdAt);
}
