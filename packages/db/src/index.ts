export * from './client';
export * from './migrate';
export * from './pg-array';
export * from './rows';
export * as schema from './schema/index';
