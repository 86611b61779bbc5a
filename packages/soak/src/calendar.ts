/**
 * The soak's own calendar. The model must not share period arithmetic with the service: were it to call
 * core's period functions, a bug there would move the service and the model together and stay invisible.
 * So this is written apart from core, from the rule the contract states (Stripe's billing cycle): a period
 * starts on the anchor's day of the month and time of day, on the month's last day when the month is
 * shorter, always counted from the anchor itself (Jan 31 → Feb 28 → Mar 31).
 */

/** Half-open `[start, end)`, in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** `anchor` moved by `months` calendar months, its day clamped to the target month. */
export function addMonths(anchor: number, months: number): number {
  const a = new Date(anchor);
  const monthIndex = a.getUTCMonth() + months;
  const year = a.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(a.getUTCDate(), lastDayOf(year, month));
  return Date.UTC(year, month, day, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

/**
 * The period of `months` months, counted from `anchor`, that holds `t` (t at or after the anchor). Found by
 * walking from an estimate rather than by a closed formula, so it shares no shortcut with the service's code.
 */
export function periodAt(anchor: number, months: number, t: number): Span {
  if (t < anchor) throw new Error(`periodAt: ${new Date(t).toISOString()} precedes its anchor`);
  const a = new Date(anchor);
  const b = new Date(t);
  let n = Math.floor(((b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()) / months);
  while (n > 0 && addMonths(anchor, n * months) > t) n -= 1;
  while (addMonths(anchor, (n + 1) * months) <= t) n += 1;
  return { start: addMonths(anchor, n * months), end: addMonths(anchor, (n + 1) * months) };
}

/** The contract's timestamp form: ISO-8601 UTC to the second. */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
