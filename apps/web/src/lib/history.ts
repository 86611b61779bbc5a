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

/**
 * Only rows that moved the credit balance: a usage paid wholly from the plan allowance is a 0-token row in
 * the ledger, and a history of those hides the purchases and recharges people look for.
 */
export function balanceChanges<T extends Transaction>(rows: readonly T[], type: TypeFilter = 'all'): T[] {
  return rows.filter((t) => t.amount !== 0 && (type === 'all' || t.type === type));
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
