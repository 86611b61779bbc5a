export * from './backoff';
export * from './signature';
