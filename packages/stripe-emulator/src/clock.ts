/**
 * Emulator time: wall-clock seconds plus an offset that only grows, so a test can jump
 * forward without the emulator freezing time for interactive use.
 */
export class Clock {
  private offsetSeconds = 0;

  constructor(offsetSeconds = 0) {
    this.offsetSeconds = offsetSeconds;
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  advance(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative number');
    this.offsetSeconds += Math.floor(seconds);
    return this.now();
  }

  reset(): void {
    this.offsetSeconds = 0;
  }
}

type Interval = 'day' | 'week' | 'month' | 'year' | (string & {});

/**
 * Adds `count` intervals to `anchor`, clamping to the month's last day the way Stripe keeps a
 * billing anchor of the 31st on the 28th/30th instead of drifting into the next month.
 */
export function addInterval(anchor: number, interval: Interval, count: number): number {
  if (interval === 'day') return anchor + count * 86_400;
  if (interval === 'week') return anchor + count * 7 * 86_400;
  const months = interval === 'year' ? count * 12 : count;
  const d = new Date(anchor * 1000);
  const targetMonthIndex = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(targetMonthIndex / 12);
  const month = ((targetMonthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Math.floor(Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000);
}

/** Smallest anchor + k*interval strictly after `after`. */
export function nextBoundary(anchor: number, interval: Interval, intervalCount: number, after: number): number {
  let k = 1;
  let t = addInterval(anchor, interval, intervalCount);
  while (t <= after) {
    k += 1;
    t = addInterval(anchor, interval, intervalCount * k);
  }
  return t;
}
