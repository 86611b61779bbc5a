import type { AppRouter } from '@contox/api';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ToastProvider } from './components/ToastProvider';
import { errorInfo, isUnauthorized } from './lib/errors';
import { TRPCProvider } from './trpc';
import './styles.css';

const ME_KEY = [['account', 'me']];

// A session that expires mid-use surfaces on whichever call comes next; re-asking who we are lets the
// app fall back to the sign-in screen once, instead of showing an error in every panel.
function onAnyError(err: unknown, key?: readonly unknown[]): void {
  const isMe = JSON.stringify(key?.[0]) === JSON.stringify(ME_KEY[0]);
  if (isUnauthorized(err) && !isMe) void queryClient.invalidateQueries({ queryKey: ME_KEY });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => onAnyError(err, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (err) => onAnyError(err) }),
  defaultOptions: {
    queries: {
      // Billing state changes elsewhere (Stripe, other services): refetch whenever the page is looked at again.
      staleTime: 0,
      refetchOnWindowFocus: true,
      refetchOnMount: true,
      // Client errors (4xx) will not fix themselves; one retry covers a dropped connection.
      retry: (count, err) => count < 1 && (errorInfo(err).httpStatus ?? 500) >= 500,
    },
  },
});

// The session cookie rides along; the header proves the request came from this app (CSRF).
const CSRF = { 'X-Contox-CSRF': '1' };

const trpcClient = createTRPCClient<AppRouter>({
  links: [
    // Calls that move money carry their own Idempotency-Key, which a batch (one set of headers) cannot.
    splitLink({
      condition: (op) => typeof op.context.idempotencyKey === 'string',
      true: httpLink({
        url: '/trpc',
        headers: ({ op }) => ({ ...CSRF, 'Idempotency-Key': String(op.context.idempotencyKey) }),
      }),
      false: httpBatchLink({ url: '/trpc', headers: () => CSRF }),
    }),
  ],
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
