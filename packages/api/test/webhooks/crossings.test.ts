import type { Metric } from '@contox/core';
import { describe, expect, it } from 'vitest';
import { type AvailableChange, crossedBelow } from '../../src/services/outbox/credits-low';
import { usageCrossings } from '../../src/services/outbox/usage-events';

const period = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z') };
const crossings = (limit: number | null, was: number, used: number, metric: Metric = 'sessions') =>
  usageCrossings({
    accountId: 'acc_1',
    period,
    limits: { [metric]: limit },
    before: new Map([[metric, was]]),
    after: new Map([[metric, used]]),
  }).map((e) => e.type);

describe('usage limit crossings', () => {
  it('tells 80 % once, 100 % once, both when one batch jumps past both', () => {
    expect(crossings(50, 0, 39)).toEqual([]);
    expect(crossings(50, 39, 40)).toEqual(['usage.limit_approaching']);
    expect(crossings(50, 40, 49)).toEqual([]);
    expect(crossings(50, 49, 50)).toEqual(['usage.limit_reached']);
    expect(crossings(50, 50, 50)).toEqual([]);
    expect(crossings(50, 10, 50)).toEqual(['usage.limit_reached']);
    expect(crossings(50, 10, 45)).toEqual(['usage.limit_approaching']);
  });

  it('rounds the 80 % mark up, and never fires for unlimited or zero limits', () => {
    expect(crossings(7, 5, 6)).toEqual(['usage.limit_approaching']); // 5.6 → 6
    expect(crossings(7, 4, 5)).toEqual([]);
    expect(crossings(null, 0, 1_000_000)).toEqual([]);
    expect(crossings(0, 0, 0)).toEqual([]);
  });

  it('tells storage, a level, again after it went down and up across the mark', () => {
    expect(crossings(100, 90, 50, 'storage')).toEqual([]);
    expect(crossings(100, 50, 85, 'storage')).toEqual(['usage.limit_approaching']);
  });
});

describe('credits.low crossing', () => {
  const change = (o: Partial<AvailableChange>): AvailableChange => ({
    accountId: 'acc_1',
    threshold: 1_000,
    balanceBefore: 600,
    balanceAfter: 600,
    allowanceBefore: 500,
    allowanceAfter: 500,
    ...o,
  });

  it('fires when credits plus allowance left go from at or above the threshold to below it', () => {
    expect(crossedBelow(change({ allowanceAfter: 399 }))).toBe(true);
    expect(crossedBelow(change({ balanceBefore: 500, balanceAfter: 499 }))).toBe(true);
    expect(crossedBelow(change({ allowanceAfter: 400 }))).toBe(false);
  });

  it('fires once per crossing: not while already below, not without a threshold, never when unlimited', () => {
    expect(crossedBelow(change({ balanceBefore: 400, balanceAfter: 300 }))).toBe(false);
    expect(crossedBelow(change({ threshold: null, allowanceAfter: 0 }))).toBe(false);
    expect(crossedBelow(change({ allowanceBefore: null, allowanceAfter: null, balanceAfter: 0 }))).toBe(false);
  });
});
