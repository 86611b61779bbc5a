import type { Database } from '@contox/db';
import { createApiKey, issueApiKey } from '../auth/create-api-key';
import { ALL_SCOPES, sha256 } from '../auth/keys';
import { createSignInLink } from '../auth/sign-in';
import { apiKeyHashExists, findOwnerByEmail, revokeApiKeysNamed, takeTransactionLock } from '../../store/accounts';
import { findDemoAccountOwner, findLiveDemoKey, saveDemoKey } from '../../store/members-keys';
import { createAccount } from './create-account';

const DEMO_KEY_NAME = 'demo key (printed at start)';
const DEMO_OWNER_EMAIL = 'owner@demo.contox.dev';
const SEED_LOCK = 7_243_002;

export interface DemoAccess {
  accountId: string;
  apiKey: string;
  signInToken: string;
  created: boolean;
}

/**
 * Demo mode only (the embedded database, or BILLING_DEMO=1): the first start on an empty database creates the
 * demo account. Every start prints the same working key: the bootstrap key when one is configured, otherwise
 * the demo key made once and kept (in clear, in demo_access: the one key not stored as a hash alone). A new
 * one replaces it only after someone revoked it.
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

type Owner = { accountId: string; memberId: string };

async function bootstrapKey(db: Database, owner: Owner, secret: string): Promise<string> {
  if (!(await apiKeyHashExists(db, sha256(secret)))) {
    await createApiKey(db, { ...owner, name: 'bootstrap key', scopes: ALL_SCOPES, secret });
  }
  return secret;
}

async function newDemoKey(db: Database, owner: Owner, now: Date): Promise<string> {
  // Keys printed by earlier versions, one per start, stop working.
  await revokeApiKeysNamed(db, DEMO_KEY_NAME, now);
  const issued = await issueApiKey(db, { ...owner, name: DEMO_KEY_NAME, scopes: ALL_SCOPES });
  await saveDemoKey(db, issued.id, issued.key);
  return issued.key;
}

async function seed(db: Database, opts: { bootstrapApiKey?: string | undefined; now: Date }): Promise<DemoAccess> {
  // The demo account is the demo key's, or, made before the key was kept, the one of the demo owner's email:
  // never an operator's account, whose key this would print.
  const existing = (await findDemoAccountOwner(db)) ?? (await findOwnerByEmail(db, DEMO_OWNER_EMAIL));
  const owner = existing
    ? existing
    : await createAccount(db, {
        name: 'Demo account',
        ownerEmail: DEMO_OWNER_EMAIL,
        ownerName: 'Demo Owner',
        createdAt: opts.now,
      }).then((a) => ({ accountId: a.accountId, memberId: a.ownerId }));

  const apiKey = opts.bootstrapApiKey
    ? await bootstrapKey(db, owner, opts.bootstrapApiKey)
    : ((await findLiveDemoKey(db)) ?? (await newDemoKey(db, owner, opts.now)));
  const signInToken = await createSignInLink(db, owner.memberId, opts.now);
  return { accountId: owner.accountId, apiKey, signInToken, created: !existing };
}
