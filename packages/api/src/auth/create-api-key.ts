import { type Database, schema } from '@contox/db';
import { newId } from '../ids';
import { API_KEY_PREFIX, displayPrefix, generateSecret, type Scope, sha256 } from './keys';

/** Returns the secret once; only its hash is kept. */
export async function createApiKey(
  db: Database,
  input: { accountId: string; memberId: string; name: string; scopes: Scope[]; secret?: string },
): Promise<string> {
  const secret = input.secret ?? generateSecret(API_KEY_PREFIX);
  await db.insert(schema.apiKeys).values({
    id: newId('key'),
    accountId: input.accountId,
    memberId: input.memberId,
    name: input.name,
    hash: sha256(secret),
    prefix: displayPrefix(secret),
    scopes: input.scopes,
  });
  return secret;
}
