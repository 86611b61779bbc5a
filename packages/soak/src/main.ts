import { testDatabaseKinds } from '@contox/db/testing';
import { runSoak } from './soak';
import { soakSeed } from './random';

/**
 * The long soak (`pnpm --filter @contox/soak soak`): SOAK_SECONDS per database kind (default 300), with
 * service restarts. SOAK_SEED replays one schedule; SOAK_DB=embedded|postgres picks one database.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 300);
  const kinds = process.env.SOAK_DB ? [process.env.SOAK_DB as 'embedded' | 'postgres'] : testDatabaseKinds();
  const seed = soakSeed();
  process.stdout.write(`soak: seed ${seed} (replay with SOAK_SEED=${seed}), ${seconds} s on ${kinds.join(' and ')}\n`);
  for (const kind of kinds) {
    const report = await runSoak({ kind, seed, seconds, restarts: true, log: (l) => process.stdout.write(`${l}\n`) });
    process.stdout.write(`soak: ${JSON.stringify(report)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
