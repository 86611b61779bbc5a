const DAY = 86_400_000;

export interface DayRange {
  /** Start and end of the axis, ms since the epoch: midnight UTC `days` days ago, and now. */
  domain: [number, number];
  /** Midnights (UTC) spread evenly over the range, at most about `maxTicks` of them. */
  ticks: number[];
}

/**
 * The axis of a chart titled "the last N days": it spans those N days whatever the data (not from the first
 * transaction), with ticks on whole days so the labels are dates, never times of day.
 */
export function lastDaysRange(days: number, now: number, maxTicks = 7): DayRange {
  const today = Math.floor(now / DAY) * DAY;
  const start = today - days * DAY;
  const step = Math.max(1, Math.ceil(days / (maxTicks - 1)));
  const ticks: number[] = [];
  for (let t = start; t <= now; t += step * DAY) ticks.push(t);
  return { domain: [start, now], ticks };
}
