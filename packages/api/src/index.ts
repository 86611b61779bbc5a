export { addMember, createAccount } from './accounts/create-account';
export { ensureDemoAccess } from './accounts/seed-demo';
export { createApiKey } from './auth/create-api-key';
export { ALL_SCOPES, type Scope } from './auth/keys';
export { type Config, parseConfig } from './config';
export type { BillingDeps } from './deps';
export { type BillingHandler, createBillingHandler } from './http/billing-handler';
export { createLogger, type Logger } from './logger';
export type { AppRouter } from './root';
