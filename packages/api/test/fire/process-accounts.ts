import { type Database, schema } from '@contox/db';
import { eq } from 'drizzle-orm';
import { sha256 } from '../../src/services/auth/keys';

/** The account a server process printed (or was given) a key for. */
export async function accountOfKey(db: Database, apiKey: string): Promise<string> {
  const [row] = await db
    .select({ accountId: schema.apiKeys.accountId })
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.hash, sha256(apiKey)));
  if (!row) throw new Error('unknown API key');
  return row.accountId;
}

/** Every spend key the ledger holds for an account, as the `spend:<account>:<key>` references the service writes. */
export async function spentKeys(db: Database, accountId: string): Promise<Set<string>> {
  const rows = await db
    .select({ ref: schema.creditTransactions.externalRef })
    .from(schema.creditTransactions)
    .where(eq(schema.creditTransactions.accountId, accountId));
  const prefix = `spend:${accountId}:`;
  return new Set(rows.flatMap((r) => (r.ref?.startsWith(prefix) ? [r.ref.slice(prefix.length)] : [])));
}
