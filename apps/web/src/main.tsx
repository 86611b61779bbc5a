import type { AppRouter } from '@contox/api';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ToastProvider } from './components/ToastProvider';
import { createQueryClient } from './lib/query-client';
import { fetchThroughGateway } from './lib/recovery';
import { TRPCProvider } from './trpc';
import './styles.css';

const queryClient = createQueryClient();

// The session cookie rides along; the header proves the request came from this app (CSRF).
const CSRF = { 'X-Contox-CSRF': '1' };

const trpcClient = createTRPCClient<AppRouter>({
  links: [
    // Calls that move money carry their own Idempotency-Key, which a batch (one set of headers) cannot.
    splitLink({
      condition: (op) => typeof op.context.idempotencyKey === 'string',
      true: httpLink({
        url: '/trpc',
        fetch: fetchThroughGateway,
        headers: ({ op }) => ({ ...CSRF, 'Idempotency-Key': String(op.context.idempotencyKey) }),
      }),
      false: httpBatchLink({ url: '/trpc', fetch: fetchThroughGateway, headers: () => CSRF }),
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
