/**
 * Hard limits on what a caller may send, checked before any I/O: one place, so the API's schemas, its OpenAPI
 * document and the README state the same figures. Lengths count UTF-16 code units, as JSON and JavaScript do.
 *
 * Numeric maxima keep every sum the service computes an exact integer (below 2^53, where JSON numbers stop
 * being exact), on unlimited plans too: no single request can carry a counter or balance out of that range,
 * and the counters themselves refuse the request that would cross it.
 */

/** Tokens in one spend: 9,007 spends of the maximum in one period still leave the counter exact. */
export const MAX_SPEND_AMOUNT = 1_000_000_000_000;
/** Characters in a spend's description (a one-line ledger entry). */
export const MAX_DESCRIPTION_LENGTH = 500;
/** Characters in a spend's `idempotencyKey` (JSON body). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** Characters in the `Idempotency-Key` header, as Stripe allows; printable ASCII only (an HTTP header). */
export const MAX_IDEMPOTENCY_HEADER_LENGTH = 255;

/** Events in one usage call. */
export const MAX_USAGE_EVENTS_PER_CALL = 1000;
/** Characters in a usage event id. */
export const MAX_EVENT_ID_LENGTH = 200;
/**
 * Size of one usage event's quantity (a count, or a storage delta in bytes either way): a whole call moves a
 * counter by at most 10^15, a ninth of the exact integer range.
 */
export const MAX_USAGE_QUANTITY = 1_000_000_000_000;

/** Characters in a plan or pack id. */
export const MAX_CATALOG_ID_LENGTH = 64;
/** Characters in a redirect URL (success, cancel, return). */
export const MAX_URL_LENGTH = 2048;
/** Seats in one checkout. */
export const MAX_SEATS = 100_000;

/** Characters in an account's, a member's or an API key's name. */
export const MAX_NAME_LENGTH = 200;
/** Characters in an email address (RFC 5321's limit on a forward path). */
export const MAX_EMAIL_LENGTH = 254;
/** Characters in an operator's own id for an account (`externalId`). */
export const MAX_EXTERNAL_ID_LENGTH = 200;
/** Characters in an account, member or API key id named in a path or body. */
export const MAX_RECORD_ID_LENGTH = 64;

/** Auto-recharge threshold in tokens: as large as one spend may be. */
export const MAX_RECHARGE_THRESHOLD = MAX_SPEND_AMOUNT;
/** Auto-recharge spending limit per period, euro cents (1,000,000 EUR; the column is a 32-bit integer). */
export const MAX_SPENDING_LIMIT = 100_000_000;

/** Transactions in one page of the credits history. */
export const MAX_PAGE_SIZE = 100;
/** Digits of a history cursor (a ledger position, always a safe integer). */
export const MAX_CURSOR_DIGITS = 15;
/** Days of balance history in one answer. */
export const MAX_HISTORY_DAYS = 366;

// Unicode's control characters (C0 with NUL, tab and newline, DEL, C1): Postgres text cannot hold NUL, and the
// others break the one-line places this text ends up in (ledger rows, CSV exports, log lines).
const CONTROL = /\p{Cc}/u;
// In Unicode mode a well-formed surrogate pair reads as one code point, so only a lone surrogate is a `Cs`
// character: UTF-8 (and so Postgres) has no encoding for it.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `value` cannot be stored as caller text, or null when it can. */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'must not contain control characters (U+0000-U+001F, U+007F-U+009F)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate';
  return null;
}
