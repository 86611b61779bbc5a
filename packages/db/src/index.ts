export * from './client';
export * from './driver-faults';
export * from './migrate';
export * from './pg-array';
export * from './rows';
export * as schema from './schema/index';
