import type { SQL } from 'drizzle-orm';
import type { Executor } from './client';

/** Runs raw SQL on either driver and returns its rows (postgres.js and PGlite shape results differently). */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
