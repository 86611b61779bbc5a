import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCompact,
  formatEuro,
  formatNumber,
  formatPeriod,
  formatSignedTokens,
  formatTokens,
  levelOf,
  parseEuroToCents,
  parseWholeNumber,
  percentOf,
  pricePerMillion,
} from '../src/lib/format';

describe('token formatting', () => {
  it('groups thousands and never rounds counts', () => {
    expect(formatNumber(5_200_000)).toBe('5,200,000');
    expect(formatTokens(2_500_000)).toBe('2,500,000 tokens');
    expect(formatNumber(0)).toBe('0');
  });

  it('abbreviates headline sizes', () => {
    expect(formatCompact(1_000_000)).toBe('1M');
    expect(formatCompact(2_500_000)).toBe('2.5M');
    expect(formatCompact(15_000_000)).toBe('15M');
  });

  it('signs ledger amounts with a real minus', () => {
    expect(formatSignedTokens(2_500_000)).toBe('+2,500,000');
    expect(formatSignedTokens(-300_000)).toBe('\u2212300,000');
    expect(formatSignedTokens(0)).toBe('0');
  });
});

describe('money formatting', () => {
  it('shows euro cents as euros', () => {
    expect(formatEuro(1000)).toBe('€10.00');
    expect(formatEuro(5)).toBe('€0.05');
    expect(formatEuro(123456)).toBe('€1,234.56');
    expect(formatEuro(1900, { whole: true })).toBe('€19');
    expect(formatEuro(1950, { whole: true })).toBe('€19.50');
  });

  it('prices packs per million tokens', () => {
    expect(formatEuro(pricePerMillion(500, 1_000_000))).toBe('€5.00');
    expect(formatEuro(pricePerMillion(1000, 2_500_000))).toBe('€4.00');
    expect(formatEuro(pricePerMillion(2500, 7_000_000))).toBe('€3.57');
    expect(formatEuro(pricePerMillion(5000, 15_000_000))).toBe('€3.33');
  });

  it('parses euros typed by people into cents', () => {
    expect(parseEuroToCents('50')).toBe(5000);
    expect(parseEuroToCents('50.5')).toBe(5050);
    expect(parseEuroToCents('50,05')).toBe(5005);
    expect(parseEuroToCents('€ 12.00')).toBe(1200);
    expect(parseEuroToCents('0')).toBe(0);
    for (const bad of ['', 'abc', '-5', '1.234', '10.']) expect(parseEuroToCents(bad)).toBeNull();
  });

  it('parses whole token counts with separators', () => {
    expect(parseWholeNumber('500000')).toBe(500_000);
    expect(parseWholeNumber('500,000')).toBe(500_000);
    expect(parseWholeNumber(' 0 ')).toBe(0);
    for (const bad of ['', '-1', '1.5', 'ten']) expect(parseWholeNumber(bad)).toBeNull();
  });
});

describe('storage formatting', () => {
  it('uses human units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(52_428_800)).toBe('50 MB');
    expect(formatBytes(536_870_912)).toBe('512 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GB');
  });
});

describe('percent and level', () => {
  it('computes whole percent of a limit', () => {
    expect(percentOf(45, 200)).toBe(22);
    expect(percentOf(160, 200)).toBe(80);
    expect(percentOf(250, 200)).toBe(125);
    expect(percentOf(0, 0)).toBe(100);
  });

  it('turns amber at 80% and red at 100%', () => {
    expect(levelOf(79)).toBe('ok');
    expect(levelOf(80)).toBe('warn');
    expect(levelOf(99)).toBe('warn');
    expect(levelOf(100)).toBe('over');
  });
});

describe('periods', () => {
  it('shows the last day of a period whose end is exclusive', () => {
    expect(formatPeriod('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z')).toBe('1 Jan 2025 – 31 Jan 2025');
    expect(formatPeriod('2026-11-26T10:56:02Z', '2026-12-26T10:56:02Z')).toBe('26 Nov 2026 – 26 Dec 2026');
  });
});
