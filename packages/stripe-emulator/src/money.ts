const SYMBOLS: Record<string, string> = { eur: '€', usd: '$', gbp: '£' };

/** Minor units to a display string, e.g. 1990 eur → "€19.90". */
export function formatAmount(amount: number, currency: string): string {
  const symbol = SYMBOLS[currency.toLowerCase()];
  const sign = amount < 0 ? '-' : '';
  const value = (Math.abs(amount) / 100).toFixed(2);
  return symbol ? `${sign}${symbol}${value}` : `${sign}${value} ${currency.toUpperCase()}`;
}

export function intervalLabel(interval: string, count: number): string {
  return count === 1 ? interval : `${count} ${interval}s`;
}
