import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultCatalog,
  MAX_RECHARGE_THRESHOLD,
  MAX_SEATS,
  MAX_SPEND_AMOUNT,
  MAX_SPENDING_LIMIT,
  MAX_USAGE_EVENTS_PER_CALL,
  MAX_USAGE_QUANTITY,
  textProblem,
} from '../src/index';

const INT32_MAX = 2 ** 31 - 1;

describe('textProblem', () => {
  it('refuses exactly the 65 control characters of Unicode (C0, DEL, C1), wherever they stand', () => {
    const refused: number[] = [];
    for (let code = 0; code < 0xd800; code += 1) {
      if (textProblem(`a${String.fromCharCode(code)}b`) !== null) refused.push(code);
    }
    const c0 = Array.from({ length: 0x20 }, (_, i) => i);
    const c1 = Array.from({ length: 0x21 }, (_, i) => 0x7f + i);
    expect(refused).toEqual([...c0, ...c1]);
    expect(textProblem('\u0000')).toMatch(/control characters/);
    expect(textProblem('tab\there')).toMatch(/control characters/);
  });

  it('refuses a lone surrogate, high or low, at either end or inside; a proper pair is ordinary text', () => {
    for (const lone of ['\ud800', '\udbff', '\udc00', '\udfff']) {
      for (const s of [lone, `x${lone}`, `${lone}x`, `a${lone}b`]) expect(textProblem(s), s).toMatch(/surrogate/);
    }
    expect(textProblem('\udc00\ud800')).toMatch(/surrogate/);
    expect(textProblem('Enrichment 😀 – session sess_1, café')).toBeNull();
    expect(textProblem('')).toBeNull();
  });

  it('accepts any string of printable code points, and refuses it once one control character is put in', () => {
    const printable = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/\p{Cc}/u.test(s));
    fc.assert(
      fc.property(printable, fc.integer({ min: 0, max: 0x1f }), fc.nat(), (s, control, at) => {
        expect(textProblem(s)).toBeNull();
        const i = at % (s.length + 1);
        expect(textProblem(s.slice(0, i) + String.fromCharCode(control) + s.slice(i))).not.toBeNull();
      }),
    );
  });
});

describe('numeric maxima', () => {
  it('keep one request, and thousands in a row, inside the exact integer range', () => {
    // One usage call moves a counter by at most this much, and a spend by at most MAX_SPEND_AMOUNT.
    expect(MAX_USAGE_EVENTS_PER_CALL * MAX_USAGE_QUANTITY).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER / 8);
    expect(Math.floor(Number.MAX_SAFE_INTEGER / MAX_SPEND_AMOUNT)).toBeGreaterThanOrEqual(9000);
    expect(MAX_RECHARGE_THRESHOLD).toBeLessThanOrEqual(MAX_SPEND_AMOUNT);
  });

  it('fit the 32-bit columns they are stored in, with a whole pack charged on top of the spending limit', () => {
    const dearest = Math.max(...Object.values(defaultCatalog.packs).map((p) => p.price));
    expect(MAX_SPENDING_LIMIT + dearest).toBeLessThanOrEqual(INT32_MAX);
    expect(MAX_SEATS).toBeLessThanOrEqual(INT32_MAX);
    // The dearest seat price times the most seats is still an exact number of cents.
    const dearestSeat = Math.max(
      ...Object.values(defaultCatalog.plans).flatMap((p) => [p.prices.month ?? 0, p.prices.year ?? 0]),
    );
    expect(Number.isSafeInteger(dearestSeat * MAX_SEATS)).toBe(true);
  });
});
