export interface Transaction {
  id: string;
  type: string;
  amount: number;
  price?: number;
  description?: string;
  createdAt: string;
}

export const TYPE_LABELS: Record<string, string> = {
  purchase: 'Purchase',
  auto_recharge: 'Auto-recharge',
  usage: 'Usage',
  grant: 'Grant',
  refund: 'Refund',
  adjustment: 'Adjustment',
};

export type TypeFilter = 'all' | keyof typeof TYPE_LABELS;

/** The rows of one type (the server lists balance changes only: no 0-token rows for allowance-only usage). */
export function ofType<T extends Transaction>(rows: readonly T[], type: TypeFilter = 'all'): T[] {
  return type === 'all' ? [...rows] : rows.filter((t) => t.type === type);
}

// A cell starting with = + - @ (or a tab/CR) is run as a formula by spreadsheets; a leading ' keeps it text.
function cell(value: string | number): string {
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (RFC 4180, CRLF): exact integers, prices in euros with two decimals, times in ISO 8601 UTC. */
export function transactionsCsv(rows: readonly Transaction[]): string {
  const header = ['date', 'type', 'tokens', 'price_eur', 'description', 'id'];
  const lines = rows.map((t) =>
    [
      t.createdAt,
      TYPE_LABELS[t.type] ?? t.type,
      t.amount,
      t.price === undefined ? '' : (t.price / 100).toFixed(2),
      t.description ?? '',
      t.id,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
