/** Subscription statuses that still entitle the account to its plan (Stripe keeps past_due live while it retries). */
export const LIVE_STATUSES: readonly string[] = ['active', 'trialing', 'past_due'];

/** The usage counter that holds the plan's token allowance used in a period. */
export const TOKENS_METRIC = 'tokens';
