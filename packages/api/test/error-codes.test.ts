import { DomainError, type DomainErrorCode } from '@contox/core';
import { testDatabaseKinds } from '@contox/db/testing';
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/error-codes';
import { errorCodeOf, httpStatusOf, toTRPCError } from '../src/errors';
import { useHarness } from './harness';

// Every domain code, spelled out: the compiler refuses this object when a code is added to core and not here.
const DOMAIN_CODES = Object.keys({
  PLAN_LIMIT_REACHED: true,
  INSUFFICIENT_CREDITS: true,
  INVALID_SETTINGS: true,
  UNKNOWN_PLAN: true,
  UNKNOWN_PACK: true,
  INVALID_INPUT: true,
  INVALID_SEATS: true,
  CREDITS_NOT_ALLOWED: true,
  UNAUTHENTICATED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  CONFLICT: true,
  NO_PAYMENT_METHOD: true,
  CARD_DECLINED: true,
  AUTHENTICATION_REQUIRED: true,
  PAYMENT_FAILED: true,
  RATE_LIMITED: true,
  PAYMENT_PROVIDER_UNAVAILABLE: true,
  IDEMPOTENCY_CONFLICT: true,
} satisfies Record<DomainErrorCode, true>) as DomainErrorCode[];

describe('error codes', () => {
  it.each(DOMAIN_CODES)('%s answers with a documented code of the status it is sent with', (domainCode) => {
    const err = toTRPCError(new DomainError(domainCode, 'x'))!;
    const code = errorCodeOf(err);
    expect(ERROR_CODES[code].status).toBe(httpStatusOf[err.code]);
  });

  it('names failures that are not domain errors by their status', () => {
    expect(errorCodeOf(new TRPCError({ code: 'BAD_REQUEST' }))).toBe('validation_failed');
    expect(errorCodeOf(new TRPCError({ code: 'NOT_FOUND' }))).toBe('not_found');
    expect(errorCodeOf(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }))).toBe('payload_too_large');
    expect(errorCodeOf(new TRPCError({ code: 'INTERNAL_SERVER_ERROR' }))).toBe('internal');
    expect(errorCodeOf(new TRPCError({ code: 'GATEWAY_TIMEOUT' }))).toBe('internal');
  });
});

describe.each(testDatabaseKinds())('error bodies on %s', (kind) => {
  const harness = useHarness(kind);

  it('a wrong method answers 405 with the methods the path answers in Allow', async () => {
    const h = harness();
    const { key } = await h.account();
    for (const [method, path, allow] of [
      ['DELETE', '/api/billing/credits', 'GET'],
      ['GET', '/api/billing/credits/spend', 'POST'],
      ['POST', '/api/billing/credits/auto-recharge', 'PUT'],
      ['GET', '/api/billing/webhook', 'POST'],
    ] as const) {
      const res = await h.fetch(path, { method, key });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(res.body).toEqual({ error: expect.stringContaining(allow), code: 'method_not_allowed' });
    }
  });

  it('transport refusals carry their code: unknown path, no credentials, wrong content type, oversized body', async () => {
    const h = harness();
    const { key } = await h.account();
    const cases = [
      [await h.fetch('/api/billing/nothing', { key }), 404, 'not_found'],
      [await h.fetch('/api/billing/credits'), 401, 'unauthenticated'],
      [
        await h.fetch('/api/billing/credits/spend', {
          method: 'POST',
          key,
          body: 'amount=1',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported_media_type',
      ],
      [
        await h.fetch('/api/billing/credits/spend', { method: 'POST', key, body: { pad: 'x'.repeat(1_000_001) } }),
        413,
        'payload_too_large',
      ],
      [await h.fetch('/api/billing/credits/spend', { method: 'POST', key, body: '{' }), 400, 'validation_failed'],
    ] as const;
    for (const [res, status, code] of cases) {
      expect(res.status, code).toBe(status);
      expect(res.body).toEqual({ error: expect.any(String), code });
    }
  });

  it('tRPC errors carry the same code in data.errorCode, beside the domain code the dashboard reads', async () => {
    const h = harness();
    const { key } = await h.account();
    const input = { amount: 1_000_000_000, description: 'too much', idempotencyKey: 'trpc-code' };
    const rest = await h.fetch('/api/billing/credits/spend', { method: 'POST', key, body: input });
    const refused = await h
      .trpc(key)
      .credits.spend.mutate(input)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({
      errorCode: 'insufficient_credits',
      domainCode: 'INSUFFICIENT_CREDITS',
      httpStatus: 402,
    });
    expect(rest.body).toEqual({ error: (refused as Error).message, code: 'insufficient_credits' });
  });
});
