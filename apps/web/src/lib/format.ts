const grouped = new Intl.NumberFormat('en');
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const euro = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const euroWhole = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/** 2500000 → "2,500,000": token counts are exact, so never rounded. */
export function formatNumber(value: number): string {
  return grouped.format(value);
}

/** 2500000 → "2.5M": headline sizes where exactness does not matter. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

export function formatTokens(value: number): string {
  return `${formatNumber(value)} tokens`;
}

/** Signed, with a real minus sign so the column reads as a ledger. */
export function formatSignedTokens(value: number): string {
  if (value > 0) return `+${formatNumber(value)}`;
  if (value < 0) return `\u2212${formatNumber(-value)}`;
  return '0';
}

/** Euro cents → "€10.00"; whole amounts may drop the cents where space is tight. */
export function formatEuro(cents: number, opts: { whole?: boolean } = {}): string {
  const euros = cents / 100;
  if (opts.whole && Number.isInteger(euros)) return euroWhole.format(euros);
  return euro.format(euros);
}

/** Price of a pack scaled to one million tokens, the unit people compare packs by. */
export function pricePerMillion(priceCents: number, tokens: number): number {
  return tokens > 0 ? (priceCents * 1_000_000) / tokens : 0;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Binary multiples with the familiar labels (what storage dashboards show): 536870912 → "512 MB". */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
  const text = value.toFixed(digits).replace(/\.0$/, '');
  return `${text} ${BYTE_UNITS[unit]}`;
}

/**
 * Share of a limit in whole percent. A zero limit counts as full so it is flagged rather than shown empty.
 */
export function percentOf(used: number, limit: number): number {
  if (limit <= 0) return 100;
  return Math.floor((Math.max(0, used) / limit) * 100);
}

export type Level = 'ok' | 'warn' | 'over';

export function levelOf(percent: number): Level {
  if (percent >= 100) return 'over';
  if (percent >= 80) return 'warn';
  return 'ok';
}

// Billing periods are computed in UTC on the server; showing them in UTC keeps the edges on the right day.
const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string): string {
  return dateFmt.format(new Date(iso));
}

export function formatShortDate(iso: string): string {
  return shortDateFmt.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return dateTimeFmt.format(new Date(iso));
}

/**
 * The end of a period is exclusive (the next period's start). A period ending at midnight is shown up to
 * the day before, as people expect; one anchored at another time of day really does end on that date.
 */
export function formatPeriod(start: string, end: string): string {
  const endMs = new Date(end).getTime();
  const atMidnight = endMs % 86_400_000 === 0;
  const lastDay = new Date(atMidnight ? endMs - 1 : endMs).toISOString();
  return `${formatDate(start)} – ${formatDate(lastDay)}`;
}

/**
 * "50", "50.5", "50,50" or "€50.00" → 5000 cents; null when it is not an amount of euros.
 */
export function parseEuroToCents(text: string): number | null {
  const cleaned = text.trim().replace(/^€\s*/, '').replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** "500,000" or "500 000" → 500000; null unless it is a whole number, 0 or more. */
export function parseWholeNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[,\s_]/g, '');
  if (!/^\d{1,15}$/.test(cleaned)) return null;
  return Number(cleaned);
}

export function centsToEuroInput(cents: number): string {
  return (cents / 100).toFixed(2);
}

const BRANDS: Record<string, string> = {
  amex: 'American Express',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

/** { brand: 'visa', last4: '4242' } → "Visa •••• 4242", the way card issuers and Stripe's own pages show it. */
export function formatCard(card: { brand: string; last4: string }): string {
  const brand = BRANDS[card.brand] ?? card.brand.charAt(0).toUpperCase() + card.brand.slice(1);
  return `${brand} •••• ${card.last4}`;
}
