import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { describe, expect, it } from 'vitest';
import { soakSeed } from '../src/random';
import { ROUND_STEPS, runSoak } from '../src/soak';

// One seed for the run, printed first and last so a failure in CI replays locally with SOAK_SEED.
const seed = soakSeed();
const replay = `SOAK_SEED=${seed} pnpm --filter @contox/soak test`;
const write = (line: string) => process.stdout.write(`short soak: ${line}\n`);
write(`seed ${seed} (replay: ${replay}), one round of ${ROUND_STEPS} steps per database`);

describe.each(testDatabaseKinds())('short soak on %s', (kind) => {
  it(
    `holds the model, the invariants and the counts for one round of steps (seed ${seed})`,
    async () => {
      // A fixed number of steps, not a time: the same seed is the same schedule on any machine.
      const report = await runSoak({ kind, seed, rounds: 1, restarts: false, replay, log: write });
      write(JSON.stringify(report));
      // The tour guarantees these; runSoak has already checked each against what the service wrote.
      for (const what of [
        'recharges',
        'declines',
        'pauses',
        'spends on unlimited plans',
        'subscriptions started',
        'plan changes',
        'seat changes',
        'cancellations',
        'resumes',
        'subscriptions ended',
        'bursts racing auto-recharges',
      ]) {
        expect(report.counts[what], what).toBeGreaterThan(0);
      }
      const faults = Object.entries(report.counts).filter(([k]) => k.startsWith('stripe faults'));
      expect(faults.reduce((s, [, n]) => s + n, 0)).toBeGreaterThan(0);
      write(`seed ${seed} held on ${kind}`);
    },
    scaled(120_000),
  );
});
