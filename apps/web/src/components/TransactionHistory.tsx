import { useInfiniteQuery } from '@tanstack/react-query';
import { formatDateTime, formatEuro, formatSignedTokens } from '../lib/format';
import { useTRPC } from '../trpc';
import { EmptyState } from './EmptyState';
import { QueryState } from './QueryState';

const PAGE_SIZE = 20;

const TYPE_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  auto_recharge: 'Auto-recharge',
  usage: 'Usage',
  grant: 'Grant',
  refund: 'Refund',
  adjustment: 'Adjustment',
};

export function TransactionHistory() {
  const trpc = useTRPC();
  const history = useInfiniteQuery(
    trpc.credits.get.infiniteQueryOptions(
      { limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = history.data?.pages.flatMap((p) => p.transactions) ?? [];

  return (
    <QueryState
      what="transactions"
      isPending={history.isPending}
      error={history.error}
      onRetry={() => history.refetch()}
    >
      {rows.length === 0 ? (
        <EmptyState title="No transactions yet">
          Purchases, automatic recharges and usage will be listed here.
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="transactions">
              <caption className="sr-only">Credit transactions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col">Price or description</th>
                  <th scope="col">Date</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={t.id} data-type={t.type}>
                    <td>
                      <span className={`tx-type tx-type--${t.type}`}>{TYPE_LABELS[t.type] ?? t.type}</span>
                    </td>
                    <td className={`num ${t.amount > 0 ? 'positive' : t.amount < 0 ? 'negative' : 'muted'}`}>
                      {formatSignedTokens(t.amount)}
                    </td>
                    <td>
                      {t.price !== undefined ? formatEuro(t.price) : (t.description ?? '—')}
                      {/* A usage row of zero tokens was paid entirely from the plan's allowance. */}
                      {t.type === 'usage' && t.amount === 0 && (
                        <span className="muted"> · covered by plan allowance</span>
                      )}
                    </td>
                    <td>
                      <time dateTime={t.createdAt}>{formatDateTime(t.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-footer">
            <span className="muted">
              {rows.length} transaction{rows.length === 1 ? '' : 's'} shown
            </span>
            {history.hasNextPage && (
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => history.fetchNextPage()}
                disabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
          {history.isFetchNextPageError && (
            <p className="form-error" role="alert">
              Could not load more transactions. Try again.
            </p>
          )}
        </>
      )}
    </QueryState>
  );
}
