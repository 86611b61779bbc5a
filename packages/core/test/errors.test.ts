import { describe, expect, it } from 'vitest';
import {
  DomainError,
  creditsNotAllowed,
  insufficientCredits,
  invalidSeats,
  isDomainError,
  planLimitReached,
  unknownPack,
  unknownPlan,
} from '../src/index';

describe('DomainError', () => {
  it('is an Error carrying a code, message and details', () => {
    const error = new DomainError('CONFLICT', 'already there', { id: 'x' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('already there');
    expect(error.details).toEqual({ id: 'x' });
  });

  it('isDomainError tells domain errors from everything else', () => {
    expect(isDomainError(unknownPlan('gold'))).toBe(true);
    expect(isDomainError(new Error('plain'))).toBe(false);
    expect(isDomainError({ code: 'CONFLICT', message: 'lookalike' })).toBe(false);
    expect(isDomainError(undefined)).toBe(false);
  });
});

describe('convenience constructors', () => {
  it('planLimitReached names the metric, usage, limit and request', () => {
    const error = planLimitReached('events', 9990, 10000, 20);
    expect(error.code).toBe('PLAN_LIMIT_REACHED');
    expect(error.message).toBe('Plan limit reached for events: 9990 of 10000 used, 20 more requested');
    expect(error.details).toEqual({ metric: 'events', used: 9990, limit: 10000, requested: 20 });
  });

  it('insufficientCredits reports requested and available tokens', () => {
    const error = insufficientCredits(300000, 120000);
    expect(error.code).toBe('INSUFFICIENT_CREDITS');
    expect(error.message).toContain('300000 tokens requested, 120000 available');
    expect(error.details).toEqual({ requested: 300000, available: 120000 });
  });

  it('unknown plan / pack / seats / credits messages name the offending value', () => {
    expect(unknownPlan('gold').message).toBe("Unknown plan 'gold'");
    expect(unknownPack('credits_9m')).toMatchObject({ code: 'UNKNOWN_PACK', details: { packId: 'credits_9m' } });
    expect(invalidSeats('team', 1, 2, 100).message).toBe(
      'Plan team requires a whole number of seats between 2 and 100; got 1',
    );
    expect(invalidSeats('enterprise', 3, 10, null).message).toContain('at least 10');
    expect(creditsNotAllowed('free')).toMatchObject({
      code: 'CREDITS_NOT_ALLOWED',
      message: 'The free plan cannot buy credits; upgrade to a paid plan',
      details: { planId: 'free' },
    });
  });
});
