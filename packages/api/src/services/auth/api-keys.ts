import { DomainError, scopesForNewKey } from '@contox/core';
import type { Database } from '@contox/db';
import { listLiveApiKeys, revokeAccountApiKey } from '../../store/members-keys';
import { apiTime } from '../../time';
import { issueApiKey } from './create-api-key';
import type { Scope } from './keys';
import type { Principal } from './principal';
import { forgetCredentials } from './principal-cache';

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The account's live keys: what they are for and when they were last used, never their secrets. */
export async function listApiKeys(db: Database, principal: Principal): Promise<{ apiKeys: ApiKeyView[] }> {
  const rows = await listLiveApiKeys(db, principal.accountId);
  return {
    apiKeys: rows.map((k) => ({
      id: k.id,
      name: k.name,
      scopes: k.scopes as Scope[],
      prefix: k.prefix,
      createdAt: apiTime(k.createdAt),
      lastUsedAt: k.lastUsedAt ? apiTime(k.lastUsedAt) : null,
    })),
  };
}

/** A new key of the caller's account, held by the caller; the secret is in this answer only. */
export async function createAccountApiKey(
  db: Database,
  principal: Principal,
  input: { name: string; scopes: Scope[] },
): Promise<{ id: string; name: string; scopes: Scope[]; key: string }> {
  const scopes = scopesForNewKey(input.scopes, principal.scopes);
  const issued = await issueApiKey(db, {
    accountId: principal.accountId,
    memberId: principal.memberId,
    name: input.name,
    scopes,
  });
  return { id: issued.id, name: input.name, scopes, key: issued.key };
}

/**
 * Revokes one of the account's keys: at once in this process (the principal cache forgets it; sessions started
 * with it are looked up on every request and end with it). Another account's key id is unknown here: 404.
 */
export async function revokeApiKey(
  db: Database,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ id: string; revoked: true }> {
  if (!(await revokeAccountApiKey(db, principal.accountId, id, now))) {
    throw new DomainError('NOT_FOUND', `No API key ${id} in this account`);
  }
  forgetCredentials(db, { apiKeyId: id });
  return { id, revoked: true };
}
