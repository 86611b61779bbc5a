import type { Database } from '@contox/db';
import { newId } from '../../ids';
import { insertAccount, insertMember } from '../../store/accounts';
import { emitAccountCreated } from '../outbox/account-events';

export interface NewAccount {
  accountId: string;
  ownerId: string;
}

/** An account starts on the free plan with its owner and a zero balance row (spends lock that row). */
export async function createAccount(
  db: Database,
  input: { name: string; ownerEmail: string; ownerName: string; createdAt: Date },
): Promise<NewAccount> {
  const accountId = newId('acc');
  const ownerId = newId('mem');
  await db.transaction(async (tx) => {
    await insertAccount(tx, { accountId, ownerId, ...input });
    await emitAccountCreated(tx, { accountId, ...input });
  });
  return { accountId, ownerId };
}

export async function addMember(
  db: Database,
  input: { accountId: string; email: string; name: string; role: 'admin' | 'member' },
): Promise<string> {
  const id = newId('mem');
  await insertMember(db, { id, ...input });
  return id;
}
