export type DailyMetric = 'sessions' | 'events' | 'enrichments';

export interface DayCounts {
  day: string;
  sessions: number;
  events: number;
  enrichments: number;
}

const METRICS: DailyMetric[] = ['sessions', 'events', 'enrichments'];

/**
 * The daily chart counts whole UTC days, the meters count from the period's start. A period that starts
 * during a day shares that first day with the previous one, whose usage would show in the chart but not in
 * the meter (150 vs 153). The first day is the only day that can hold such usage, so where the days add up
 * to more than the meter, the first day is what is left of the meter after the others: one set of numbers.
 */
export function alignFirstDay<T extends DayCounts>(days: readonly T[], used: Record<DailyMetric, number>): T[] {
  if (days.length === 0) return [];
  const [first, ...rest] = days;
  const aligned = { ...first! };
  for (const metric of METRICS) {
    const others = rest.reduce((sum, d) => sum + d[metric], 0);
    const derived = used[metric] - others;
    if (derived >= 0 && derived < aligned[metric]) aligned[metric] = derived;
  }
  return [aligned, ...rest];
}
