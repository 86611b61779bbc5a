import { DomainError } from '@contox/core';
import type { Database } from '@contox/db';
import { findMemberWithAccount } from '../../store/accounts';
import type { Principal, Role } from '../auth/principal';

export interface AccountView {
  account: { id: string; name: string; plan: string };
  member: { id: string; name: string; email: string; role: Role };
  via: Principal['via'];
}

/** Who is calling: the account and member behind the principal, and how they authenticated. */
export async function readAccount(db: Database, principal: Principal): Promise<AccountView> {
  const row = await findMemberWithAccount(db, principal.memberId);
  if (!row) throw new DomainError('NOT_FOUND', 'Member not found');
  return {
    account: { id: row.account.id, name: row.account.name, plan: row.account.plan },
    member: { id: row.member.id, name: row.member.name, email: row.member.email, role: row.member.role },
    via: principal.via,
  };
}
