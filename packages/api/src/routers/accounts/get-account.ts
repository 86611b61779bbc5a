import { DomainError } from '@contox/core';
import { z } from 'zod';
import { findMemberWithAccount } from '../../store/accounts';
import { readProcedure } from '../trpc';
import { meView } from './get-account.types';

export const getMe = readProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api/account',
      tags: ['account'],
      summary: 'Who is calling: account, member and role',
      protect: true,
    },
  })
  .input(z.object({}))
  .output(meView)
  .query(async ({ ctx }) => {
    const row = await findMemberWithAccount(ctx.deps.database.db, ctx.principal.memberId);
    if (!row) throw new DomainError('NOT_FOUND', 'Member not found');
    return {
      account: { id: row.account.id, name: row.account.name, plan: row.account.plan },
      member: { id: row.member.id, name: row.member.name, email: row.member.email, role: row.member.role },
      via: ctx.principal.via,
    };
  });
