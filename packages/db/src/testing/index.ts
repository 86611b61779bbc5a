export * from './test-database';
export * from './time-scale';
