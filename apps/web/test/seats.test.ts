import { describe, expect, it } from 'vitest';
import { seatError, seatRangeText } from '../src/lib/seats';

describe('seat validation', () => {
  const team = { minSeats: 2, maxSeats: 100 };
  const enterprise = { minSeats: 10, maxSeats: null };

  it('accepts counts within the plan\u2019s range', () => {
    expect(seatError('2', team)).toBeNull();
    expect(seatError('100', team)).toBeNull();
    expect(seatError('5000', enterprise)).toBeNull();
  });

  it('refuses counts outside it, saying the range', () => {
    expect(seatError('1', team)).toBe('This plan takes 2–100 seats.');
    expect(seatError('101', team)).toBe('This plan takes 2–100 seats.');
    expect(seatError('9', enterprise)).toBe('This plan takes at least 10 seats.');
  });

  it('refuses anything but a whole number', () => {
    for (const bad of ['', '2.5', '-3', 'three']) expect(seatError(bad, team)).toBe('Enter a whole number of seats.');
  });

  it('describes fixed single-seat plans', () => {
    expect(seatRangeText({ minSeats: 1, maxSeats: 1 })).toBe('1 seat');
  });
});
