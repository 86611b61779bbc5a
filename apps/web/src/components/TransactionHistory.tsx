import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { errorInfo } from '../lib/errors';
import { formatDateTime, formatEuro, formatSignedTokens } from '../lib/format';
import { ofType, TYPE_LABELS, type Transaction, type TypeFilter, transactionsCsv } from '../lib/history';
import { useTRPC, useTRPCClient } from '../trpc';
import { EmptyState } from './EmptyState';
import { QueryState } from './QueryState';

const PAGE_SIZE = 50;
// The export reads the whole ledger a page of 100 at a time; 200 pages is far beyond any real account.
const EXPORT_PAGE_SIZE = 100;
const EXPORT_MAX_PAGES = 200;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Every transaction, not just the pages shown, so the file matches the filter over the whole history. */
function useExport(type: TypeFilter) {
  const client = useTRPCClient();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async () => {
    setState({ busy: true, error: null });
    try {
      const all: Transaction[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < EXPORT_MAX_PAGES; page++) {
        const res = await client.credits.get.query({ limit: EXPORT_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        all.push(...res.transactions);
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      const day = new Date().toISOString().slice(0, 10);
      download(`contox-credits-${type === 'all' ? 'all' : type}-${day}.csv`, transactionsCsv(ofType(all, type)));
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: `Could not export: ${errorInfo(err).message}` });
    }
  };
  return { ...state, run };
}

export function TransactionHistory() {
  const trpc = useTRPC();
  const filterId = useId();
  const [type, setType] = useState<TypeFilter>('all');
  const exporter = useExport(type);
  const history = useInfiniteQuery(
    trpc.credits.get.infiniteQueryOptions(
      { limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = ofType(history.data?.pages.flatMap((p) => p.transactions) ?? [], type);

  return (
    <QueryState
      what="transactions"
      isPending={history.isPending}
      error={history.error}
      onRetry={() => history.refetch()}
    >
      <div className="table-toolbar">
        <div className="field field--inline">
          <label htmlFor={filterId} className="field__label">
            Type
          </label>
          <select
            id={filterId}
            className="input input--small"
            value={type}
            onChange={(e) => setType(e.target.value as TypeFilter)}
          >
            <option value="all">All types</option>
            {Object.entries(TYPE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn--ghost btn--small" onClick={exporter.run} disabled={exporter.busy}>
          {exporter.busy ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {exporter.error && (
        <p className="form-error" role="alert">
          {exporter.error}
        </p>
      )}
      {rows.length === 0 ? (
        <EmptyState title={type === 'all' ? 'No transactions yet' : `No ${TYPE_LABELS[type]} transactions loaded`}>
          Purchases, automatic recharges and usage paid from credits will be listed here.
        </EmptyState>
      ) : (
        <TransactionTable rows={rows} />
      )}
      <div className="table-footer">
        <span className="muted">
          {rows.length} transaction{rows.length === 1 ? '' : 's'} shown · usage covered by the plan allowance is not
          listed
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
    </QueryState>
  );
}

/** On a phone each row becomes a small card (see .table--stack): the date never scrolls off-screen. */
function TransactionTable({ rows }: { rows: readonly Transaction[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--stack" data-testid="transactions">
        <caption className="sr-only">Credit transactions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col">Price or description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id} data-type={t.type}>
              <td data-label="Date">
                <time dateTime={t.createdAt}>{formatDateTime(t.createdAt)}</time>
              </td>
              <td data-label="Type">
                <span className={`tx-type tx-type--${t.type}`}>{TYPE_LABELS[t.type] ?? t.type}</span>
              </td>
              <td data-label="Tokens" className={`num ${t.amount > 0 ? 'positive' : 'negative'}`}>
                {formatSignedTokens(t.amount)}
              </td>
              <td data-label="Price or description">
                {t.price !== undefined ? formatEuro(t.price) : (t.description ?? '—')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
