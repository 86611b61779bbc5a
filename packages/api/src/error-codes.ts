/**
 * Every machine-readable `code` an error answer carries (`{ "error": "<sentence>", "code": "<code>" }`), with its
 * HTTP status, what it means and a typical sentence. The README's list, the OpenAPI document and the client's
 * types all come from here. The first code of each status is the one a bare status stands for.
 */
export const ERROR_CODES = {
  validation_failed: {
    status: 400,
    meaning: 'The request is malformed or a field is out of range; `error` names the field.',
    example: 'Invalid request: amount: Too small: expected number to be >=1',
  },
  unauthenticated: {
    status: 401,
    meaning: 'No credentials, or the key or session is unknown, revoked or expired.',
    example: 'Invalid or revoked API key',
  },
  payment_failed: {
    status: 402,
    meaning: 'The payment did not go through for another reason; `error` says why.',
    example: 'The payment did not complete (status requires_action)',
  },
  insufficient_credits: {
    status: 402,
    meaning: 'Not enough plan allowance and credits for the spend; nothing was spent.',
    example: 'Insufficient credits: 5000 tokens requested, 1200 available (plan allowance and credits)',
  },
  card_declined: {
    status: 402,
    meaning: 'The saved card was declined; nothing was charged.',
    example: 'Your card was declined. (insufficient funds)',
  },
  plan_limit_reached: {
    status: 402,
    meaning:
      "The plan's limit is reached: every event of a usage call was refused (the per-event `results` and the `refused` count are beside `error`); nothing was recorded. A bigger plan lifts it.",
    example: 'Plan limit reached for sessions: 1000 of 1000 used, 1 more requested; nothing was recorded',
  },
  authentication_required: {
    status: 402,
    meaning: 'The card needs the customer to authenticate (3-D Secure) before it can be charged.',
    example: 'Your card requires authentication. Authenticate the card in the billing portal.',
  },
  forbidden: {
    status: 403,
    meaning:
      'The caller may not do this: a key without the scope, a member who is not the owner, a missing CSRF header.',
    example: 'Only the account owner may change billing (you are member)',
  },
  credits_not_allowed: {
    status: 403,
    meaning: "The account's plan cannot buy credits.",
    example: 'The free plan cannot buy credits; upgrade to a paid plan',
  },
  not_found: {
    status: 404,
    meaning: 'No such path, or no such record for this account.',
    example: 'No such endpoint: GET /api/billing/nothing',
  },
  method_not_allowed: {
    status: 405,
    meaning: 'The path exists but not with this method; the `Allow` header lists the methods it answers.',
    example: 'Method DELETE not allowed on /api/billing/credits (allowed: GET)',
  },
  conflict: {
    status: 409,
    meaning: 'The request conflicts with the current state (e.g. nothing to cancel or resume).',
    example: 'There is no active subscription to cancel',
  },
  idempotency_conflict: {
    status: 409,
    meaning: 'The idempotency key was already used with another request, or that request is still running.',
    example: 'This Idempotency-Key was already used with a different request',
  },
  no_payment_method: {
    status: 409,
    meaning: 'The account has no saved card to charge.',
    example: 'No usable card on file: add one in the billing portal',
  },
  payload_too_large: {
    status: 413,
    meaning: 'The request body is over 1,000,000 bytes.',
    example: 'Request body too large (limit 1000000 bytes)',
  },
  unsupported_media_type: {
    status: 415,
    meaning: 'The body is not `application/json`.',
    example: 'Unsupported Content-Type "text/plain": send application/json',
  },
  rate_limited: {
    status: 429,
    meaning: 'Too many requests (ours, or Stripe limiting ours); retry after `Retry-After` seconds.',
    example: 'Rate limit exceeded: 200 requests per minute. Retry in 12 s.',
  },
  internal: {
    status: 500,
    meaning: 'A failure on our side; the details are in our log, not in the answer.',
    example: 'Internal server error',
  },
  stripe_unavailable: {
    status: 503,
    meaning: 'Stripe could not be reached; nothing was charged. Retry after `Retry-After` seconds.',
    example: 'Stripe is unavailable, try again',
  },
} as const satisfies Record<string, { status: number; meaning: string; example: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

/** The code a bare status stands for (an answer nothing more specific was said about); unknown statuses are `internal`. */
export function codeOfStatus(status: number): ErrorCode {
  return errorCodes.find((code) => ERROR_CODES[code].status === status) ?? 'internal';
}
