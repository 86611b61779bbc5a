import { type Database, schema } from '@contox/db';
import { newId } from '../ids';

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
    await tx.insert(schema.accounts).values({ id: accountId, name: input.name, createdAt: input.createdAt });
    await tx.insert(schema.members).values({
      id: ownerId,
      accountId,
      email: input.ownerEmail,
      name: input.ownerName,
      role: 'owner',
      createdAt: input.createdAt,
    });
    await tx.insert(schema.creditBalances).values({ accountId, balance: 0 });
  });
  return { accountId, ownerId };
}

export async function addMember(
  db: Database,
  input: { accountId: string; email: string; name: string; role: 'admin' | 'member' },
): Promise<string> {
  const id = newId('mem');
  await db.insert(schema.members).values({ id, ...input });
  return id;
}
