import { schema } from '@contox/db';
import { testDatabaseKinds } from '@contox/db/testing';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../harness';
import { grantCredits } from '../ledger';

// README: "GET /api/billing/credits: transactions newest first (?limit=&cursor=, nextCursor)".

interface Page {
  transactions: { id: string; type: string; amount: number; createdAt: string }[];
  nextCursor?: string;
}

const FREE_ALLOWANCE = 50_000;

describe.each(testDatabaseKinds())('paging GET /api/billing/credits on %s', (kind) => {
  const harness = useHarness(kind);
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  let n = 0;
  const spend = async (key: string, amount: number) => {
    // Each spend a second after the last, so "newest first" is visible in createdAt too.
    h.clock.now = new Date(h.clock.now.getTime() + 1_000);
    const res = await h.fetch('/api/billing/credits/spend', {
      method: 'POST',
      key,
      body: { amount, description: `Enrichment - page ${n}`, idempotencyKey: `page-${n++}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const page = async (key: string, query: string): Promise<Page> => {
    const res = await h.fetch(`/api/billing/credits?${query}`, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Page;
  };
  /** The account's ledger straight from the table, newest first (the order the API promises). */
  const ledgerNewestFirst = async (accountId: string) =>
    (
      await h.db.db
        .select({ id: schema.creditTransactions.id })
        .from(schema.creditTransactions)
        .where(eq(schema.creditTransactions.accountId, accountId))
        .orderBy(asc(schema.creditTransactions.seq))
    )
      .map((r) => r.id)
      .reverse();

  /** Follows nextCursor from the first page to the last; every page but the last is full. */
  async function allPages(key: string, limit: number, between?: () => Promise<void>) {
    const pages: Page[] = [await page(key, `limit=${limit}`)];
    while (pages.at(-1)!.nextCursor !== undefined) {
      expect(pages.at(-1)!.transactions).toHaveLength(limit);
      await between?.();
      pages.push(await page(key, `limit=${limit}&cursor=${encodeURIComponent(pages.at(-1)!.nextCursor!)}`));
      expect(pages.length, 'nextCursor never ends').toBeLessThan(100);
    }
    return pages;
  }

  /**
   * An account with a grant and then `spends` spends of 1 token each from credits (the first also uses up the
   * allowance): spends + 1 rows, every one a balance change, as the history lists only those.
   */
  async function withRows(spends: number) {
    const a = await h.account();
    await grantCredits(h.db.db, a.accountId, 1_000);
    await spend(a.key, FREE_ALLOWANCE + 1);
    for (let i = 1; i < spends; i++) await spend(a.key, 1);
    return a;
  }

  it('pages of 7 over 23 rows give every row exactly once, newest first, and no cursor after the last', async () => {
    const a = await withRows(22);
    const expected = await ledgerNewestFirst(a.accountId);
    expect(expected).toHaveLength(23);

    const pages = await allPages(a.key, 7);
    expect(pages.map((p) => p.transactions.length)).toEqual([7, 7, 7, 2]);
    const walked = pages.flatMap((p) => p.transactions);
    expect(walked.map((t) => t.id)).toEqual(expected);
    // The spends are stamped by the billing clock (the test's grant by the database's): newest first too.
    const times = walked.filter((t) => t.type === 'usage').map((t) => Date.parse(t.createdAt));
    expect(new Set(times).size).toBe(22);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // The same walk over tRPC gives the same pages.
    const viaTrpc = await h.trpc(a.key).credits.get.query({ limit: 7, cursor: pages[0]!.nextCursor });
    expect(viaTrpc.transactions).toEqual(pages[1]!.transactions);
  });

  it('a page that ends exactly at the last row has no nextCursor; the default page is 50', async () => {
    const a = await withRows(13);
    const exact = await allPages(a.key, 7);
    expect(exact.map((p) => p.transactions.length)).toEqual([7, 7]);
    expect(exact[1]!.nextCursor).toBeUndefined();

    const many = await withRows(59);
    const first = await page(many.key, '');
    expect(first.transactions).toHaveLength(50);
    expect(first.nextCursor).toBeDefined();
    const rest = await page(many.key, `cursor=${first.nextCursor}`);
    expect(rest.nextCursor).toBeUndefined();
    expect([...first.transactions, ...rest.transactions].map((t) => t.id)).toEqual(
      await ledgerNewestFirst(many.accountId),
    );
  });

  it('rows written while paging do not shift the later pages: no row twice, none skipped', async () => {
    const a = await withRows(15);
    const before = await ledgerNewestFirst(a.accountId);
    const pages = await allPages(a.key, 4, () => spend(a.key, 1));
    expect(pages.flatMap((p) => p.transactions.map((t) => t.id))).toEqual(before);
    // The new rows are on a fresh first page.
    const fresh = await page(a.key, 'limit=4');
    expect(fresh.transactions.map((t) => t.id)).toEqual((await ledgerNewestFirst(a.accountId)).slice(0, 4));
  });

  it("a cursor never leaks another account's rows", async () => {
    // b's rows are all older than a's, so a's cursor lies after every one of them.
    const b = await withRows(6);
    const a = await withRows(6);
    const first = await page(a.key, 'limit=3');
    const crossed = await page(b.key, `limit=50&cursor=${first.nextCursor}`);
    expect(crossed.transactions.map((t) => t.id)).toEqual(await ledgerNewestFirst(b.accountId));
  });

  it('a cursor this API did not hand out is a 400 naming cursor', async () => {
    const { key } = await h.account();
    for (const cursor of ['abc', '-5', '1.5', '1e3', '9999999999999999', 'x'.repeat(40)]) {
      const res = await h.fetch(`/api/billing/credits?cursor=${encodeURIComponent(cursor)}`, { key });
      expect(res.status, cursor).toBe(400);
      expect(res.body).toEqual({ error: expect.stringContaining('cursor'), code: 'validation_failed' });
    }
  });
});
