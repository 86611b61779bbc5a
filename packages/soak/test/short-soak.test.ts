import { testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { soakSeed } from '../src/random';
import { runSoak } from '../src/soak';

// One seed for the run, printed first so a failure in CI replays locally with SOAK_SEED.
const seed = soakSeed();
const seconds = Number(process.env.SOAK_SECONDS ?? 12);
const MIN_STEPS = 50;
process.stdout.write(`short soak: seed ${seed} (replay with SOAK_SEED=${seed}), ${seconds} s per database\n`);

describe.each(testDatabaseKinds())('short soak on %s', (kind) => {
  it(`holds the model and the invariants for ${seconds} s of random steps (seed ${seed})`, async () => {
    const report = await runSoak({ kind, seed, seconds, minSteps: MIN_STEPS, restarts: false });
    process.stdout.write(`short soak: ${JSON.stringify(report)}\n`);
    // The schedule made the service write, not just call: spends reached the ledger, usage the counters.
    expect(report.written.usage).toBeGreaterThan(0);
    expect(report.written['usage events']).toBeGreaterThan(0);
  });
});
