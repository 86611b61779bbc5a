import { DomainError } from '@contox/core';
import type { Database } from '@contox/db';
import { newId } from '../../ids';
import { insertAccount, listAccountsWithOwner } from '../../store/accounts';
import { findMemberByEmail } from '../../store/team';
import { apiTime } from '../../time';
import { issueApiKey } from '../auth/create-api-key';
import { ALL_SCOPES, type Scope } from '../auth/keys';
import { emitAccountCreated } from '../outbox/account-events';
import { issueSignInLink, signInUrl } from '../auth/sign-in';

export interface OperatorAccount {
  id: string;
  name: string;
  plan: string;
  externalId: string | null;
  createdAt: string;
  owner: { id: string; email: string; name: string; role: 'owner' };
}

export interface OnboardInput {
  name: string;
  externalId?: string | undefined;
  owner: { email: string; name?: string | undefined };
}

export interface Onboarded {
  /** True when this call created the account; false when its externalId named an existing one. */
  created: boolean;
  account: Omit<OperatorAccount, 'owner' | 'createdAt'>;
  owner: OperatorAccount['owner'];
  apiKey?: { id: string; key: string; scopes: Scope[] };
}

type Row = Awaited<ReturnType<typeof listAccountsWithOwner>>[number];

const view = (row: Row): OperatorAccount => ({
  id: row.id,
  name: row.name,
  plan: row.plan,
  externalId: row.externalId,
  createdAt: apiTime(row.createdAt),
  owner: { ...row.owner, role: 'owner' },
});

const onboarded = (row: Row, apiKey?: Onboarded['apiKey']): Onboarded => {
  const { owner, createdAt: _, ...account } = view(row);
  return { created: apiKey !== undefined, account, owner, ...(apiKey ? { apiKey } : {}) };
};

/**
 * The operator's account creation: the account, its owner and the owner's full-access key, in one transaction.
 * An externalId names the account for good: asking again answers the account it names and creates nothing,
 * also when two asks race (the unique index lets one insert win; the other reads the winner's).
 */
export async function onboardAccount(db: Database, input: OnboardInput, now: Date): Promise<Onboarded> {
  const find = async () => {
    if (input.externalId === undefined) return null;
    const [row] = await listAccountsWithOwner(db, { externalId: input.externalId, limit: 1 });
    return row ?? null;
  };
  const existing = await find();
  if (existing) return onboarded(existing);
  const accountId = newId('acc');
  const memberId = newId('mem');
  const key = await db.transaction(async (tx) => {
    const account = { accountId, ownerId: memberId, name: input.name, createdAt: now, externalId: input.externalId };
    const inserted = await insertAccount(tx, {
      ...account,
      ownerEmail: input.owner.email,
      ownerName: input.owner.name ?? input.owner.email.split('@')[0]!,
    });
    if (!inserted) return null;
    await emitAccountCreated(tx, account);
    return issueApiKey(tx, { accountId, memberId, name: 'owner key (operator API)', scopes: ALL_SCOPES });
  });
  if (!key) return onboarded((await find())!);
  const [row] = await listAccountsWithOwner(db, { accountId, limit: 1 });
  return onboarded(row!, { ...key, scopes: ALL_SCOPES });
}

export const ACCOUNT_PAGE_SIZE = 100;

export async function listOperatorAccounts(
  db: Database,
  filter: { externalId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ accounts: OperatorAccount[]; nextCursor?: string }> {
  const rows = await listAccountsWithOwner(db, {
    ...(filter.externalId !== undefined ? { externalId: filter.externalId } : {}),
    ...(filter.cursor !== undefined ? { after: filter.cursor } : {}),
    limit: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit).map(view);
  return rows.length > filter.limit ? { accounts: page, nextCursor: page.at(-1)!.id } : { accounts: page };
}

export async function getOperatorAccount(db: Database, accountId: string): Promise<OperatorAccount> {
  const [row] = await listAccountsWithOwner(db, { accountId, limit: 1 });
  if (!row) throw new DomainError('NOT_FOUND', `No account ${accountId}`);
  return view(row);
}

/** A single-use link that signs the account's member with this email into the dashboard. */
export async function operatorSignInLink(
  db: Database,
  input: { accountId: string; email: string; appUrl: string },
  now: Date,
): Promise<{ url: string; expiresAt: string }> {
  const member = await findMemberByEmail(db, input.accountId, input.email);
  if (!member) throw new DomainError('NOT_FOUND', `Account ${input.accountId} has no member ${input.email}`);
  const link = await issueSignInLink(db, member.id, now);
  return { url: signInUrl(input.appUrl, link.token), expiresAt: apiTime(link.expiresAt) };
}
