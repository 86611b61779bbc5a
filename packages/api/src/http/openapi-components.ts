import { MAX_IDEMPOTENCY_HEADER_LENGTH } from '@contox/core';
import type { OpenAPIObject, SecuritySchemeObject } from 'trpc-to-openapi';
import { ERROR_CODES, errorCodes } from '../error-codes';
import { SESSION_COOKIE } from '../services/auth/principal';
import { MAX_BODY_BYTES } from './read-body';

/** The parts of the document every operation shares: the error body, headers, security schemes, tags. */

type Components = NonNullable<OpenAPIObject['components']>;

const codeList = errorCodes
  .map((c) => `| \`${c}\` | ${ERROR_CODES[c].status} | ${ERROR_CODES[c].meaning.replace(/\|/g, '\\|')} |`)
  .join('\n');

export const API_DESCRIPTION = `Per-seat subscriptions, usage metering and prepaid token credits.

## Authentication
Send an API key: \`Authorization: Bearer contox_sk_…\`. The dashboard signs in with a session cookie
(\`${SESSION_COOKIE}\`); with the cookie, every change (POST, PUT, PATCH, DELETE) also needs the header
\`X-Contox-CSRF\` (any value), which another site cannot send. The operator paths (tag Operator) take
\`Authorization: Bearer <BILLING_ADMIN_TOKEN>\` and answer 404 when the service has no such token configured.

## Errors
Every error is \`{ "error": "<a sentence for people>", "code": "<a code for programs>" }\`. Clients that read
only \`error\` keep working; programs branch on \`code\`, one of:

| code | status | meaning |
| --- | --- | --- |
${codeList}

A path that does not exist answers 404 \`not_found\`. A path called with a method it does not answer gets 405
\`method_not_allowed\` with an \`Allow\` header naming the methods it does answer.

## Rate limits
Every \`/api\` answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`; a 429
adds \`Retry-After\` (seconds), as does a 503 when Stripe is unavailable.

## Retries and idempotency
A spend carries its own \`idempotencyKey\`; a purchase takes an \`Idempotency-Key\` header. A retry with the same
key answers the first answer and never spends or charges twice; the same key with another request is a 409
\`idempotency_conflict\`.

## Request ids
Every answer carries \`X-Request-Id\` (yours, when you send a plain token of at most 128 characters); quote it
when you report a problem.

Bodies are JSON (\`Content-Type: application/json\`), at most ${MAX_BODY_BYTES.toLocaleString('en')} bytes.`;

const TAG_DESCRIPTIONS: Record<string, string> = {
  account: 'Who is calling.',
  plans: 'The plan and credit-pack catalogue; no credentials needed.',
  subscription: 'The subscription: checkout, the billing portal, cancelling and resuming.',
  credits: 'Prepaid token credits: balance, purchases, spends, auto-recharge and history.',
  usage: 'Metered usage: recording events and reading the period and daily figures.',
  Operator: 'The operator API: creating accounts and signing their members in. Needs BILLING_ADMIN_TOKEN.',
};

export const tagObject = (name: string) => ({
  name,
  description: TAG_DESCRIPTIONS[name] ?? `The ${name} operations.`,
});

export const ERROR_SCHEMAS: Components['schemas'] = {
  ErrorCode: {
    type: 'string',
    enum: errorCodes,
    description: 'What went wrong, for programs: see the list in the introduction.',
  },
  Error: {
    type: 'object',
    required: ['error', 'code'],
    properties: {
      error: { type: 'string', description: 'What went wrong, written for people.' },
      code: { $ref: '#/components/schemas/ErrorCode' },
    },
    description: 'Every error answer. More fields may be added later; clients must ignore the ones they do not know.',
  },
};

const integerHeader = (description: string) => ({ description, required: true, schema: { type: 'integer' as const } });

export const HEADERS = {
  'X-RateLimit-Limit': integerHeader('Requests allowed per minute for this client.'),
  'X-RateLimit-Remaining': integerHeader('Requests left in the current one-minute window.'),
  'X-RateLimit-Reset': integerHeader('When the window resets, in Unix seconds.'),
  'Retry-After': integerHeader('Seconds to wait before retrying.'),
  'X-Request-Id': {
    description: "This request's id (the caller's own when it sent a plain token of at most 128 characters).",
    required: true,
    schema: { type: 'string' as const },
  },
} satisfies Components['headers'];

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** The headers of every `/api` answer; `retry` adds Retry-After (429 and 503). */
export function answerHeaders(retry: boolean) {
  return {
    'X-RateLimit-Limit': ref('X-RateLimit-Limit'),
    'X-RateLimit-Remaining': ref('X-RateLimit-Remaining'),
    'X-RateLimit-Reset': ref('X-RateLimit-Reset'),
    'X-Request-Id': ref('X-Request-Id'),
    ...(retry ? { 'Retry-After': ref('Retry-After') } : {}),
  };
}

export const SECURITY_SCHEMES: Record<string, SecuritySchemeObject> = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'contox_sk_…',
    description: "An account's API key. Its scopes (read, usage, billing) and its member's role decide what it may do.",
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: "The dashboard's session, from a sign-in link or `POST /auth/session` with an API key.",
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Contox-CSRF',
    description: 'Any value; required beside the session cookie on every change.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's BILLING_ADMIN_TOKEN (the Operator paths only).",
  },
};

export const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry: the same key answers the first answer and charges once; another request with it is a 409.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_HEADER_LENGTH, pattern: '^[ -~]*$' },
  example: 'purchase-2026-01-15-0001',
} as const;
