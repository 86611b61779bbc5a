export * from './accounts';
export * from './auth';
export * from './credits';
export * from './idempotency';
export * from './members';
export * from './stripe';
export * from './subscriptions';
export * from './usage';
