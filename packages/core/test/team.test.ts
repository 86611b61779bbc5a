import { describe, expect, it } from 'vitest';
import {
  assertMayChangeRole,
  assertMayManageTeam,
  assertMayRemove,
  assertMayTransferOwnership,
  scopesForNewKey,
  type TeamRole,
} from '../src/index';

const ROLES: TeamRole[] = ['owner', 'admin', 'member'];
const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('the rules of a team', () => {
  it('owners and admins manage the team; members do not', () => {
    expect(ROLES.map((r) => codeOf(() => assertMayManageTeam(r)))).toEqual([null, null, 'FORBIDDEN']);
  });

  it('nobody changes the owner’s role or makes an owner by a role change; the rest is for owners and admins', () => {
    for (const actor of ROLES) {
      for (const target of ROLES) {
        for (const role of ROLES) {
          const allowed = actor !== 'member' && target !== 'owner' && role !== 'owner';
          expect(
            codeOf(() => assertMayChangeRole(actor, target, role)),
            `${actor} ${target}→${role}`,
          ).toBe(allowed ? null : 'FORBIDDEN');
        }
      }
    }
  });

  it('nobody removes the owner', () => {
    for (const actor of ROLES) {
      for (const target of ROLES) {
        const allowed = actor !== 'member' && target !== 'owner';
        expect(
          codeOf(() => assertMayRemove(actor, target)),
          `${actor} removes ${target}`,
        ).toBe(allowed ? null : 'FORBIDDEN');
      }
    }
  });

  it('only the owner transfers ownership, and only to someone else', () => {
    expect(codeOf(() => assertMayTransferOwnership('owner', 'mem_a', 'mem_b'))).toBeNull();
    expect(codeOf(() => assertMayTransferOwnership('owner', 'mem_a', 'mem_a'))).toBe('CONFLICT');
    expect(codeOf(() => assertMayTransferOwnership('admin', 'mem_a', 'mem_b'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayTransferOwnership('member', 'mem_a', 'mem_b'))).toBe('FORBIDDEN');
  });

  it('a new key gets the requested scopes in a stable order, never one its creator lacks', () => {
    expect(scopesForNewKey(['usage', 'read', 'usage'], ['read', 'billing', 'usage'])).toEqual(['read', 'usage']);
    expect(scopesForNewKey(['billing'], ['billing'])).toEqual(['billing']);
    expect(codeOf(() => scopesForNewKey(['read', 'billing'], ['billing']))).toBe('FORBIDDEN');
  });
});
