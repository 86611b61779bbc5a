export type DomainErrorCode =
  | 'PLAN_LIMIT_REACHED'
  | 'INSUFFICIENT_CREDITS'
  | 'INVALID_SETTINGS'
  | 'UNKNOWN_PLAN'
  | 'UNKNOWN_PACK'
  | 'INVALID_INPUT'
  | 'INVALID_SEATS'
  | 'CREDITS_NOT_ALLOWED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NO_PAYMENT_METHOD'
  | 'CARD_DECLINED'
  | 'AUTHENTICATION_REQUIRED'
  | 'PAYMENT_FAILED'
  | 'RATE_LIMITED'
  | 'PAYMENT_PROVIDER_UNAVAILABLE'
  | 'IDEMPOTENCY_CONFLICT';

/**
 * The single error type of the domain. The message is written for the end user
 * (it becomes `{ "error": message }`); `code` is what the API maps to a status once.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const planLimitReached = (metric: string, used: number, limit: number, quantity: number): DomainError =>
  new DomainError(
    'PLAN_LIMIT_REACHED',
    `Plan limit reached for ${metric}: ${used} of ${limit} used, ${quantity} more requested`,
    { metric, used, limit, requested: quantity },
  );

export const insufficientCredits = (requested: number, available: number): DomainError =>
  new DomainError(
    'INSUFFICIENT_CREDITS',
    `Insufficient credits: ${requested} tokens requested, ${available} available (plan allowance and credits)`,
    { requested, available },
  );

export const invalidSettings = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('INVALID_SETTINGS', message, details);

export const invalidInput = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('INVALID_INPUT', message, details);

export const unknownPlan = (id: string): DomainError =>
  new DomainError('UNKNOWN_PLAN', `Unknown plan '${id}'`, { planId: id });

export const unknownPack = (id: string): DomainError =>
  new DomainError('UNKNOWN_PACK', `Unknown credit pack '${id}'`, { packId: id });

export const invalidSeats = (planId: string, seats: number, minSeats: number, maxSeats: number | null): DomainError =>
  new DomainError(
    'INVALID_SEATS',
    maxSeats === null
      ? `Plan ${planId} requires a whole number of seats, at least ${minSeats}; got ${seats}`
      : `Plan ${planId} requires a whole number of seats between ${minSeats} and ${maxSeats}; got ${seats}`,
    { planId, seats, minSeats, maxSeats },
  );

export const creditsNotAllowed = (planId: string): DomainError =>
  new DomainError('CREDITS_NOT_ALLOWED', `The ${planId} plan cannot buy credits; upgrade to a paid plan`, { planId });
