import { type Executor, schema } from '@contox/db';
import { eq } from 'drizzle-orm';

const t = schema.creditAlertSettings;

/** The account's low-credit alert threshold, or null when it has none. */
export async function findAlertThreshold(db: Executor, accountId: string): Promise<number | null> {
  const [row] = await db.select({ threshold: t.threshold }).from(t).where(eq(t.accountId, accountId));
  return row?.threshold ?? null;
}

/** Sets the threshold; null removes it (no alerts). */
export async function setAlertThreshold(
  db: Executor,
  accountId: string,
  threshold: number | null,
  now: Date,
): Promise<void> {
  if (threshold === null) {
    await db.delete(t).where(eq(t.accountId, accountId));
    return;
  }
  await db
    .insert(t)
    .values({ accountId, threshold, updatedAt: now })
    .onConflictDoUpdate({ target: t.accountId, set: { threshold, updatedAt: now } });
}
