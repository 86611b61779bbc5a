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
  'PUT /api/billing/credits/alerts': { threshold: 100_000 },
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
  'GET /api/account/api-keys': null,
  'POST /api/account/api-keys': { name: 'fuzz', scopes: ['read'] },
  'DELETE /api/account/api-keys/{id}': null,
  'GET /api/account/members': null,
  'POST /api/account/members': { email: 'fuzz-member@example.com', name: 'Fuzz', role: 'member' },
  'PATCH /api/account/members/{id}': { role: 'admin' },
  'DELETE /api/account/members/{id}': null,
  'POST /api/account/transfer-ownership': { memberId: 'mem_fuzz' },
  'GET /api/admin/accounts': null,
  'POST /api/admin/accounts': { name: 'Fuzz', externalId: 'fuzz-1', owner: { email: 'fuzz@example.com' } },
  'GET /api/admin/accounts/{accountId}': null,
  'POST /api/admin/accounts/{accountId}/sign-in-links': { email: 'fuzz@example.com' },
  'GET /api/admin/webhook-endpoints': null,
  'POST /api/admin/webhook-endpoints': { url: 'https://app.example.com/hooks/contox', events: ['credits.low'] },
  'DELETE /api/admin/webhook-endpoints/{id}': null,
  'GET /api/admin/events': null,
  'POST /api/admin/events/{id}/redeliver': null,
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

/**
 * The account's team and keys (packages/api/test/team-access.test.ts) and its low-credit alert: its owner or an
 * admin, with the billing scope.
 */
export const TEAM_READS = ['GET /api/account/api-keys', 'GET /api/account/members'];
export const TEAM_OPERATIONS = [
  'POST /api/account/api-keys',
  'DELETE /api/account/api-keys/{id}',
  'POST /api/account/members',
  'PATCH /api/account/members/{id}',
  'DELETE /api/account/members/{id}',
  'POST /api/account/transfer-ownership',
  'PUT /api/billing/credits/alerts',
];
/** The operator API: BILLING_ADMIN_TOKEN only, never an account's key or session (404 where it is not set). */
export const OPERATOR_OPERATIONS = [
  'GET /api/admin/accounts',
  'POST /api/admin/accounts',
  'GET /api/admin/accounts/{accountId}',
  'POST /api/admin/accounts/{accountId}/sign-in-links',
  'GET /api/admin/webhook-endpoints',
  'POST /api/admin/webhook-endpoints',
  'DELETE /api/admin/webhook-endpoints/{id}',
  'GET /api/admin/events',
  'POST /api/admin/events/{id}/redeliver',
];
