import type { Database } from '@contox/db';
import { insertApiKey } from '../../store/members-keys';
import { API_KEY_PREFIX, displayPrefix, generateSecret, type Scope, sha256 } from './keys';

/** Returns the secret once; only its hash is kept. */
export async function createApiKey(
  db: Database,
  input: { accountId: string; memberId: string; name: string; scopes: Scope[]; secret?: string },
): Promise<string> {
  const secret = input.secret ?? generateSecret(API_KEY_PREFIX);
  await insertApiKey(db, {
    accountId: input.accountId,
    memberId: input.memberId,
    name: input.name,
    hash: sha256(secret),
    prefix: displayPrefix(secret),
    scopes: input.scopes,
  });
  return secret;
}
