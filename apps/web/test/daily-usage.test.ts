import { describe, expect, it } from 'vitest';
import { alignFirstDay } from '../src/lib/daily-usage';

const day = (d: string, sessions: number, events = 0, enrichments = 0) => ({ day: d, sessions, events, enrichments });

describe('alignFirstDay', () => {
  it('drops the previous period’s share of a first day the period started during', () => {
    const days = [day('2026-12-04', 153, 10, 1), day('2026-12-05', 0)];
    const aligned = alignFirstDay(days, { sessions: 150, events: 10, enrichments: 1 });
    expect(aligned[0]).toEqual(day('2026-12-04', 150, 10, 1));
    expect(aligned.reduce((s, d) => s + d.sessions, 0)).toBe(150);
  });

  it('leaves the days alone when they already agree with the meters or fall short of them', () => {
    const days = [day('2026-12-04', 3), day('2026-12-05', 7)];
    expect(alignFirstDay(days, { sessions: 10, events: 0, enrichments: 0 })).toEqual(days);
    expect(alignFirstDay(days, { sessions: 12, events: 0, enrichments: 0 })).toEqual(days);
    expect(alignFirstDay([], { sessions: 1, events: 0, enrichments: 0 })).toEqual([]);
  });
});
