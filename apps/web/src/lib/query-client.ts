import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isUnauthorized } from './errors';
import { onQuerySuccess, recoveryInterval } from './recovery';

const ME_KEY = [['account', 'me']];

// A session that expires mid-use surfaces on whichever call comes next; re-asking who we are lets the
// app fall back to the sign-in screen once, instead of showing an error in every panel.
function onAnyError(client: QueryClient, err: unknown, key?: readonly unknown[]): void {
  const isMe = JSON.stringify(key?.[0]) === JSON.stringify(ME_KEY[0]);
  if (isUnauthorized(err) && !isMe) void client.invalidateQueries({ queryKey: ME_KEY });
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => onAnyError(client, err, query.queryKey),
      onSuccess: (_data, query) => onQuerySuccess(client, query),
    }),
    mutationCache: new MutationCache({ onError: (err) => onAnyError(client, err) }),
    defaultOptions: {
      queries: {
        // Billing state changes elsewhere (Stripe, other services): refetch whenever the page is looked at again.
        staleTime: 0,
        refetchOnWindowFocus: true,
        refetchOnMount: true,
        // A failed read shows at once. If the service could not be reached, the panel asks again by itself
        // (recoveryInterval); any other failure is an answer that would only come back the same.
        retry: false,
        refetchInterval: recoveryInterval,
      },
      // Never sent twice by the client: a repeated purchase must come from the person, with its key.
      mutations: { retry: false },
    },
  });
  return client;
}
