import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideUsageEvents, type Metric, METRICS, mayRefuse, type UsageEventInput } from '../src/index';

const eventArb: fc.Arbitrary<UsageEventInput> = fc.record({
  id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'),
  metric: fc.constantFrom(...METRICS),
  quantity: fc.integer({ min: -50, max: 60 }),
});

const limitsArb = fc.record({
  sessions: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  events: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  enrichments: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  storage: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
});

/** The rules written out one event at a time, without the core's functions. */
function oneByOne(events: UsageEventInput[], limits: Record<Metric, number | null>, counted: Set<string>) {
  const used = new Map<Metric, number>();
  const seen = new Set(counted);
  return events.map((e) => {
    if (seen.has(e.id)) return `${e.id}:duplicate`;
    const current = used.get(e.metric) ?? 0;
    const limit = limits[e.metric];
    const valid = e.metric === 'storage' || e.quantity > 0;
    const over = e.quantity > 0 && limit !== null && current + e.quantity > limit;
    if (!valid || over) return `${e.id}:refused@${current}`;
    const next = Math.max(0, current + e.quantity);
    used.set(e.metric, next);
    seen.add(e.id);
    return `${e.id}:accepted@${next}`;
  });
}

describe('decideUsageEvents (the usage batch decision)', () => {
  it('decides a batch exactly as recording events one by one would', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 30 }),
        limitsArb,
        fc.subarray(['e1', 'e2']),
        (events, limits, before) => {
          const counted = new Set(before);
          const { results, accepted } = decideUsageEvents({ events, used: new Map(), limits, counted });
          const summary = results.map((r) =>
            r.status === 'duplicate' ? `${r.id}:duplicate` : `${r.id}:${r.status}@${r.used}`,
          );
          expect(summary).toEqual(oneByOne(events, limits, counted));
          expect(accepted.map((e) => e.id)).toEqual(results.filter((r) => r.status === 'accepted').map((r) => r.id));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never lets a counted metric pass its limit', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), limitsArb, (events, limits) => {
        const { used } = decideUsageEvents({ events, used: new Map(), limits, counted: new Set() });
        for (const [metric, value] of used) {
          const limit = limits[metric];
          if (limit !== null && metric !== 'storage') expect(value).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('refuses nothing when mayRefuse says no, whatever was used before', () => {
    const usedArb = fc.array(fc.tuple(fc.constantFrom(...METRICS), fc.integer({ min: 0, max: 100 })));
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), limitsArb, usedArb, (events, limits, before) => {
        const used = new Map(before);
        fc.pre(!mayRefuse(events, used, limits));
        const { results } = decideUsageEvents({ events, used, limits, counted: new Set() });
        expect(results.filter((r) => r.status === 'refused')).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
