import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { ensureDemoAccess } from '../src/services/accounts/seed-demo';
import { useHarness } from './harness';

// One database per kind for the whole file: the demo account is one per database.
describe.each(testDatabaseKinds())('the demo account and its key, on %s', (kind) => {
  const harness = useHarness(kind);
  const credits = (key: string) => harness().fetch('/api/billing/credits', { key });

  it('is made once, never on an operator’s account, and prints the same key on every start until it is revoked', async () => {
    const h = harness();
    // An account the operator made before demo mode was turned on: its owner's key must never be printed.
    const customer = await h.account({ name: 'A customer' });
    const starts = await Promise.all([1, 2, 3].map(() => ensureDemoAccess(h.db.db, { now: h.clock.now })));
    expect(starts.filter((s) => s.created)).toHaveLength(1);
    const [first] = starts;
    expect(first!.accountId).not.toBe(customer.accountId);
    expect(new Set(starts.map((s) => s.accountId)).size).toBe(1);
    expect(new Set(starts.map((s) => s.apiKey)).size).toBe(1);
    expect(new Set(starts.map((s) => s.signInToken)).size).toBe(3);
    expect((await h.fetch('/api/account', { key: first!.apiKey })).body).toMatchObject({
      account: { id: first!.accountId, name: 'Demo account' },
      member: { role: 'owner', email: 'owner@demo.contox.dev' },
    });

    const keys = await h.fetch('/api/account/api-keys', { key: first!.apiKey });
    const demoKey = (keys.body as { apiKeys: { id: string }[] }).apiKeys[0]!;
    const revoked = await h.fetch(`/api/account/api-keys/${demoKey.id}`, { method: 'DELETE', key: first!.apiKey });
    expect(revoked.status).toBe(200);
    expect((await credits(first!.apiKey)).status).toBe(401);

    const next = await ensureDemoAccess(h.db.db, { now: h.clock.now });
    expect(next).toMatchObject({ accountId: first!.accountId, created: false });
    expect(next.apiKey).not.toBe(first!.apiKey);
    expect((await credits(next.apiKey)).status).toBe(200);
    expect((await ensureDemoAccess(h.db.db, { now: h.clock.now })).apiKey).toBe(next.apiKey);
  });
});
