import type { Database, Executor } from '@contox/db';
import { insertApiKey } from '../../store/members-keys';
import { API_KEY_PREFIX, displayPrefix, generateSecret, type Scope, sha256 } from './keys';

export interface IssuedApiKey {
  id: string;
  /** The secret, shown once: only its hash is kept. */
  key: string;
}

export async function issueApiKey(
  db: Executor,
  input: { accountId: string; memberId: string; name: string; scopes: Scope[]; secret?: string },
): Promise<IssuedApiKey> {
  const key = input.secret ?? generateSecret(API_KEY_PREFIX);
  const id = await insertApiKey(db, {
    accountId: input.accountId,
    memberId: input.memberId,
    name: input.name,
    hash: sha256(key),
    prefix: displayPrefix(key),
    scopes: input.scopes,
  });
  return { id, key };
}

/** Returns the secret once; only its hash is kept. */
export async function createApiKey(
  db: Database,
  input: { accountId: string; memberId: string; name: string; scopes: Scope[]; secret?: string },
): Promise<string> {
  return (await issueApiKey(db, input)).key;
}
