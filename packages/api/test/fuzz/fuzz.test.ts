/*
 * One request can only ever fail itself: whatever a caller sends to any REST path, tRPC procedure, sign-in
 * route or the webhook, it gets a 2xx or a well-formed 4xx, never a 5xx; and an innocent account spending at
 * the same time gets every answer, balance and ledger row as if it had been alone.
 *
 * `npm test` runs a seeded, bounded pass. A long run goes on for as long as asked and prints how far every
 * target's inputs got:  FUZZ_SECONDS=600 pnpm vitest run test/fuzz/fuzz.test.ts  (per database; narrow with
 * TEST_DATABASES=postgres). FUZZ_RUNS=n sets the cases per subject, FUZZ_SEED=n replays the seed a run printed.
 */
import { testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled } from '../billing-helpers';
import { paidAccount } from '../fire/accounts';
import { findInvariantViolations } from '../fire/invariants';
import { type Harness, startHarness, WEBHOOK_SECRET } from '../harness';
import { fuzzBudget, fuzzSeed } from './budget';
import { emptyTally, runCampaign, type Subject, summary } from './campaign';
import {
  expectInnocentUntouched,
  type InnocentAccount,
  innocentAccount,
  innocentIdempotencyKey,
  spendSteadily,
} from './innocent';
import { type Callers, fuzzRequests, unknownPaths } from './requests';
import { authTargets, type OpenApiDocument, restTargets, subjectCount, trpcTargets } from './targets';
import { WEBHOOK_TARGET, webhookRequests } from './webhook';

const seed = fuzzSeed();
console.info(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);

describe.each(testDatabaseKinds())(
  'every REST path, tRPC procedure and the webhook under hostile input, on %s',
  (kind) => {
    const budget = fuzzBudget(kind, seed, subjectCount());
    let h: Harness;
    let innocent: InnocentAccount;
    let callers: Callers;
    let labels: Map<string, string>;
    beforeAll(async () => {
      // No rate limit to speak of: a 429 would stop a hostile input before it reaches what it should test.
      h = await startHarness(kind, { rateLimitPerMinute: 1_000_000_000 });
      // A free account, and one on the unlimited plan with a card: purchases, recharges and huge spends go deep.
      const [free, unlimited] = [await h.account({ name: 'Attacker' }), await paidAccount(h, { plan: 'enterprise' })];
      innocent = await innocentAccount(h);
      callers = {
        attackerKeys: [free.key, unlimited.key],
        innocentIdempotencyKeys: Array.from({ length: 20 }, (_, i) => innocentIdempotencyKey(i)),
      };
      labels = new Map([
        [free.key, '<free attacker key>'],
        [unlimited.key, '<unlimited attacker key>'],
      ]);
    });
    afterAll(() => h?.close());

    it('answers 2xx or a well-formed 4xx, and the innocent account spends as if alone', {
      timeout: budget.timeoutMs,
    }, async () => {
      // Read from the running server, so that an operation added to the API is fuzzed without a change here.
      const doc = (await h.fetch('/api/openapi.json')).body as OpenApiDocument;
      const targets = [...restTargets(doc), ...trpcTargets(doc), ...authTargets(callers.attackerKeys[0]!)];
      const sign = (payload: string) =>
        h.deps.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      const subjects: Subject[] = [
        ...targets.map((t) => ({ name: t.name, requests: fuzzRequests([t], callers) })),
        { name: WEBHOOK_TARGET, requests: webhookRequests(sign) },
        { name: 'paths nobody serves', requests: unknownPaths(callers) },
      ];

      // PGlite serves one connection: more innocent spends in flight would only queue before the hostile calls.
      const spender = spendSteadily(h, innocent, kind === 'embedded' ? 1 : 4);
      const tally = emptyTally();
      let spent: Awaited<ReturnType<typeof spender.stop>> = [];
      try {
        const companions = fuzzRequests(targets, callers);
        await runCampaign({ baseUrl: h.url, subjects, companions, budget, labels }, tally);
      } finally {
        spent = await spender.stop();
        console.info(summary(kind, tally, spent.length, budget.verbose));
      }
      await expectInnocentUntouched(h, innocent, spent);
      const fuzzed = [...tally.statuses.keys()].filter((t) => !t.startsWith('unknown path'));
      expect(fuzzed.sort()).toEqual([...targets.map((t) => t.name), WEBHOOK_TARGET].sort());
      await settled(h);
      expect(await findInvariantViolations(h.db.db)).toEqual([]);
    });
  },
);
