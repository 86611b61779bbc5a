import { DomainError } from '@contox/core';
import { schema } from '@contox/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { readProcedure } from '../trpc';
import { meView } from './account-schemas';

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
    const [row] = await ctx.deps.database.db
      .select({ account: schema.accounts, member: schema.members })
      .from(schema.members)
      .innerJoin(schema.accounts, eq(schema.accounts.id, schema.members.accountId))
      .where(eq(schema.members.id, ctx.principal.memberId));
    if (!row) throw new DomainError('NOT_FOUND', 'Member not found');
    return {
      account: { id: row.account.id, name: row.account.name, plan: row.account.plan },
      member: { id: row.member.id, name: row.member.name, email: row.member.email, role: row.member.role },
      via: ctx.principal.via,
    };
  });
