/** A valid request body per operation (null: none), keyed `METHOD /path`; fuzzing and role checks start from these. */
export const VALID: Record<string, unknown> = {
  'GET /api/account': null,
  'GET /api/billing/credits': null,
  'GET /api/billing/credits/summary': null,
  'GET /api/billing/credits/history': null,
  'GET /api/billing/plans': null,
  'GET /api/billing/subscription': null,
  'GET /api/billing/usage': null,
  'GET /api/billing/usage/daily': null,
  'POST /api/billing/credits/purchase': { packId: 'credits_1m' },
  'POST /api/billing/credits/checkout': { packId: 'credits_1m', successUrl: 'http://localhost:3000/ok' },
  'POST /api/billing/credits/checkout/confirm': { sessionId: 'cs_test_fuzz' },
  'PUT /api/billing/credits/auto-recharge': {
    enabled: true,
    threshold: 1000,
    packId: 'credits_1m',
    spendingLimit: 5000,
  },
  'POST /api/billing/credits/spend': { amount: 10, description: 'fuzz', idempotencyKey: 'fuzz-valid' },
  'POST /api/billing/checkout': {
    planId: 'team',
    seats: 2,
    interval: 'month',
    successUrl: 'http://localhost:3000/ok',
    cancelUrl: 'http://localhost:3000/no',
  },
  'POST /api/billing/portal': { returnUrl: 'http://localhost:3000/back' },
  'POST /api/billing/cancel': {},
  'POST /api/billing/resume': {},
  'POST /api/dev/clock/advance': { seconds: 1 },
  'POST /api/billing/usage/events': { events: [{ id: 'fuzz-1', metric: 'events', quantity: 1 }] },
  // Not in the OpenAPI document (it sets the dashboard's cookie), but it reads a JSON body all the same.
  'POST /auth/session': { apiKey: 'contox_sk_valid_shape_but_unknown' },
};

/** Mutations only the owner may make; every other mutation is a usage-scope call (spend, record usage). */
export const OWNER_OPERATIONS = [
  'POST /api/billing/credits/purchase',
  'POST /api/billing/credits/checkout',
  'POST /api/billing/credits/checkout/confirm',
  'PUT /api/billing/credits/auto-recharge',
  'POST /api/billing/checkout',
  'POST /api/billing/portal',
  'POST /api/billing/cancel',
  'POST /api/billing/resume',
  // The test clock: the owner's, and only with the emulator's clock (404 otherwise).
  'POST /api/dev/clock/advance',
];
export const USAGE_OPERATIONS = ['POST /api/billing/credits/spend', 'POST /api/billing/usage/events'];
