import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

export interface BillingRole {
  /** Whether billing actions are allowed; the server enforces the same rule. */
  canManage: boolean;
  role: string;
}

export function useBillingRole(): BillingRole {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions({}));
  const role = me.data?.member.role ?? 'member';
  return { canManage: role === 'owner', role };
}
