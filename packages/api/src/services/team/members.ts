import {
  assertMayChangeRole,
  assertMayManageTeam,
  assertMayRemove,
  assertMayTransferOwnership,
  DomainError,
} from '@contox/core';
import type { Database } from '@contox/db';
import { newId } from '../../ids';
import { lockAccount } from '../../store/accounts';
import {
  deleteMemberAndCredentials,
  findAccountMember,
  insertMemberOnce,
  listMembers,
  type MemberRow,
  setMemberRole,
  swapOwner,
} from '../../store/team';
import { apiTime } from '../../time';
import type { Principal, Role } from '../auth/principal';
import { forgetCredentials } from '../auth/principal-cache';
import { issueSignInLink, signInUrl } from '../auth/sign-in';

export interface MemberView {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

const view = (m: MemberRow): MemberView => ({ ...m, createdAt: apiTime(m.createdAt) });

const notFound = (id: string) => new DomainError('NOT_FOUND', `No member ${id} in this account`);

export async function listAccountMembers(db: Database, principal: Principal): Promise<{ members: MemberView[] }> {
  return { members: (await listMembers(db, principal.accountId)).map(view) };
}

/** A new member and a single-use link that signs them in (to send them; it is not sent from here). */
export async function addAccountMember(
  db: Database,
  principal: Principal,
  input: { email: string; name?: string | undefined; role: 'admin' | 'member'; appUrl: string },
  now: Date,
): Promise<{ member: MemberView; signInUrl: string }> {
  assertMayManageTeam(principal.role);
  const result = await db.transaction(async (tx) => {
    const member = await insertMemberOnce(tx, {
      id: newId('mem'),
      accountId: principal.accountId,
      email: input.email,
      name: input.name ?? input.email.split('@')[0]!,
      role: input.role,
      createdAt: now,
    });
    if (!member) return null;
    return { member, link: await issueSignInLink(tx, member.id, now) };
  });
  if (!result) throw new DomainError('CONFLICT', `${input.email} is already a member of this account`);
  return { member: view(result.member), signInUrl: signInUrl(input.appUrl, result.link.token) };
}

export async function changeMemberRole(
  db: Database,
  principal: Principal,
  input: { id: string; role: 'admin' | 'member' },
): Promise<{ member: MemberView }> {
  const target = await findAccountMember(db, principal.accountId, input.id);
  if (!target) throw notFound(input.id);
  assertMayChangeRole(principal.role, target.role, input.role);
  // Guarded again in the statement: a transfer that made the target owner meanwhile leaves it untouched.
  const changed = await setMemberRole(db, principal.accountId, input.id, input.role);
  if (!changed) throw new DomainError('CONFLICT', 'This member became the owner meanwhile: nothing was changed');
  forgetCredentials(db, { memberId: input.id });
  return { member: view(changed) };
}

/** Removes a member with their sessions, sign-in links and API keys; the owner is never removed. */
export async function removeMember(
  db: Database,
  principal: Principal,
  id: string,
): Promise<{ id: string; removed: true }> {
  const target = await findAccountMember(db, principal.accountId, id);
  if (!target) throw notFound(id);
  assertMayRemove(principal.role, target.role);
  const removed = await db.transaction(async (tx) => {
    const done = await deleteMemberAndCredentials(tx, principal.accountId, id);
    // The member became owner meanwhile: undo the credential deletions too.
    if (!done) throw new DomainError('CONFLICT', 'This member became the owner meanwhile: nothing was changed');
    return done;
  });
  forgetCredentials(db, { memberId: id });
  return { id, removed };
}

/**
 * The owner hands the account to another member and becomes an admin, in one transaction under the account's
 * row lock (concurrent transfers wait for each other, and the second finds its caller no longer owner).
 */
export async function transferOwnership(
  db: Database,
  principal: Principal,
  memberId: string,
): Promise<{ owner: MemberView; previousOwner: MemberView }> {
  assertMayTransferOwnership(principal.role, principal.memberId, memberId);
  await db.transaction(async (tx) => {
    await lockAccount(tx, principal.accountId);
    if (!(await findAccountMember(tx, principal.accountId, memberId))) throw notFound(memberId);
    if (!(await swapOwner(tx, principal.accountId, principal.memberId, memberId))) {
      throw new DomainError('FORBIDDEN', 'Only the owner may transfer ownership: you are no longer the owner');
    }
  });
  forgetCredentials(db, { memberId });
  forgetCredentials(db, { memberId: principal.memberId });
  const [owner, previous] = await Promise.all([
    findAccountMember(db, principal.accountId, memberId),
    findAccountMember(db, principal.accountId, principal.memberId),
  ]);
  return { owner: view(owner!), previousOwner: view(previous!) };
}
