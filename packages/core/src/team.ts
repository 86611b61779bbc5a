import { DomainError } from './errors';

/**
 * Who may change an account's team and keys. Exactly one owner: nobody removes or demotes them, and only they
 * hand the account to someone else. Owners and admins manage members and API keys; members only use them.
 */
export type TeamRole = 'owner' | 'admin' | 'member';

/** The scopes an API key may carry. */
export const API_KEY_SCOPES = ['read', 'billing', 'usage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

/** Members, API keys: owners and admins manage them. */
export function assertMayManageTeam(actor: TeamRole): void {
  if (actor === 'member') {
    throw forbidden('Only the owner or an admin may manage members and API keys (you are member)');
  }
}

/** A role change of `target` to `role`, by `actor`: never the owner's, and never to owner (that is a transfer). */
export function assertMayChangeRole(actor: TeamRole, target: TeamRole, role: TeamRole): void {
  assertMayManageTeam(actor);
  if (target === 'owner') {
    throw forbidden("The owner's role cannot be changed: the owner transfers ownership to another member instead");
  }
  if (role === 'owner') throw forbidden('A member becomes owner only by a transfer of ownership from the owner');
}

/** Removing `target` from the account, by `actor`: the owner stays. */
export function assertMayRemove(actor: TeamRole, target: TeamRole): void {
  assertMayManageTeam(actor);
  if (target === 'owner') throw forbidden('The owner cannot be removed: transfer ownership first');
}

/** Handing the account to another member: only the owner, and only to someone else. */
export function assertMayTransferOwnership(actor: TeamRole, actorMemberId: string, targetMemberId: string): void {
  if (actor !== 'owner') throw forbidden(`Only the owner may transfer ownership (you are ${actor})`);
  if (actorMemberId === targetMemberId) {
    throw new DomainError('CONFLICT', 'You already own this account: name another member');
  }
}

/**
 * The scopes of a new key, in a stable order without repeats. A key made by a caller that is itself a key can
 * never hold a scope that key lacks, so a narrow key cannot mint a wider one.
 */
export function scopesForNewKey(
  requested: readonly ApiKeyScope[],
  callerScopes: readonly ApiKeyScope[],
): ApiKeyScope[] {
  const wanted = API_KEY_SCOPES.filter((s) => requested.includes(s));
  const missing = wanted.filter((s) => !callerScopes.includes(s));
  if (missing.length > 0) {
    throw forbidden(`A key cannot grant scopes its creator lacks: ${missing.join(', ')}`);
  }
  return wanted;
}
