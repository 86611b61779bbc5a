export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  // Card errors carry the objects they concern so callers can inspect them.
  payment_intent?: unknown;
  payment_method?: unknown;
  setup_intent?: unknown;
  charge?: string;
}

/** An error that becomes a Stripe-shaped JSON response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

function docUrl(code: string | undefined): string | undefined {
  return code ? `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` : undefined;
}

export function invalidRequest(message: string, param?: string, code?: string): ApiError {
  return new ApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(code ? { code, doc_url: docUrl(code) } : {}),
    ...(param ? { param } : {}),
  });
}

export function missingParam(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function notFound(objectName: string, id: string, param = 'id'): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: docUrl('resource_missing'),
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function unrecognizedUrl(method: string, path: string): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function authError(message: string): ApiError {
  return new ApiError(401, { type: 'invalid_request_error', message });
}

export function idempotencyMismatch(key: string): ApiError {
  return new ApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function idempotencyInFlight(): ApiError {
  return new ApiError(409, {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    message:
      'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): Please try again later.',
  });
}

export function rateLimited(): ApiError {
  return new ApiError(429, {
    type: 'invalid_request_error',
    code: 'rate_limit',
    doc_url: docUrl('rate_limit'),
    message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
  });
}

export function serverError(): ApiError {
  return new ApiError(500, {
    type: 'api_error',
    message: 'An unknown error occurred while processing your request. Please try again.',
  });
}

export interface CardErrorInput {
  code: string;
  message: string;
  declineCode?: string;
  param?: string;
  paymentIntent?: unknown;
  paymentMethod?: unknown;
  setupIntent?: unknown;
  charge?: string;
}

export function cardError(input: CardErrorInput): ApiError {
  return new ApiError(402, {
    type: 'card_error',
    code: input.code,
    doc_url: docUrl(input.code),
    message: input.message,
    ...(input.declineCode ? { decline_code: input.declineCode } : {}),
    ...(input.param ? { param: input.param } : {}),
    ...(input.charge ? { charge: input.charge } : {}),
    ...(input.paymentIntent ? { payment_intent: input.paymentIntent } : {}),
    ...(input.paymentMethod ? { payment_method: input.paymentMethod } : {}),
    ...(input.setupIntent ? { setup_intent: input.setupIntent } : {}),
  });
}
