import { testDatabaseKinds } from '@contox/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../harness';
import { expectLedgerConsistent } from '../ledger';
import { DAY_MS, later, spend, spent, summary } from './money-helpers';

// The spend batch remembers each account's last period start to lock its token counter early
// (src/services/credits/spend-batch.ts). That memory must never carry a used-up allowance into a new period.

const FREE_ALLOWANCE = 50_000;

describe.each(testDatabaseKinds())('the first spend of a new period, on %s', (kind) => {
  const harness = useHarness(kind, { settleBetween: true });
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('takes the new allowance although this process last saw the account in the old period', async () => {
    const a = await h.account();
    expect(await spent(h, a.key, FREE_ALLOWANCE)).toMatchObject({ fromAllowance: FREE_ALLOWANCE, balance: 0 });
    expect((await spend(h, a.key, 1)).status).toBe(402);

    // Free periods anchor on account creation (the harness clock's start): 31 days on is the next one.
    await later(h, 31 * DAY_MS, async () => {
      expect(await spent(h, a.key, 1)).toEqual({
        transactionId: expect.stringMatching(/^txn_/),
        balance: 0,
        fromAllowance: 1,
        fromCredits: 0,
      });
      expect((await summary(h, a.key)).allowance).toEqual({
        limit: FREE_ALLOWANCE,
        used: 1,
        remaining: FREE_ALLOWANCE - 1,
      });
    });
    // Back in the old period its counter is still full.
    expect((await spend(h, a.key, 1)).status).toBe(402);
    expect(await expectLedgerConsistent(h.db.db, a.accountId)).toBe(0);
  });
});
