import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi-document';
import { answerValidator } from './validate-answer';

const judge = answerValidator(openApiDocument('http://127.0.0.1'));
const rateHeaders = { 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '199', 'x-ratelimit-reset': '1768471260' };
const answer = (method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  path,
  status,
  headers: new Headers({ ...rateHeaders, 'x-request-id': 'req_1', ...headers }),
  body: JSON.stringify(body),
});
const spend = { transactionId: 'txn_1', balance: 5, fromAllowance: 1, fromCredits: 0 };

// The contract test is only as good as its judge: each kind of drift must be caught.
describe('the contract judge', () => {
  it('accepts answers the document describes', () => {
    expect(judge(answer('POST', '/api/billing/credits/spend', 200, spend))).toEqual([]);
    expect(
      judge(answer('POST', '/api/billing/credits/spend', 402, { error: 'x', code: 'insufficient_credits' })),
    ).toEqual([]);
    expect(judge(answer('GET', '/api/nothing', 404, { error: 'x', code: 'not_found' }))).toEqual([]);
    expect(
      judge(
        answer('DELETE', '/api/billing/credits', 405, { error: 'x', code: 'method_not_allowed' }, { allow: 'GET' }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['an undocumented status', answer('POST', '/api/billing/credits/spend', 404, { error: 'x', code: 'not_found' })],
    [
      'a code the status does not document',
      answer('POST', '/api/billing/credits/spend', 402, { error: 'x', code: 'card_declined' }),
    ],
    ['an error without its code', answer('POST', '/api/billing/credits/spend', 400, { error: 'x' })],
    ['a success missing a field', answer('POST', '/api/billing/credits/spend', 200, { ...spend, balance: undefined })],
    [
      'a success with a field of the wrong type',
      answer('POST', '/api/billing/credits/spend', 200, { ...spend, balance: '5' }),
    ],
    [
      'a missing rate-limit header',
      { ...answer('POST', '/api/billing/credits/spend', 200, spend), headers: new Headers({ 'x-request-id': 'r' }) },
    ],
    [
      'a 429 without Retry-After',
      answer('POST', '/api/billing/credits/spend', 429, { error: 'x', code: 'rate_limited' }),
    ],
    ['a wrong method answered 404', answer('DELETE', '/api/billing/credits', 404, { error: 'x', code: 'not_found' })],
    ['a 405 without Allow', answer('DELETE', '/api/billing/credits', 405, { error: 'x', code: 'method_not_allowed' })],
    ['an unknown path answered 200', answer('GET', '/api/nothing', 200, {})],
    ['a body that is not JSON', { ...answer('GET', '/api/account', 500, {}), body: '<html>' }],
  ])('catches %s', (_name, wrong) => {
    expect(judge(wrong)).not.toEqual([]);
  });
});
