import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('newId', () => {
  it('is the prefix, an underscore and 20 base62 characters', () => {
    for (const prefix of ['txn', 'acc', 'cs_test']) {
      expect(newId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{20}$`));
    }
  });

  it('draws every character with the same probability (no modulo bias)', () => {
    const counts = new Map<string, number>([...BASE62].map((c) => [c, 0]));
    const ids = 10_000;
    for (let i = 0; i < ids; i++) {
      for (const c of newId('x').slice(2)) counts.set(c, counts.get(c)! + 1);
    }
    const expected = (ids * 20) / BASE62.length;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: a fair draw stays under 150 except about once in a billion runs. A byte taken
    // modulo 62 makes '0'…'7' a quarter likelier than the rest, which puts the statistic near 1,500.
    expect(chiSquare).toBeLessThan(150);
  });
});
