import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { AccountView } from '../../services/accounts/read-account';

export const getAccountMeta: OpenApiMeta = {
  openapi: {
    method: 'GET',
    path: '/api/account',
    tags: ['account'],
    summary: 'Who is calling: account, member and role',
    protect: true,
  },
};

export const getAccountInput = z.object({});

export const getAccountOutput = z.object({
  account: z.object({ id: z.string(), name: z.string(), plan: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['owner', 'admin', 'member']) }),
  via: z.enum(['api_key', 'session']),
}) satisfies z.ZodType<AccountView>;
