import type { Database } from '@contox/db';
import { createApiKey } from '../auth/create-api-key';
import { ALL_SCOPES, sha256 } from '../auth/keys';
import { createSignInLink } from '../auth/sign-in';
import { apiKeyHashExists, findFirstOwner, revokeApiKeysNamed, takeTransactionLock } from '../../store/accounts';
import { createAccount } from './create-account';

const DEMO_KEY_NAME = 'demo key (printed at start)';
const SEED_LOCK = 7_243_002;

export interface DemoAccess {
  accountId: string;
  apiKey: string;
  signInToken: string;
  created: boolean;
}

/**
 * First start on an empty database creates the demo account. Every start prints a working key:
 * the bootstrap key when one is configured, otherwise a fresh one that replaces the last printed one
 * (only hashes are stored, so an old key cannot be shown again).
 */
export function ensureDemoAccess(
  db: Database,
  opts: { bootstrapApiKey?: string | undefined; now: Date },
): Promise<DemoAccess> {
  // Servers started together on one database would each create a demo account and insert the same
  // bootstrap key (a unique hash: all but one crash). One at a time, the later ones find the first one's.
  return db.transaction(async (tx) => {
    await takeTransactionLock(tx, SEED_LOCK);
    return seed(tx as unknown as Database, opts);
  });
}

async function seed(db: Database, opts: { bootstrapApiKey?: string | undefined; now: Date }): Promise<DemoAccess> {
  const existing = await findFirstOwner(db);
  const owner = existing
    ? existing
    : await createAccount(db, {
        name: 'Demo account',
        ownerEmail: 'owner@demo.contox.dev',
        ownerName: 'Demo Owner',
        createdAt: opts.now,
      }).then((a) => ({ accountId: a.accountId, memberId: a.ownerId }));

  let apiKey: string;
  if (opts.bootstrapApiKey) {
    apiKey = opts.bootstrapApiKey;
    if (!(await apiKeyHashExists(db, sha256(apiKey))))
      await createApiKey(db, { ...owner, name: 'bootstrap key', scopes: ALL_SCOPES, secret: apiKey });
  } else {
    await revokeApiKeysNamed(db, DEMO_KEY_NAME, opts.now);
    apiKey = await createApiKey(db, { ...owner, name: DEMO_KEY_NAME, scopes: ALL_SCOPES });
  }
  const signInToken = await createSignInLink(db, owner.memberId, opts.now);
  return { accountId: owner.accountId, apiKey, signInToken, created: !existing };
}
