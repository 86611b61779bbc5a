import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

export function App() {
  const trpc = useTRPC();
  const credits = useQuery(trpc.credits.get.queryOptions({ limit: 20 }));
  return (
    <main>
      <h1>Billing</h1>
      {credits.isPending && <p>Loading…</p>}
      {credits.error && <p role="alert">{credits.error.message}</p>}
      {credits.data && (
        <p>
          Credit balance: <strong data-testid="balance">{credits.data.balance.toLocaleString('en')}</strong> tokens
        </p>
      )}
    </main>
  );
}
