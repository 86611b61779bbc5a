import { z } from 'zod';
import type { AccountView } from '../../services/accounts/read-account';
import type { BillingMeta } from '../contract-meta';

export const getAccountMeta: BillingMeta = {
  openapi: {
    method: 'GET',
    path: '/api/account',
    tags: ['account'],
    summary: 'Who is calling: account, member and role',
    protect: true,
  },
  examples: {
    output: {
      account: { id: 'acc_4fT9kLm2Qx8Rz1Vb7NwE', name: 'Acme', plan: 'team' },
      member: { id: 'mem_8JdQ2nVx5Lr0Tk3Hs9Pw', name: 'Ada Lovelace', email: 'ada@acme.test', role: 'owner' },
      via: 'api_key',
    },
  },
};

export const getAccountInput = z.object({});

export const getAccountOutput = z.object({
  account: z.object({ id: z.string(), name: z.string(), plan: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['owner', 'admin', 'member']) }),
  via: z.enum(['api_key', 'session']),
}) satisfies z.ZodType<AccountView>;
